// SPDX-License-Identifier: MIT
// EXECIO: lines between files or CP and a running EXEC's variables or the
// program stack (cms-programming.md §4).
//   EXECIO n|* DISKR fn ft [fm [line]] [( FINIS STEM x. VAR v FIFO LIFO SKIP]
//   EXECIO n|* DISKW fn ft fm [line] [( FINIS STEM x. VAR v STRING text]
//   EXECIO n|* CP [( STEM x. FIFO LIFO SKIP] STRING cp-command
// DISKR reads into x.1..x.n (x.0 the count), one variable, or the stack;
// without FINIS the file stays open and the next DISKR goes on from there.
// DISKW writes x.1..x.n (`*`: up to the first unset or empty one), one
// variable, a string, or lines pulled from the stack; it appends, or
// replaces from `line` on, and creates the file. CP captures the response.
// RCs: 0; 2 end of file before n lines; the CP rc; 24 bad operands
// (DMSEIO...E); 28 file not found; 112 disk read-only; 136 disk not
// accessed (100 + the file system's rc, as CMS gives it; the exact values
// for not found and R/O are not confirmed from IBM, see the README).
#include "commands/command_table.hpp"
#include "messages/messages.hpp"
#include "rexx/program_stack.hpp"
#include "rexx/rexx_engine.hpp"

#include "cpd/cms/filespec.hpp"

#include <charconv>
#include <climits>

namespace cpd::cms {

namespace {

struct Options {
    bool finis = false;
    bool lifo = false;
    bool skip = false;
    std::optional<std::string> stem;   ///< "X." as given, upper-cased
    std::optional<std::string> var;    ///< one variable
    std::optional<std::string> string; ///< STRING: the rest of the line
};

CommandResult bad(std::string_view text) {
    return fail(rc_bad_operand,
                dms("EIO", 24, 'E', "Invalid EXECIO operand: " + std::string(text)));
}

// Splits "words ( options": the operands before "(" and the options after.
// STRING takes the rest of the line as typed (from `cl`).
std::optional<std::string> parse_options(const CommandLine& cl, std::size_t first,
                                         std::vector<std::string>& operands, Options& o) {
    const auto& w = cl.words();
    std::size_t i = first;
    for (; i < w.size() && w[i] != "(" && !w[i].starts_with("("); ++i) {
        operands.push_back(w[i]);
    }
    if (i == w.size()) {
        return std::nullopt;
    }
    std::vector<std::string> words;
    if (w[i].size() > 1) { // "(FINIS"
        words.push_back(w[i].substr(1));
    }
    const std::size_t opt_start = w[i].size() > 1 ? i : i + 1;
    for (std::size_t j = opt_start; j < w.size(); ++j) {
        std::string word = to_upper(j == i ? w[j].substr(1) : w[j]);
        if (word == "FINIS") {
            o.finis = true;
        } else if (word == "FIFO") {
            o.lifo = false;
        } else if (word == "LIFO") {
            o.lifo = true;
        } else if (word == "SKIP") {
            o.skip = true;
        } else if ((word == "STEM" || word == "VAR") && j + 1 < w.size()) {
            (word == "STEM" ? o.stem : o.var) = to_upper(w[++j]);
        } else if (word == "STRING") {
            o.string = std::string(cl.rest_from(j + 1));
            return std::nullopt;
        } else {
            return word;
        }
    }
    return std::nullopt;
}

// n or "*" (LONG_MAX).
bool parse_count(std::string_view text, long& n) {
    if (text == "*") {
        n = LONG_MAX;
        return true;
    }
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    return ec == std::errc{} && end == text.data() + text.size() && n >= 0;
}

// The rc and message for a file system failure.
CommandResult fs_fail(Session& s, FsStatus st, const FileSpec& f) {
    int rc = rc_file_error;
    if (st == FsStatus::read_only) {
        rc = 112;
    } else if (st == FsStatus::not_accessed) {
        rc = 136;
    }
    CommandResult r = fail(rc, fs_message("EIO", st, f.text(), f.mode.letter, s.fs.last_error()));
    return r;
}

// Lines read or captured go to the stem, the variable or the stack.
void deliver(const std::vector<std::string>& lines, const Options& o) {
    if (o.skip) {
        return;
    }
    if (o.stem) {
        for (std::size_t i = 0; i < lines.size(); ++i) {
            rexx::set_variable(*o.stem + std::to_string(i + 1), lines[i]);
        }
        rexx::set_variable(*o.stem + "0", std::to_string(lines.size()));
    } else if (o.var) {
        rexx::set_variable(*o.var, lines.empty() ? std::string() : lines.front());
    } else {
        for (const std::string& l : lines) {
            rexx::stack_add(l, o.lifo);
        }
    }
}

CommandResult diskr(Session& s, long n, const std::vector<std::string>& ops, const Options& o) {
    if (ops.size() < 2 || ops.size() > 4) {
        return bad("DISKR needs fn ft [fm [line]]");
    }
    std::vector<std::string> id(ops.begin(), ops.begin() + std::min<std::size_t>(3, ops.size()));
    Parsed<FileSpec> f = parse_filespec(id, FileMode{'*', 1, false});
    if (!f || f.value->is_wild()) {
        return bad(f ? "a pattern is not a file" : f.error);
    }
    long start = 0;
    if (ops.size() == 4 && (!parse_count(ops[3], start) || start < 1 || start == LONG_MAX)) {
        return bad(ops[3]);
    }
    FileEntry e;
    if (const FsStatus st = s.fs.find(f.value->fn, f.value->ft, f.value->mode.letter, e);
        st != FsStatus::ok) {
        return fs_fail(s, st, *f.value);
    }
    std::vector<std::string> all;
    if (const FsStatus st = s.fs.read_lines(e, all); st != FsStatus::ok) {
        return fs_fail(s, st, *f.value);
    }
    const std::string key = e.fn + " " + e.ft + " " + std::string(1, e.letter);
    std::size_t pos = start > 0 ? static_cast<std::size_t>(start - 1) : s.execio_open[key];
    std::vector<std::string> got;
    while (static_cast<long>(got.size()) < n && pos < all.size()) {
        got.push_back(all[pos++]);
    }
    deliver(got, o);
    if (o.finis) {
        s.execio_open.erase(key);
    } else {
        s.execio_open[key] = pos;
    }
    const bool short_read = n != LONG_MAX && static_cast<long>(got.size()) < n;
    return rc_only(short_read ? 2 : 0);
}

// The lines DISKW writes: from the stem, the variable, STRING, or the stack.
std::vector<std::string> lines_to_write(long n, const Options& o) {
    std::vector<std::string> out;
    if (o.string) {
        out.push_back(*o.string);
    } else if (o.var) {
        out.push_back(rexx::get_variable(*o.var).value_or(""));
    } else if (o.stem) {
        for (long i = 1; i <= n; ++i) {
            std::optional<std::string> v = rexx::get_variable(*o.stem + std::to_string(i));
            if (n == LONG_MAX && (!v || v->empty())) {
                break;
            }
            out.push_back(v.value_or(""));
        }
    } else {
        while (static_cast<long>(out.size()) < n) {
            std::optional<std::string> l = rexx::stack_pull();
            if (!l || (n == LONG_MAX && l->empty())) {
                break;
            }
            out.push_back(std::move(*l));
        }
    }
    return out;
}

CommandResult diskw(Session& s, long n, const std::vector<std::string>& ops, const Options& o) {
    if (ops.size() < 3 || ops.size() > 6) {
        return bad("DISKW needs fn ft fm [line [recfm [lrecl]]]");
    }
    std::vector<std::string> id(ops.begin(), ops.begin() + 3);
    Parsed<FileSpec> f = parse_filespec(id);
    if (!f || f.value->is_wild() || f.value->mode.letter == '*') {
        return bad(f ? "DISKW needs one file on one disk" : f.error);
    }
    long start = 0;
    if (ops.size() >= 4 && (!parse_count(ops[3], start) || start == LONG_MAX)) {
        return bad(ops[3]);
    }
    const Disk* d = s.fs.disk(f.value->mode.letter);
    if (d == nullptr) {
        return fs_fail(s, FsStatus::not_accessed, *f.value);
    }
    if (d->read_only) {
        return fs_fail(s, FsStatus::read_only, *f.value);
    }
    std::vector<std::string> all;
    FileEntry e;
    if (s.fs.find(f.value->fn, f.value->ft, f.value->mode.letter, e) == FsStatus::ok) {
        if (const FsStatus st = s.fs.read_lines(e, all); st != FsStatus::ok) {
            return fs_fail(s, st, *f.value);
        }
    }
    std::size_t pos = start > 0
                          ? std::min<std::size_t>(static_cast<std::size_t>(start - 1), all.size())
                          : all.size();
    for (std::string& l : lines_to_write(n, o)) {
        if (pos < all.size()) {
            all[pos] = std::move(l);
        } else {
            all.push_back(std::move(l));
        }
        ++pos;
    }
    std::string content;
    for (const std::string& l : all) {
        content += l;
        content += '\n';
    }
    if (const FsStatus st =
            s.fs.write_file(f.value->mode.letter, f.value->fn, f.value->ft, content);
        st != FsStatus::ok) {
        return fs_fail(s, st, *f.value);
    }
    return {};
}

CommandResult cp(Session& s, long n, const std::vector<std::string>& ops, const Options& o) {
    if (!ops.empty() || !o.string || o.string->empty()) {
        return bad("CP needs ( STRING cp-command");
    }
    if (s.host == nullptr) {
        return fail(rc_file_error, dms("EIO", 26, 'E', "CP command not sent: no CP here"));
    }
    CpAnswer a = s.host->cp_command(*o.string);
    std::vector<std::string> lines;
    for (std::string& part : a.lines) {
        lines.push_back(std::move(part));
        if (static_cast<long>(lines.size()) >= n) {
            break;
        }
    }
    deliver(lines, o);
    return rc_only(a.rc);
}

} // namespace

CommandResult cmd_execio(Session& s, const CommandLine& cl) {
    const auto& w = cl.words();
    if (w.size() < 3) {
        return bad("EXECIO needs n|* DISKR|DISKW|CP ...");
    }
    if (!rexx::program_active()) {
        return fail(rc_bad_operand, dms("EIO", 631, 'E', "EXECIO can only be used from an EXEC"));
    }
    long n = 0;
    if (!parse_count(w[1], n)) {
        return bad(w[1]);
    }
    std::vector<std::string> ops;
    Options o;
    if (std::optional<std::string> unknown = parse_options(cl, 3, ops, o)) {
        return bad("option " + *unknown);
    }
    if (o.stem && o.var) {
        return bad("STEM and VAR together");
    }
    const std::string op = to_upper(w[2]);
    if (op == "DISKR" || op == "DISKRU") {
        return diskr(s, n, ops, o);
    }
    if (op == "DISKW") {
        return diskw(s, n, ops, o);
    }
    if (op == "CP") {
        return cp(s, n, ops, o);
    }
    return bad(w[2]);
}

} // namespace cpd::cms
