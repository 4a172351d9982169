// SPDX-License-Identifier: MIT
// The built-in command table, abbreviation matching (§7.1) and dispatch:
// an exact name wins; otherwise the word must be a prefix, at least the
// minimum length, of exactly one command. A new command is one row here
// (and its entry point in command_table.hpp); the compiler then checks that
// the table is sorted and that no row's abbreviations select another row.
#include "commands/command_table.hpp"
#include "tables/abbrev_table.hpp"

#include "cpd/cms/filespec.hpp"

#include <array>

namespace cpd::cms {

namespace {

constexpr auto table = std::to_array<CommandSpec>({
    {"ACCESS", 2, cmd_access, "vdev fm",
     "Make a minidisk CP linked (directory or CP LINK) available at filemode fm"},
    {"COPYFILE", 4, cmd_copyfile, "fn ft fm fn ft [fm] | fn ft fn ft",
     "Copy a file (= keeps the source's fn, ft or fm)"},
    {"CP", 2, cmd_cp, "command", "Pass a command to CP"},
    {"DESBUF", 6, cmd_desbuf, "", "Clear the program stack, all buffers"},
    {"DISK", 4, cmd_disk, "DUMP fn ft [fm] | LOAD",
     "Punch a file keeping its name and records / load the first reader file"},
    {"DROPBUF", 7, cmd_dropbuf, "[n]", "Drop buffer n and those above it (default: the top one)"},
    {"ERASE", 2, cmd_erase, "fn ft [fm]", "Erase a file"},
    {"EXEC", 4, cmd_exec, "name [args]", "Run a REXX EXEC; rc is its exit value"},
    {"EXECIO", 6, cmd_execio, "n|* DISKR|DISKW|CP ... [( STEM x. VAR v FINIS FIFO LIFO STRING ...]",
     "From an EXEC: read or write file lines, or capture a CP command's response"},
    {"GLOBALV", 4, cmd_globalv, "[SELECT g] SET|SETP|SETL|SETLP|GET|LIST|DELETE|PURGE ...",
     "Set and query global variables; LASTING ones survive logoff"},
    {"HELP", 4, cmd_help, "[command]", "List the commands, or show one command's syntax"},
    {"LISTFILE", 4, cmd_listfile, "[fn [ft [fm]]] [( FORMAT DATE NOHEADER]",
     "List files (* and % are patterns; default * * A)"},
    {"LOGOFF", 3, cmd_logoff, "[HOLD]", "Log off this virtual machine"},
    {"MAKEBUF", 7, cmd_makebuf, "", "Start a new program stack buffer; rc is its number"},
    {"NOTE", 4, cmd_note, "userid text", "Send a short note to a user's reader"},
    {"PEEK", 2, cmd_peek, "[spoolid]", "Show the first records of a reader file"},
    {"PIPE", 4, cmd_pipe, "[(options)] stage [| stage]...",
     "Run a CMS pipeline: records flow through the stages"},
    {"PRINT", 2, cmd_print, "fn ft [fm] [( CC|NOCC]", "Print a file on the virtual printer"},
    {"PUNCH", 2, cmd_punch, "fn ft [fm] [( HEADER|NOHEADER]", "Punch a file to the virtual punch"},
    {"QUERY", 1, cmd_query, "DISK [fm|*] | ACCESSED | SEARCH | cp-operand",
     "Show accessed disks; other operands go to CP QUERY"},
    {"RDRLIST", 3, cmd_rdrlist, "[n|spoolid RECEIVE|PEEK|DISCARD [fn ft]]",
     "List the reader (numbered), or act on one of its files"},
    {"RECEIVE", 3, cmd_receive, "[spoolid|*] [fn [ft [fm]]] [( REPLACE|PURGE]",
     "Receive a reader file onto a disk"},
    {"RELEASE", 3, cmd_release, "fm|vdev", "Release an accessed disk"},
    {"RENAME", 3, cmd_rename, "fn ft fm fn ft [fm] | fn ft fn ft", "Rename a file on its disk"},
    {"RL", 2, cmd_rdrlist, "[n RECEIVE|PEEK|DISCARD]", "List the reader (RDRLIST)"},
    {"SENDFILE", 2, cmd_sendfile, "fn ft [fm] [TO] userid [( CLASS c]",
     "Send a file to a user's reader"},
    {"SENTRIES", 8, cmd_sentries, "", "rc is the number of lines on the program stack"},
    {"SF", 2, cmd_sendfile, "fn ft [fm] [TO] userid", "Send a file to a user's reader (SENDFILE)"},
    {"SMSG", 2, cmd_smsg, "userid text", "Send a special message to a user"},
    {"STATE", 2, cmd_state, "fn ft [fm]", "Verify that a file exists"},
    {"TELL", 4, cmd_tell, "userid text", "Send a message to a user (CP MSG)"},
    {"TYPE", 1, cmd_type, "fn ft [fm]", "Display a file (fm defaults to *)"},
    {"WAKEUP", 6, cmd_wakeup, "[+hh:mm:ss|=hh:mm:ss|RESET] [( SMSG IUCVMSG CONS QUIET]",
     "Wait for a time, an SMSG or a console line; rc says which came"},
    {"XEDIT", 1, cmd_xedit, "fn ft [fm] [( NOPROFILE]",
     "Edit a file in line mode; FILE saves and returns, QUIT returns"},
});

static_assert(is_well_formed_table<CommandSpec>(table),
              "command table: keep it sorted, and give each command a minimum abbreviation "
              "no other command accepts");

} // namespace

std::span<const CommandSpec> command_table() noexcept {
    return table;
}

bool is_abbrev(std::string_view word, std::string_view name, std::size_t min_length) {
    return abbreviates(to_upper(word), name, min_length);
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
        if (abbreviates(up, c.name, c.min_length)) {
            if (found != nullptr) {
                return nullptr;
            }
            found = &c;
        }
    }
    return found;
}

CommandResult dispatch(Session& s, const CommandLine& cl) {
    if (const CommandSpec* spec = find_command(cl.words()[0])) {
        return spec->run(s, cl);
    }
    return cmd_implicit(s, cl);
}

} // namespace cpd::cms
