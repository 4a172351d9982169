// SPDX-License-Identifier: MIT
// LISTFILE [fn [ft [fm]]] [( options]: the files matching `*`/`%` patterns in
// CMS's columns. Omitted operands default as in CMS (* * A), fm * means every
// accessed disk. FORMAT and DATE add the format, record and date columns
// under a header line; NOHEADER drops the header. RCs: 24 bad operands or
// option, 28 no match or the disk is not accessed.
#include "commands/command_table.hpp"
#include "messages/messages.hpp"

#include "cpd/cms/filespec.hpp"

#include <cstdio>
#include <ctime>

namespace cpd::cms {

namespace {

/// The columns LISTFILE shows.
struct ListOptions {
    bool format = false; ///< FORMAT: format, LRECL, records, blocks
    bool date = false;   ///< DATE: FORMAT's columns and the date and time of last change
    bool header = true;  ///< the header line, when there are more than fileid columns
};

/// CMS's 4 KiB blocks a file of `bytes` takes (at least one).
std::uintmax_t blocks_of(std::uintmax_t bytes) {
    return bytes == 0 ? 1 : (bytes + 4095) / 4096;
}

// Parses the option words after "(": FORMAT (FO), DATE (D), HEADER, NOHEADER.
bool parse_options(const std::vector<std::string>& words, ListOptions& out, std::string& bad) {
    for (std::string w : words) {
        if (w.starts_with("(")) {
            w.erase(0, 1);
        }
        if (w.ends_with(")")) {
            w.pop_back();
        }
        if (w.empty()) {
            continue;
        }
        if (is_abbrev(w, "FORMAT", 2)) {
            out.format = true;
        } else if (is_abbrev(w, "DATE", 1)) {
            out.date = true;
        } else if (is_abbrev(w, "HEADER", 4)) {
            out.header = true;
        } else if (is_abbrev(w, "NOHEADER", 3)) {
            out.header = false;
        } else {
            bad = to_upper(w);
            return false;
        }
    }
    return true;
}

// One line of the FORMAT/DATE listing: "PROFILE  EXEC     A1 V   80  12  1 ...".
std::string long_line(const std::string& fileid, const FileStats& st, bool date) {
    char buf[160];
    std::snprintf(buf, sizeof buf, "%s V %10zu %10zu %10ju", fileid.c_str(), st.lrecl, st.records,
                  blocks_of(st.bytes));
    std::string line = buf;
    if (date) {
        const auto when = static_cast<std::time_t>(st.mtime);
        std::tm tm{};
        localtime_r(&when, &tm);
        std::snprintf(buf, sizeof buf, " %2d/%02d/%02d %2d:%02d:%02d", tm.tm_mon + 1, tm.tm_mday,
                      tm.tm_year % 100, tm.tm_hour, tm.tm_min, tm.tm_sec);
        line += buf;
    }
    return line;
}

} // namespace

// LISTFILE [fn [ft [fm]]] [( options]
CommandResult cmd_listfile(Session& s, const CommandLine& cl) {
    std::vector<std::string> operands = cl.args();
    std::vector<std::string> option_words;
    for (std::size_t i = 0; i < operands.size(); ++i) {
        if (operands[i].starts_with("(")) {
            option_words.assign(operands.begin() + static_cast<std::ptrdiff_t>(i), operands.end());
            operands.resize(i);
            break;
        }
    }
    ListOptions opts;
    if (std::string bad; !parse_options(option_words, opts, bad)) {
        return fail(rc_bad_operand, dms("LST", 3, 'E', "Invalid option: " + bad));
    }
    while (operands.size() < 2) {
        operands.emplace_back("*"); // LISTFILE = LISTFILE * * A, LISTFILE fn = fn * A
    }
    const auto spec = parse_filespec(operands);
    if (!spec) {
        return fail(rc_bad_operand, dms("LST", 54, 'E', spec.error));
    }
    const FileSpec& f = *spec.value;
    if (f.mode.letter != '*' && s.fs.disk(f.mode.letter) == nullptr) {
        return fail(rc_file_error,
                    fs_message("LST", FsStatus::not_accessed, f.text(), f.mode.letter));
    }
    const bool is_long = opts.format || opts.date;
    CommandResult r;
    for (const FileEntry& e : s.fs.list(f.fn, f.ft, f.mode.letter)) {
        char fileid[32];
        std::snprintf(fileid, sizeof fileid, "%-8s %-8s %c1", e.fn.c_str(), e.ft.c_str(), e.letter);
        FileStats st;
        if (!is_long) {
            r.lines.emplace_back(fileid);
        } else if (const FsStatus fs = s.fs.stat_file(e, st); fs == FsStatus::ok) {
            r.lines.push_back(long_line(fileid, st, opts.date));
        } else if (fs != FsStatus::not_found) { // one that vanished meanwhile is not listed
            r.lines.push_back(fs_message("LST", fs, e.fn + ' ' + e.ft + ' ' + e.letter, e.letter,
                                         s.fs.last_error()));
            r.rc = rc_file_error;
        }
    }
    if (r.lines.empty()) {
        return fail(rc_file_error, dms("LST", 2, 'E', "File " + f.text() + " not found"));
    }
    if (is_long && opts.header) {
        r.lines.insert(r.lines.begin(),
                       std::string("FILENAME FILETYPE FM FORMAT LRECL       RECS     BLOCKS") +
                           (opts.date ? "     DATE     TIME" : ""));
    }
    return r;
}

} // namespace cpd::cms
