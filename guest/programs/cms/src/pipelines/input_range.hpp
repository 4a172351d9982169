// SPDX-License-Identifier: MIT
// InputRange: the part of a record a stage looks at: columns (5, 5-9,
// 5-*, 5.3), words (W2, WORDS 2-3) or fields (F1, FIELDS 1-2), with the
// word or field separator in force. Extraction returns a view into the
// record, never a copy.
#pragma once

#include "pipelines/operands.hpp"

#include <cstddef>
#include <optional>
#include <string_view>

namespace cpd::cms {

/// A range of columns, words or fields; `to` of npos means "to the end".
struct InputRange {
    enum class Unit : unsigned char { column, word, field };
    static constexpr std::size_t end = static_cast<std::size_t>(-1);

    Unit unit = Unit::column;
    std::size_t from = 1; ///< 1-based
    std::size_t to = end; ///< 1-based, inclusive
    char separator = ' '; ///< word separator (blank) or field separator (tab)

    /// True if the range is the whole record.
    bool is_whole() const noexcept { return unit == Unit::column && from == 1 && to == end; }
    /// The part of `record` in the range (empty if the record is too short).
    std::string_view extract(std::string_view record) const noexcept;
};

/// True if `word` can only be read as an input range.
bool looks_like_range(std::string_view word) noexcept;

/// Reads an input range at the cursor, with word separator `ws` and field
/// separator `fs`: the range, or nullopt with `error` set (54) if the next
/// word looks like a range but is not a valid one. Call only when
/// looks_like_range(ops.peek()).
std::optional<InputRange> take_range(Operands& ops, PipeError& error, char ws = ' ',
                                     char fs = '\t');

} // namespace cpd::cms
