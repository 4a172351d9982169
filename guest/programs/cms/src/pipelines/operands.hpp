// SPDX-License-Identifier: MIT
// Operands: reading a stage's operands word by word, with CMS Pipelines'
// keyword abbreviations, delimited strings and numbers, and the messages
// for operands a stage refuses (11, 54, 58, 60, 111, 112, 113).
#pragma once

#include "pipelines/pipe_error.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace cpd::cms {

/// A cursor over one stage's operands.
class Operands {
  public:
    /// Reads `text`; errors name `module` (e.g. "LOC").
    Operands(std::string_view text, std::string_view module) : rest_(text), module_(module) {}

    /// True if only blanks are left.
    bool at_end() const noexcept;
    /// The next word, not consumed ("" at the end).
    std::string_view peek() const noexcept;
    /// The next word, consumed.
    std::string_view word() noexcept;
    /// Consumes the next word if it abbreviates `name` to `min` characters or more.
    bool keyword(std::string_view name, std::size_t min) noexcept;
    /// What is left, leading blanks removed.
    std::string_view rest() const noexcept;
    /// Consumes `n` characters of rest() (after its leading blanks).
    void skip(std::size_t n) noexcept;
    /// A delimited string (/abc/): the text between the delimiters, consumed;
    /// on error, `error` is 60 (no closing delimiter) or 113 (nothing left).
    std::optional<std::string> delimited(PipeError& error);
    /// A non-negative number, or "*" (returned as `star`); consumed if it is one.
    std::optional<std::size_t> number(std::size_t star = static_cast<std::size_t>(-1)) noexcept;

    /// 112 Excessive options "rest", or nullopt if nothing is left.
    std::optional<PipeError> check_end() const;
    /// 111 Operand w is not valid.
    PipeError bad(std::string_view w) const;
    /// 58 Decimal number expected, but "w" was found.
    PipeError not_number(std::string_view w) const;
    /// 113 Required operand missing.
    PipeError missing() const;
    /// The module named in messages.
    std::string_view module() const noexcept { return module_; }

  private:
    std::string_view rest_;
    std::string_view module_;
};

/// True if `word` abbreviates `name` (upper case) to `min` characters or more.
bool is_keyword(std::string_view word, std::string_view name, std::size_t min) noexcept;
/// `word` as a non-negative decimal number.
std::optional<std::size_t> parse_count(std::string_view word) noexcept;

} // namespace cpd::cms
