// SPDX-License-Identifier: MIT
// The file commands that change a disk: ERASE, COPYFILE and RENAME. Target
// operands may be '=' (same as the source). RCs per §7.2: 24 bad operands,
// 28 for wildcards, missing files, unaccessed or read-only disks.
#include "commands/command_table.hpp"
#include "messages/messages.hpp"

#include "cpd/cms/filespec.hpp"

namespace cpd::cms {

namespace {

// Source and target of COPYFILE/RENAME: 6 tokens, 5 (target fm A1) or 4 (both A1).
struct FilePair {
    FileSpec from;
    FileSpec to;
};

// Parses the 4-6 operand forms; '=' in the target takes the source's value.
Parsed<FilePair> parse_pair(std::vector<std::string> args, std::string_view name) {
    Parsed<FilePair> r;
    if (args.size() < 4 || args.size() > 6) {
        r.error = "Invalid command: " + std::string(name) + " requires fn ft [fm] fn ft [fm]";
        return r;
    }
    const std::size_t split = args.size() == 4 ? 2 : 3;
    for (std::size_t i = split; i < args.size(); ++i) {
        if (args[i] == "=") {
            args[i] = args[i - split]; // the target has no more tokens than the source
        }
    }
    auto from = parse_filespec(std::span(args).first(split));
    auto to = parse_filespec(std::span(args).subspan(split));
    if (!from || !to) {
        r.error = !from ? from.error : to.error;
        return r;
    }
    if (to.value->mode.letter == '*') {
        r.error = "Invalid mode * for the target file";
        return r;
    }
    r.value = FilePair{*from.value, *to.value};
    return r;
}

// Strips a trailing CMS option list "( ...": options are accepted and ignored.
std::vector<std::string> without_options(std::vector<std::string> args) {
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i].starts_with("(")) {
            args.resize(i);
            break;
        }
    }
    return args;
}

} // namespace

// ERASE fn ft [fm]
CommandResult cmd_erase(Session& s, const CommandLine& cl) {
    const auto spec = parse_filespec(cl.args());
    if (!spec) {
        return fail(rc_bad_operand, dms("ERS", 54, 'E', spec.error));
    }
    const FileSpec& f = *spec.value;
    if (f.is_wild()) {
        return fail(rc_file_error, dms("ERS", 62, 'E', "Invalid * in fileid " + f.text()));
    }
    FileEntry e;
    FsStatus st = s.fs.find(f.fn, f.ft, f.mode.letter, e);
    if (st == FsStatus::ok) {
        st = s.fs.erase(e);
    }
    if (st != FsStatus::ok) {
        const char letter = st == FsStatus::read_only ? e.letter : f.mode.letter;
        return fail(rc_file_error, fs_message("ERS", st, f.text(), letter, s.fs.last_error()));
    }
    return {};
}

// COPYFILE fn ft fm fn ft [fm] | fn ft fn ft [( options]: overwrites the target.
CommandResult cmd_copyfile(Session& s, const CommandLine& cl) {
    const auto pair = parse_pair(without_options(cl.args()), "COPYFILE");
    if (!pair) {
        return fail(rc_bad_operand, dms("CPY", 54, 'E', pair.error));
    }
    const auto& [from, to] = *pair.value;
    if (from.is_wild() || to.is_wild()) {
        return fail(rc_file_error,
                    dms("CPY", 62, 'E', "Invalid * in fileid " + from.text() + " " + to.text()));
    }
    FileEntry e;
    if (FsStatus st = s.fs.find(from.fn, from.ft, from.mode.letter, e); st != FsStatus::ok) {
        return fail(rc_file_error, fs_message("CPY", st, from.text(), from.mode.letter));
    }
    if (FsStatus st = s.fs.copy(e, to.fn, to.ft, to.mode.letter); st != FsStatus::ok) {
        const bool src = st == FsStatus::not_found;
        return fail(rc_file_error, fs_message("CPY", st, src ? from.text() : to.text(),
                                              src ? e.letter : to.mode.letter, s.fs.last_error()));
    }
    return {};
}

// RENAME fn ft fm fn ft [fm] | fn ft fn ft: both files on one disk.
CommandResult cmd_rename(Session& s, const CommandLine& cl) {
    const auto pair = parse_pair(cl.args(), "RENAME");
    if (!pair) {
        return fail(rc_bad_operand, dms("REN", 54, 'E', pair.error));
    }
    const auto& [from, to] = *pair.value;
    if (from.is_wild() || to.is_wild()) {
        return fail(rc_file_error,
                    dms("REN", 62, 'E', "Invalid * in fileid " + from.text() + " " + to.text()));
    }
    FileEntry e;
    if (FsStatus st = s.fs.find(from.fn, from.ft, from.mode.letter, e); st != FsStatus::ok) {
        return fail(rc_file_error, fs_message("REN", st, from.text(), from.mode.letter));
    }
    if (e.letter != to.mode.letter) {
        return fail(rc_file_error,
                    dms("REN", 19, 'E',
                        "RENAME requires both files on the same disk (" + std::string(1, e.letter) +
                            " and " + to.mode.text() + ")"));
    }
    if (FsStatus st = s.fs.rename(e, to.fn, to.ft); st != FsStatus::ok) {
        return fail(rc_file_error, fs_message("REN", st, to.text(), e.letter, s.fs.last_error()));
    }
    return {};
}

} // namespace cpd::cms
