// SPDX-License-Identifier: MIT
// The built-in command table and abbreviation matching (§7.1): an exact
// name wins; otherwise the word must be a prefix, at least the minimum
// length, of exactly one command. Adding a command is one row here.
#include "commands/command_table.hpp"

#include "cpd/cms/filespec.hpp"

#include <array>

namespace cpd::cms {

namespace {

constexpr std::array<CommandSpec, 16> table{{
    {"ACCESS", 2, cmd_access, "vdev fm",
     "Make a minidisk CP linked (directory or CP LINK) available at filemode fm"},
    {"COPYFILE", 4, cmd_copyfile, "fn ft fm fn ft [fm] | fn ft fn ft",
     "Copy a file (= keeps the source's fn, ft or fm)"},
    {"CP", 2, cmd_cp, "command", "Pass a command to CP"},
    {"ERASE", 2, cmd_erase, "fn ft [fm]", "Erase a file"},
    {"EXEC", 4, cmd_exec, "name [args]", "Run an EXEC (not yet available)"},
    {"GLOBALV", 4, cmd_globalv, "[SELECT g] SET|SETP|SETL|SETLP|GET|LIST|DELETE|PURGE ...",
     "Set and query global variables; LASTING ones survive logoff"},
    {"HELP", 4, cmd_help, "[command]", "List the commands, or show one command's syntax"},
    {"LISTFILE", 4, cmd_listfile, "[fn [ft [fm]]] [( FORMAT DATE NOHEADER]",
     "List files (* and % are patterns; default * * A)"},
    {"LOGOFF", 3, cmd_logoff, "[HOLD]", "Log off this virtual machine"},
    {"QUERY", 1, cmd_query, "DISK [fm|*] | ACCESSED | SEARCH | cp-operand",
     "Show accessed disks; other operands go to CP QUERY"},
    {"RELEASE", 3, cmd_release, "fm|vdev", "Release an accessed disk"},
    {"RENAME", 3, cmd_rename, "fn ft fm fn ft [fm] | fn ft fn ft", "Rename a file on its disk"},
    {"SMSG", 2, cmd_smsg, "userid text", "Send a special message to a user"},
    {"STATE", 2, cmd_state, "fn ft [fm]", "Verify that a file exists"},
    {"TELL", 4, cmd_tell, "userid text", "Send a message to a user (same as SMSG)"},
    {"TYPE", 1, cmd_type, "fn ft [fm]", "Display a file (fm defaults to *)"},
}};

} // namespace

std::span<const CommandSpec> command_table() noexcept {
    return table;
}

bool is_abbrev(std::string_view word, std::string_view name, std::size_t min_length) {
    const std::string up = to_upper(word);
    return up.size() >= min_length && up.size() <= name.size() && name.starts_with(up);
}

const CommandSpec* find_command(std::string_view word) noexcept {
    const std::string up = to_upper(word);
    for (const CommandSpec& c : table) {
        if (c.name == up) {
            return &c;
        }
    }
    const CommandSpec* found = nullptr;
    for (const CommandSpec& c : table) {
        if (is_abbrev(up, c.name, c.min_length)) {
            if (found != nullptr) {
                return nullptr;
            }
            found = &c;
        }
    }
    return found;
}

} // namespace cpd::cms
