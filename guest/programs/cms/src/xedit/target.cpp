// SPDX-License-Identifier: MIT
// Target parsing and resolution. A string target's delimiter is the first
// character after the optional "-" and "~" (any character that is not a
// letter, digit, blank or one of ":+-*.&|"), and the string ends at the next
// delimiter or at the end of the operands; the search never wraps.
#include "xedit/target.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace cpd::cms::xedit {

namespace {

constexpr std::string_view not_sign = "\xC2\xAC"; // "¬" in UTF-8

std::string_view skip_blanks(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
        s.remove_prefix(1);
    }
    return s;
}

bool is_delimiter(char c) {
    const auto u = static_cast<unsigned char>(c);
    return u > ' ' && u < 0x7f && std::isalnum(u) == 0 &&
           std::string_view(":+-*.&|~").find(c) == std::string_view::npos;
}

// Reads the digits at the start of `s` into `out`; false if none or too large.
bool read_number(std::string_view& s, long long& out) {
    std::size_t n = 0;
    while (n < s.size() && std::isdigit(static_cast<unsigned char>(s[n])) != 0) {
        ++n;
    }
    if (n == 0 || n > 12) {
        return false;
    }
    std::from_chars(s.data(), s.data() + n, out);
    s.remove_prefix(n);
    return true;
}

char upper(char c) {
    return static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
}

// The string target after its delimiter: up to the closing delimiter or the end.
ParsedTarget read_string(std::string_view s, Target t) {
    const char delim = s.front();
    s.remove_prefix(1);
    const auto close = s.find(delim);
    t.kind = Target::Kind::string;
    t.text = std::string(s.substr(0, close));
    const std::string_view rest = close == std::string_view::npos ? "" : s.substr(close + 1);
    return {std::move(t), rest, {}};
}

} // namespace

bool starts_target(std::string_view text) noexcept {
    text = skip_blanks(text);
    if (text.empty()) {
        return false;
    }
    const char c = text.front();
    return c == ':' || c == '+' || c == '-' || c == '*' || c == '~' ||
           std::isdigit(static_cast<unsigned char>(c)) != 0 || is_delimiter(c) ||
           text.starts_with(not_sign);
}

ParsedTarget parse_target(std::string_view text) {
    std::string_view s = skip_blanks(text);
    const std::string_view whole = s;
    Target t;
    if (!s.empty() && s.front() == ':') {
        s.remove_prefix(1);
        if (!read_number(s, t.lines)) {
            return {std::nullopt, {}, std::string(whole)};
        }
        t.kind = Target::Kind::absolute;
        return {t, s, {}};
    }
    if (!s.empty() && (s.front() == '+' || s.front() == '-')) {
        t.backward = s.front() == '-';
        s.remove_prefix(1);
    }
    if (!s.empty() && s.front() == '*') {
        t.kind = Target::Kind::end;
        return {t, s.substr(1), {}};
    }
    if (!s.empty() && std::isdigit(static_cast<unsigned char>(s.front())) != 0) {
        read_number(s, t.lines);
        if (!s.empty() && s.front() != ' ' && s.front() != '\t') {
            return {std::nullopt, {}, std::string(whole)}; // "3x" is no target
        }
        t.lines = t.backward ? -t.lines : t.lines;
        t.backward = false;
        return {t, s, {}};
    }
    if (!s.empty() && s.front() == '~') {
        t.negated = true;
        s.remove_prefix(1);
    } else if (s.starts_with(not_sign)) {
        t.negated = true;
        s.remove_prefix(not_sign.size());
    }
    if (!s.empty() && is_delimiter(s.front())) {
        return read_string(s, std::move(t));
    }
    return {std::nullopt, {}, std::string(whole.empty() ? text : whole)};
}

bool line_contains(const EditFile& file, std::size_t line, std::string_view text) {
    const std::string& rec = file.record(line);
    const std::size_t from = file.zone_first - 1;
    const std::size_t to = file.zone_last == 0 ? rec.size() : std::min(file.zone_last, rec.size());
    if (from > to || to - from < text.size()) {
        return text.empty() && from <= rec.size();
    }
    const bool ignore = file.case_match == CaseMatch::ignore;
    for (std::size_t at = from; at + text.size() <= to; ++at) {
        std::size_t i = 0;
        while (i < text.size() &&
               (ignore ? upper(rec[at + i]) == upper(text[i]) : rec[at + i] == text[i])) {
            ++i;
        }
        if (i == text.size()) {
            return true;
        }
    }
    return false;
}

Landing resolve(const EditFile& file, const Target& t) {
    const auto cur = static_cast<long long>(file.current());
    const auto eof = static_cast<long long>(file.size() + 1);
    switch (t.kind) {
    case Target::Kind::absolute:
        if (t.lines > eof) {
            return {file.current(), false};
        }
        return {static_cast<std::size_t>(t.lines), true};
    case Target::Kind::relative:
        return {static_cast<std::size_t>(std::clamp(cur + t.lines, 0LL, eof)), true};
    case Target::Kind::end:
        return {t.backward ? 0 : static_cast<std::size_t>(eof), true};
    case Target::Kind::string:
        break;
    }
    const long long step = t.backward ? -1 : 1;
    for (long long n = cur + step; n >= 1 && n < eof; n += step) {
        if (line_contains(file, static_cast<std::size_t>(n), t.text) != t.negated) {
            return {static_cast<std::size_t>(n), true};
        }
    }
    return {file.current(), false};
}

LineRange range_to(const EditFile& file, std::size_t landing) {
    const std::size_t cur = file.current();
    std::size_t first = cur;
    std::size_t last = landing; // forward: [cur, landing)
    if (landing < cur) {
        first = landing + 1; // backward: (landing, cur]
        last = cur + 1;
    }
    first = std::max<std::size_t>(first, 1);
    last = std::min(last, file.size() + 1);
    if (last < first) {
        last = first;
    }
    return {first, last};
}

} // namespace cpd::cms::xedit
