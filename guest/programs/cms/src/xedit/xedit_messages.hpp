// SPDX-License-Identifier: MIT
// XEDIT's return codes and message texts ("DMSXxxnnnE ..."), in one place so
// that every subcommand words the same condition the same way. The numbers
// follow XEDIT where the reference knows them; the README lists which are
// unverified. Private to cms_core.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace cpd::cms::xedit {

/// XEDIT subcommand return codes.
inline constexpr int rc_ok = 0;
inline constexpr int rc_tof_eof = 1;       ///< the move stopped at the top or end of file
inline constexpr int rc_not_found = 2;     ///< target not found
inline constexpr int rc_no_change = 4;     ///< CHANGE found nothing to change
inline constexpr int rc_invalid = 5;       ///< invalid or missing operand
inline constexpr int rc_file_changed = 12; ///< QUIT of a changed file
inline constexpr int rc_unknown = -1;      ///< not a subcommand (when not passed to CMS)

/// "DMSXMS520E Invalid operand: <what>".
std::string invalid_operand(std::string_view what);
/// "DMSXMS545E Missing operand(s)".
std::string missing_operand();
/// "DMSXMS546E Target not found" ("DMSXCG546E" for module "CG", CHANGE).
std::string target_not_found(std::string_view module = "MS");
/// "DMSXCG517I n occurrence(s) changed on m line(s)".
std::string occurrences_changed(std::size_t occurrences, std::size_t lines);
/// "DMSXSU577E File has been changed; type QQUIT to quit anyway".
std::string file_changed();
/// "DMSXIN561I New file" when XEDIT opens a file that does not exist.
std::string new_file();
/// "DMSXIN573I Input mode:" when INPUT without text starts input mode.
std::string input_mode();
/// "DMSXMS521E Invalid subcommand: <word>" (IMPCMSCP cannot reach CMS).
std::string invalid_subcommand(std::string_view word);

} // namespace cpd::cms::xedit
