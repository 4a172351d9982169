// SPDX-License-Identifier: MIT
// The built-in CMS command table (full name, IBM minimum abbreviation,
// syntax, summary), the dispatch of a parsed line to its command, and the
// entry point of every command. Each family of commands lives in its own
// file beside this one; README.md, "How to add a command", is the recipe.
// Private to cms_core.
#pragma once

#include "commands/command_line.hpp"
#include "cpd/cms/command_result.hpp"
#include "cpd/cms/session.hpp"

#include <cstddef>
#include <optional>
#include <span>
#include <string_view>

namespace cpd::cms {

/// A command's entry point: runs the parsed line against the session.
using CommandFn = CommandResult (*)(Session&, const CommandLine&);

/// One row of the command table.
struct CommandSpec {
    std::string_view name;    ///< full name, e.g. "LISTFILE"
    std::size_t min_length;   ///< shortest accepted abbreviation
    CommandFn run;            ///< entry point
    std::string_view syntax;  ///< operands, e.g. "fn ft [fm]"
    std::string_view summary; ///< one line on what it does
};

/// Every built-in command, in alphabetical order.
std::span<const CommandSpec> command_table() noexcept;
/// The command `word` names (any case): an exact name, or an abbreviation of
/// at least the minimum length that names exactly one command; else nullptr.
const CommandSpec* find_command(std::string_view word) noexcept;
/// A word naming a subcommand with a minimum abbreviation (QUERY operands).
bool is_abbrev(std::string_view word, std::string_view name, std::size_t min_length);
/// Runs a non-empty line: the command its first word names, else the
/// implicit EXEC search (cmd_implicit).
CommandResult dispatch(Session& s, const CommandLine& cl);

// Entry points, by family file (commands/<family>.cpp).
// disk.cpp
CommandResult cmd_access(Session&, const CommandLine&);
CommandResult cmd_release(Session&, const CommandLine&);
// query.cpp
CommandResult cmd_query(Session&, const CommandLine&);
// listfile.cpp
CommandResult cmd_listfile(Session&, const CommandLine&);
// file.cpp
CommandResult cmd_state(Session&, const CommandLine&);
CommandResult cmd_type(Session&, const CommandLine&);
// file_update.cpp
CommandResult cmd_erase(Session&, const CommandLine&);
CommandResult cmd_copyfile(Session&, const CommandLine&);
CommandResult cmd_rename(Session&, const CommandLine&);
// globalv.cpp
CommandResult cmd_globalv(Session&, const CommandLine&);
// comm.cpp
CommandResult cmd_smsg(Session&, const CommandLine&);
CommandResult cmd_tell(Session&, const CommandLine&);
CommandResult cmd_cp(Session&, const CommandLine&);
CommandResult cmd_logoff(Session&, const CommandLine&);
// pipe.cpp
CommandResult cmd_pipe(Session&, const CommandLine&);
// help.cpp
CommandResult cmd_help(Session&, const CommandLine&);
// exec.cpp
CommandResult cmd_exec(Session&, const CommandLine&);
/// An unknown command word: the implicit EXEC search, else CP (IMPCP), or
/// "Unknown CP/CMS command" when there is no CP (no CommandHost).
CommandResult cmd_implicit(Session&, const CommandLine&);
// xedit.cpp
CommandResult cmd_xedit(Session&, const CommandLine&);
// xedit_macro.cpp
/// Sets XEDIT's macro runner (PROFILE XEDIT, "fn XEDIT" macros) to run
/// REXX for `s`; XEDIT calls it before it opens a file. A runner set by
/// someone else (a test's) is kept.
void install_xedit_macros(Session& s);
/// A console line's first word names an EXEC on an accessed disk: it runs
/// before any command of that name (z/VM's search order, IMPEX); nullopt if
/// there is none.
std::optional<CommandResult> exec_before_command(Session&, const CommandLine&);
/// PROFILE EXEC at IPL, if one is on an accessed disk.
CommandResult run_profile(Session&);
// stack.cpp
CommandResult cmd_makebuf(Session&, const CommandLine&);
CommandResult cmd_dropbuf(Session&, const CommandLine&);
CommandResult cmd_sentries(Session&, const CommandLine&);
CommandResult cmd_desbuf(Session&, const CommandLine&);
// execio.cpp
CommandResult cmd_execio(Session&, const CommandLine&);
// wakeup.cpp
CommandResult cmd_wakeup(Session&, const CommandLine&);

// punch.cpp
CommandResult cmd_punch(Session& s, const CommandLine& cl);
CommandResult cmd_print(Session& s, const CommandLine& cl);
CommandResult cmd_disk(Session& s, const CommandLine& cl);
// sendfile.cpp
CommandResult cmd_sendfile(Session& s, const CommandLine& cl);
CommandResult cmd_note(Session& s, const CommandLine& cl);
// receive.cpp
CommandResult cmd_receive(Session& s, const CommandLine& cl);
CommandResult cmd_peek(Session& s, const CommandLine& cl);
CommandResult cmd_rdrlist(Session& s, const CommandLine& cl);

} // namespace cpd::cms
