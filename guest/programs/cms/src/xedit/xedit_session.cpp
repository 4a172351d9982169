// SPDX-License-Identifier: MIT
// XEDIT at the console: subcommands and input go to the Editor; an unknown
// word is an XEDIT macro if "word XEDIT" exists and REXX can run it, else a
// CMS command (IMPCMSCP), whose output and side effects (CP, SMSG) come back
// as the line's result. A second XEDIT from inside XEDIT is refused: this
// XEDIT keeps one file, not XEDIT's ring.
#include "xedit/xedit_session.hpp"

#include "xedit/xedit_messages.hpp"

#include "cpd/cms/filespec.hpp"

namespace cpd::cms::xedit {

namespace {

// A Reply as the console shows it.
CommandResult to_result(Reply r) {
    CommandResult out;
    out.rc = r.rc;
    out.lines = std::move(r.lines);
    return out;
}

// The first word of `line` and the rest after it.
std::pair<std::string, std::string_view> split_word(std::string_view line) {
    const auto start = line.find_first_not_of(" \t");
    if (start == std::string_view::npos) {
        return {};
    }
    line.remove_prefix(start);
    const auto end = line.find_first_of(" \t");
    const std::string word(line.substr(0, end));
    return {word, end == std::string_view::npos ? std::string_view{} : line.substr(end + 1)};
}

} // namespace

MacroRunner& macro_runner() {
    static MacroRunner runner;
    return runner;
}

XeditSession::XeditSession(Editor editor, CmsRunner cms)
    : editor_(std::move(editor)), cms_(std::move(cms)) {}

CommandResult XeditSession::start(std::vector<std::string> opening, bool run_profile) {
    // The profile runs first and XEDIT's own messages follow, as XEDIT
    // shows them after the profile: a macro that runs with a CommandHost
    // has its lines typed at once, so this order is the only one both paths
    // can keep.
    CommandResult r;
    FileEntry profile;
    if (run_profile && macro_runner() &&
        editor_.fs().find("PROFILE", "XEDIT", '*', profile) == FsStatus::ok) {
        r = macro_runner()(profile, "", editor_);
    }
    r.lines.insert(r.lines.end(), opening.begin(), opening.end());
    if (editor_.is_done()) {
        r.rc = editor_.exit_rc(); // the profile filed or quit: XEDIT's rc, not the macro's
    }
    return r;
}

proto::ConsoleMode XeditSession::mode() const noexcept {
    return editor_.is_input_mode() ? proto::ConsoleMode::xedit_input : proto::ConsoleMode::xedit;
}

CommandResult XeditSession::on_line(std::string_view line) {
    Reply r = editor_.execute(line);
    CommandResult out = r.cms_command ? run_other(*r.cms_command) : to_result(std::move(r));
    if (editor_.is_done()) {
        // FILE or QUIT n ends the XEDIT command with this rc, also when a
        // macro gave it: XEDIT ends once the macro has returned.
        out.rc = editor_.exit_rc();
    }
    return out;
}

// A word that is no subcommand: a macro "word XEDIT", else a CMS command.
CommandResult XeditSession::run_other(const std::string& line) {
    const auto [word, args] = split_word(line);
    FileEntry macro;
    if (macro_runner() && is_valid_name(word) &&
        editor_.fs().find(to_upper(word), "XEDIT", '*', macro) == FsStatus::ok) {
        return macro_runner()(macro, args, editor_);
    }
    if (!cms_) {
        CommandResult out;
        out.rc = rc_unknown;
        out.lines.push_back(invalid_subcommand(word));
        return out;
    }
    CommandResult out = cms_(line);
    if (out.modal) {
        // XEDIT typed inside XEDIT: XEDIT's ring of files is not kept here.
        out = {};
        out.rc = rc_invalid;
        out.lines.push_back(invalid_subcommand(word + " (one file at a time)"));
    }
    return out;
}

} // namespace cpd::cms::xedit
