// SPDX-License-Identifier: MIT
// XEDIT fn ft [fm] [( NOPROFILE]: opens a file for line-mode editing and
// hands the console to the XEDIT session until FILE or QUIT. Without fm the
// file is looked for on every accessed disk and a new one goes to A. A file
// on a R/O disk opens, and SAVE/FILE then refuse. RCs: 24 syntax, 28 disk
// not accessed or the file cannot be read; then the session's rc.
#include "commands/command_table.hpp"
#include "messages/messages.hpp"
#include "xedit/xedit_messages.hpp"
#include "xedit/xedit_session.hpp"

#include "cpd/cms/filespec.hpp"

#include <memory>

namespace cpd::cms {

namespace {

// Splits "fn ft fm ( options" at the "(".
void split_options(const std::vector<std::string>& args, std::vector<std::string>& fileid,
                   std::vector<std::string>& options) {
    bool in_options = false;
    for (const std::string& a : args) {
        if (!in_options && a.starts_with('(')) {
            in_options = true;
            if (a.size() > 1) {
                options.push_back(a.substr(1));
            }
            continue;
        }
        (in_options ? options : fileid).push_back(a);
    }
}

} // namespace

CommandResult cmd_xedit(Session& s, const CommandLine& cl) {
    std::vector<std::string> fileid;
    std::vector<std::string> options;
    split_options(cl.args(), fileid, options);
    bool profile = true;
    for (const std::string& o : options) {
        if (!is_abbrev(o, "NOPROFILE", 6)) {
            return fail(rc_bad_operand, dms("XIN", 3, 'E', "Invalid option: " + o));
        }
        profile = false;
    }
    if (fileid.size() < 2) {
        return fail(rc_bad_operand, dms("XIN", 54, 'E', "Incomplete fileid specified"));
    }
    const bool mode_given = fileid.size() >= 3;
    const auto spec = parse_filespec(fileid, FileMode{'A', 1, false});
    if (!spec) {
        return fail(rc_bad_operand, dms("XIN", 54, 'E', spec.error));
    }
    const FileSpec& f = *spec.value;
    if (f.is_wild()) {
        return fail(rc_bad_operand, dms("XIN", 62, 'E', "Invalid * in fileid " + f.text()));
    }
    FileEntry e;
    FsStatus st = s.fs.find(f.fn, f.ft, mode_given ? f.mode.letter : '*', e);
    std::vector<std::string> records;
    std::vector<std::string> opening;
    char letter = mode_given ? f.mode.letter : 'A';
    if (st == FsStatus::ok) {
        letter = e.letter;
        st = s.fs.read_lines(e, records);
    } else if (st == FsStatus::not_found && s.fs.disk(letter) != nullptr) {
        st = FsStatus::ok;
        opening.push_back(xedit::new_file());
    } else if (st == FsStatus::not_found) {
        st = FsStatus::not_accessed;
    }
    if (st != FsStatus::ok) {
        return fail(rc_file_error, fs_message("XIN", st, f.fn + ' ' + f.ft + ' ' + letter, letter,
                                              s.fs.last_error()));
    }
    const bool read_only = s.fs.disk(letter)->read_only;
    xedit::Editor editor(s.fs, xedit::EditFile({f.fn, f.ft, letter}, std::move(records)),
                         read_only);
    install_xedit_macros(s); // PROFILE XEDIT and macros run through REXX
    auto session = std::make_shared<xedit::XeditSession>(
        std::move(editor), [&s](std::string_view line) { return dispatch(s, CommandLine(line)); });
    CommandResult r = session->start(std::move(opening), profile);
    r.modal = std::move(session);
    return r;
}

} // namespace cpd::cms
