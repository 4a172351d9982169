// SPDX-License-Identifier: MIT
// The read-only file commands STATE (does a file exist) and TYPE (show a
// file's lines); LISTFILE has its own file. RCs per §7.2: 24 bad operands,
// 28 not found, STATE 20 for other errors.
#include "commands/command_table.hpp"
#include "messages/messages.hpp"

#include "cpd/cms/filespec.hpp"

namespace cpd::cms {

// STATE fn ft [fm]: one line "FN FT L<d>"; 28 if missing, 20 for other errors.
CommandResult cmd_state(Session& s, const CommandLine& cl) {
    const auto args = cl.args();
    const auto spec = parse_filespec(args);
    if (!spec) {
        return fail(rc_bad_operand, dms("STT", 54, 'E', spec.error));
    }
    const FileSpec& f = *spec.value;
    if (f.is_wild()) {
        return fail(20, dms("STT", 62, 'E', "Invalid * in fileid " + f.text()));
    }
    FileEntry e;
    const FsStatus st = s.fs.find(f.fn, f.ft, f.mode.letter, e);
    if (st != FsStatus::ok) {
        return fail(st == FsStatus::not_found ? rc_file_error : 20,
                    fs_message("STT", st, f.text(), f.mode.letter));
    }
    CommandResult r;
    r.lines.push_back(e.fn + ' ' + e.ft + ' ' + e.letter + std::to_string(f.mode.digit));
    return r;
}

// TYPE fn ft [fm]: the file's lines (fm defaults to *, as in CMS).
CommandResult cmd_type(Session& s, const CommandLine& cl) {
    const auto args = cl.args();
    const auto spec = parse_filespec(args, FileMode{'*', 1, false});
    if (!spec) {
        return fail(rc_bad_operand, dms("TYP", 54, 'E', spec.error));
    }
    const FileSpec& f = *spec.value;
    if (f.is_wild()) {
        return fail(20, dms("TYP", 62, 'E', "Invalid * in fileid " + f.text()));
    }
    FileEntry e;
    FsStatus st = s.fs.find(f.fn, f.ft, f.mode.letter, e);
    CommandResult r;
    if (st == FsStatus::ok) {
        st = s.fs.read_lines(e, r.lines);
    }
    if (st != FsStatus::ok) {
        return fail(rc_file_error, fs_message("TYP", st, f.text(), f.mode.letter, s.fs.last_error()));
    }
    for (std::string& line : r.lines) {
        line = printable(line);
    }
    return r;
}

} // namespace cpd::cms
