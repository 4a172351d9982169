// SPDX-License-Identifier: MIT
// CHANGE /old/new/ [target [n [m]]]: in the lines from the current one up to
// the target (default: the current line only), replace old by new up to n
// times per line (default 1, "*" all) from the m-th occurrence on (default
// 1), inside SET ZONE and matching by SET CASE. The delimiter is the first
// character of the operands. CHANGE alone repeats the last CHANGE. rc 0 with
// DMSXCG517I, 4 if nothing matched, 2 target not found, 5 bad operands.
#include "xedit/subcommand_table.hpp"
#include "xedit/subcommands/operands.hpp"
#include "xedit/target.hpp"

#include "cpd/cms/filespec.hpp"

#include <cctype>

namespace cpd::cms::xedit {

namespace {

struct ChangeSpec {
    std::string from;
    std::string to;
    std::size_t times = 1;
    std::size_t first_occurrence = 1;
    Target target;
};

// Parses "/old/new/ [target [n [m]]]"; an error reply if it cannot.
std::optional<Reply> parse_change(std::string_view text, const Editor& e, ChangeSpec& c) {
    const char delim = text.front();
    if (std::isalnum(static_cast<unsigned char>(delim)) != 0) {
        return refuse(rc_invalid, invalid_operand(text));
    }
    text.remove_prefix(1);
    const auto mid = text.find(delim);
    if (mid == std::string_view::npos) {
        return refuse(rc_invalid, invalid_operand(text)); // no new string at all
    }
    c.from = std::string(text.substr(0, mid));
    text.remove_prefix(mid + 1);
    const auto end = text.find(delim);
    c.to = e.as_input(text.substr(0, end));
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    if (!trim(text).empty()) {
        const ParsedTarget p = parse_target(text);
        if (!p.target) {
            return refuse(rc_invalid, invalid_operand(p.error));
        }
        c.target = *p.target;
        const auto w = words(p.rest);
        if (w.size() > 2) {
            return refuse(rc_invalid, invalid_operand(w[2]));
        }
        for (std::size_t i = 0; i < w.size(); ++i) {
            const auto n = count_operand(w[i]);
            if (!n || (i == 1 && *n == 0)) {
                return refuse(rc_invalid, invalid_operand(w[i]));
            }
            (i == 0 ? c.times : c.first_occurrence) = *n;
        }
    }
    return std::nullopt;
}

// The column of `needle` in `rec` at or after `from`, ending by `to`, with SET CASE.
std::size_t find_in(const std::string& rec, std::string_view needle, std::size_t from,
                    std::size_t to, bool ignore_case) {
    for (std::size_t at = from; at + needle.size() <= to; ++at) {
        std::size_t i = 0;
        while (i < needle.size() &&
               (ignore_case ? std::toupper(static_cast<unsigned char>(rec[at + i])) ==
                                  std::toupper(static_cast<unsigned char>(needle[i]))
                            : rec[at + i] == needle[i])) {
            ++i;
        }
        if (i == needle.size()) {
            return at;
        }
    }
    return std::string::npos;
}

// Applies the change to one record; returns the number of occurrences changed.
std::size_t change_record(std::string& rec, const ChangeSpec& c, const EditFile& f) {
    const std::size_t from = f.zone_first - 1;
    if (from > rec.size()) {
        return 0;
    }
    if (c.from.empty()) { // "//new/": insert at the start of the zone
        if (rec.size() + c.to.size() > max_record_length) {
            return 0;
        }
        rec.insert(from, c.to);
        return 1;
    }
    const bool ignore = f.case_match == CaseMatch::ignore;
    std::size_t changed = 0;
    std::size_t seen = 0;
    std::size_t at = from;
    while (changed < c.times) {
        const std::size_t to = f.zone_last == 0 ? rec.size() : std::min(f.zone_last, rec.size());
        at = find_in(rec, c.from, at, to, ignore);
        if (at == std::string::npos) {
            break;
        }
        if (++seen < c.first_occurrence) {
            at += c.from.size();
            continue;
        }
        if (rec.size() - c.from.size() + c.to.size() > max_record_length) {
            break; // a record never grows past CMS's LRECL limit
        }
        rec.replace(at, c.from.size(), c.to);
        at += c.to.size();
        ++changed;
    }
    return changed;
}

} // namespace

Reply sub_change(Editor& e, std::string_view operands) {
    std::string text(trim(operands));
    if (text.empty()) {
        if (e.last_change.empty()) {
            return refuse(rc_invalid, missing_operand());
        }
        text = e.last_change;
    }
    ChangeSpec c;
    if (auto bad = parse_change(text, e, c)) {
        return *bad;
    }
    e.last_change = text;
    EditFile& f = e.file();
    const Landing at = resolve(f, c.target);
    if (!at.found) {
        return refuse(rc_not_found, target_not_found("CG"));
    }
    const LineRange range = range_to(f, at.line);
    std::size_t occurrences = 0;
    std::size_t lines = 0;
    for (std::size_t n = range.first; n < range.last; ++n) {
        std::string rec = f.record(n);
        if (const std::size_t k = change_record(rec, c, f); k > 0) {
            f.replace(n, std::move(rec));
            occurrences += k;
            ++lines;
        }
    }
    if (occurrences == 0) {
        return refuse(rc_no_change, target_not_found("CG"));
    }
    f.set_current(range.last - 1);
    Reply r;
    r.lines.push_back(occurrences_changed(occurrences, lines));
    r.show_current = true;
    return r;
}

} // namespace cpd::cms::xedit
