// SPDX-License-Identifier: MIT
// EXEC and the implicit EXEC search for unknown command words. EXECs are not
// run yet (a later issue): a found EXEC answers RC 28 with a clear message;
// an unknown word with no EXEC behind it is "Unknown CP/CMS command", RC -3.
#include "commands/command_table.hpp"
#include "messages/messages.hpp"

#include "cpd/cms/filespec.hpp"

namespace cpd::cms {

namespace {

// The message for an EXEC that exists but cannot run yet.
CommandResult not_available(const FileEntry& e) {
    return fail(rc_file_error, dms("EXE", 900, 'E',
                                   "EXEC support not yet available; " + e.fn + " EXEC " +
                                       std::string(1, e.letter) + " not run"));
}

} // namespace

// EXEC name [args]: RC 24 without a name, 28 for a bad name or no disks,
// 3 if not found (§7.2), 28 "not yet available" if found.
CommandResult cmd_exec(Session& s, const CommandLine& cl) {
    const auto args = cl.args();
    if (args.empty()) {
        return fail(rc_bad_operand, dms("EXE", 24, 'E', "Invalid command: EXEC requires a name"));
    }
    const std::string name = to_upper(args[0]);
    if (!is_valid_name(name)) {
        return fail(rc_file_error, dms("EXE", 62, 'E', "Invalid EXEC name " + name));
    }
    if (s.fs.disks().empty()) {
        return fail(rc_file_error, fs_message("EXE", FsStatus::not_accessed, "", '*'));
    }
    FileEntry e;
    if (s.fs.find(name, "EXEC", '*', e) != FsStatus::ok) {
        return fail(3, dms("EXE", 1, 'E', "EXEC " + name + " not found"));
    }
    return not_available(e);
}

// An unknown command word: an EXEC of that name would run (later); else -3.
CommandResult cmd_implicit(Session& s, const CommandLine& cl) {
    const std::string& word = cl.words()[0];
    FileEntry e;
    if (is_valid_name(word) && s.fs.find(word, "EXEC", '*', e) == FsStatus::ok) {
        return not_available(e);
    }
    return fail(rc_unknown_command, "Unknown CP/CMS command");
}

} // namespace cpd::cms
