// SPDX-License-Identifier: MIT
// PUNCH and PRINT: a CMS file's records to the virtual punch (000D, 80-column
// cards after a ":READ fn ft fm" header card unless NOHEADER) or printer
// (000E, a record per line); CLOSE then ends the spool file, which goes where
// CP's SPOOL settings send it. SENDFILE shares the file lookup. RCs: 24 bad
// operands, 28 file not found.
#include "commands/command_table.hpp"
#include "messages/messages.hpp"
#include "cpd/cms/spool_records.hpp"

#include "cpd/cms/filespec.hpp"

namespace cpd::cms {

/// Splits "fn ft fm ( options" into the file words and the upper-cased options.
void split_options(const std::vector<std::string>& args, std::vector<std::string>& file,
                   std::vector<std::string>& options) {
    bool opts = false;
    for (const std::string& a : args) {
        if (a.starts_with('(')) {
            opts = true;
            if (a.size() > 1) {
                options.push_back(to_upper(a.substr(1)));
            }
        } else if (opts) {
            options.push_back(to_upper(a == ")" ? "" : a));
        } else {
            file.push_back(a);
        }
    }
    std::erase(options, "");
}

/// Finds the file `words` name; a failed result on error.
std::optional<CommandResult> find_spool_source(Session& s, const std::vector<std::string>& words,
                                               std::string_view mod, FileEntry& e) {
    const auto spec = parse_filespec(words);
    if (!spec) {
        return fail(rc_bad_operand, dms(mod, 54, 'E', spec.error));
    }
    const FileSpec& f = *spec.value;
    if (f.is_wild()) {
        return fail(rc_bad_operand, dms(mod, 62, 'E', "Invalid * in fileid " + f.text()));
    }
    const FsStatus st = s.fs.find(f.fn, f.ft, f.mode.letter, e);
    if (st != FsStatus::ok) {
        return fail(rc_file_error, fs_message(mod, st, f.text(), f.mode.letter, s.fs.last_error()));
    }
    return std::nullopt;
}

CommandResult cmd_receive(Session& s, const CommandLine& cl);

namespace {

CommandResult punch_or_print(Session& s, const CommandLine& cl, bool print) {
    const std::string_view mod = print ? "PRT" : "PUN";
    std::vector<std::string> file, options;
    split_options(cl.args(), file, options);
    bool header = !print;
    for (const std::string& o : options) {
        if (!print && (o == "HEADER" || o == "NOHEADER" || o == "NOH")) {
            header = o == "HEADER";
        } else if (!(print && (o == "CC" || o == "NOCC"))) {
            return fail(rc_bad_operand, dms(mod, 3, 'E', "Invalid option: " + o));
        }
    }
    FileEntry e;
    if (auto bad = find_spool_source(s, file, mod, e)) {
        return *bad;
    }
    CommandResult r;
    SpoolSend job;
    job.path = e.path.string();
    job.vdev = print ? 0x000E : 0x000D;
    job.format = static_cast<std::uint8_t>(print    ? SpoolFormat::print
                                           : header ? SpoolFormat::cards
                                                    : SpoolFormat::print);
    job.fn = e.fn;
    job.ft = e.ft;
    job.fm = std::string(1, e.letter);
    job.close = std::string(print ? "CLOSE 000E" : "CLOSE 000D") + " NAME " + e.fn + " " + e.ft;
    r.spool_send = std::move(job);
    return r;
}

} // namespace

// PUNCH fn ft [fm] [( HEADER|NOHEADER]
CommandResult cmd_punch(Session& s, const CommandLine& cl) {
    return punch_or_print(s, cl, false);
}

// PRINT fn ft [fm] [( CC|NOCC]
CommandResult cmd_print(Session& s, const CommandLine& cl) {
    return punch_or_print(s, cl, true);
}

// DISK DUMP fn ft [fm]: the file to the punch in SENDFILE's format (its
// name, type and records kept); DISK LOAD: the first reader file back to
// disk A under its own name, replacing a file of that name.
CommandResult cmd_disk(Session& s, const CommandLine& cl) {
    const auto args = cl.args();
    const std::string how = args.empty() ? "" : to_upper(args[0]);
    if (how == "LOAD") {
        CommandResult r = cmd_receive(s, CommandLine("RECEIVE * ( REPLACE"));
        return r;
    }
    if (how != "DUMP") {
        return fail(rc_bad_operand, dms("DSK", 54, 'E', "Use DISK DUMP fn ft [fm] or DISK LOAD"));
    }
    FileEntry e;
    if (auto bad = find_spool_source(s, std::vector<std::string>(args.begin() + 1, args.end()),
                                     "DSK", e)) {
        return *bad;
    }
    CommandResult r;
    SpoolSend job;
    job.path = e.path.string();
    job.vdev = 0x000D;
    job.format = static_cast<std::uint8_t>(SpoolFormat::sendfile);
    job.fn = e.fn;
    job.ft = e.ft;
    job.fm = std::string(1, e.letter);
    job.close = "CLOSE 000D NAME " + e.fn + " " + e.ft;
    r.spool_send = std::move(job);
    return r;
}

} // namespace cpd::cms
