// SPDX-License-Identifier: MIT
// The XEDIT subcommand table (full name, XEDIT's minimum abbreviation, entry
// point, syntax) and the entry point of every subcommand. Each family lives
// in its own file under subcommands/; README.md, "How to add an XEDIT
// subcommand", is the recipe. Private to cms_core.
#pragma once

#include "xedit/editor.hpp"

#include <cstddef>
#include <span>
#include <string_view>

namespace cpd::cms::xedit {

/// A subcommand's entry point: runs it with the operands as typed.
using SubcommandFn = Reply (*)(Editor&, std::string_view operands);

/// One row of the subcommand table.
struct SubcommandSpec {
    std::string_view name;   ///< full name, e.g. "LOCATE"
    std::size_t min_length;  ///< shortest accepted abbreviation
    SubcommandFn run;        ///< entry point
    std::string_view syntax; ///< operands
};

/// Every subcommand, in alphabetical order.
std::span<const SubcommandSpec> subcommand_table() noexcept;
/// The subcommand `word` (any case) names, or nullptr.
const SubcommandSpec* find_subcommand(std::string_view word) noexcept;
/// True if `word` (any case) is `name` or an abbreviation of it down to `min_length`.
bool is_abbrev_of(std::string_view word, std::string_view name, std::size_t min_length);

// Entry points, by family file (subcommands/<family>.cpp).
// moving.cpp
Reply sub_top(Editor&, std::string_view);
Reply sub_bottom(Editor&, std::string_view);
Reply sub_up(Editor&, std::string_view);
Reply sub_down(Editor&, std::string_view);
Reply sub_next(Editor&, std::string_view);
// finding.cpp
Reply sub_locate(Editor&, std::string_view);
// change.cpp
Reply sub_change(Editor&, std::string_view);
// lines.cpp
Reply sub_input(Editor&, std::string_view);
Reply sub_delete(Editor&, std::string_view);
Reply sub_replace(Editor&, std::string_view);
Reply sub_type(Editor&, std::string_view);
// filing.cpp
Reply sub_file(Editor&, std::string_view);
Reply sub_save(Editor&, std::string_view);
Reply sub_quit(Editor&, std::string_view);
Reply sub_qquit(Editor&, std::string_view);
// set.cpp
Reply sub_set(Editor&, std::string_view);
// extract.cpp
Reply sub_extract(Editor&, std::string_view);

} // namespace cpd::cms::xedit
