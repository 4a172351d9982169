// SPDX-License-Identifier: MIT
// CommandLine: one console line split into blank-delimited words, keeping
// where each word starts so a command can take "the rest of the line" (SMSG
// text, CP commands) exactly as typed. Private to cms_core.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace cpd::cms {

/// A tokenized console line.
class CommandLine {
  public:
    /// Splits `line` at blanks and tabs.
    explicit CommandLine(std::string_view line);

    /// Every word, as typed (first is the command word).
    const std::vector<std::string>& words() const noexcept { return words_; }
    /// The operands: every word after the first.
    std::vector<std::string> args() const;
    /// The line from the start of word `index` to the end, trailing blanks removed.
    std::string_view rest_from(std::size_t index) const noexcept;

  private:
    std::string line_;
    std::vector<std::string> words_;
    std::vector<std::size_t> starts_;
};

} // namespace cpd::cms
