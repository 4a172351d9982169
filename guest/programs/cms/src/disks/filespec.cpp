// SPDX-License-Identifier: MIT
// Parsing and validation of CMS file identifiers (§7.3): names of 1-8
// characters A-Z 0-9 $ # @, modes of a letter plus a digit 0-6, patterns for
// LISTFILE. No file system access here.
#include "cpd/cms/filespec.hpp"

#include <cctype>

namespace cpd::cms {

std::string FileMode::text() const {
    std::string s(1, letter);
    if (digit_given) {
        s += static_cast<char>('0' + digit);
    }
    return s;
}

bool FileSpec::is_wild() const noexcept {
    auto wild = [](const std::string& s) { return s.find_first_of("*%") != std::string::npos; };
    return wild(fn) || wild(ft);
}

std::string FileSpec::text() const {
    return fn + ' ' + ft + ' ' + mode.text();
}

bool is_name_char(char c) noexcept {
    const auto u = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || u == '$' || u == '#' || u == '@';
}

bool is_valid_name(std::string_view s) noexcept {
    if (s.empty() || s.size() > 8) {
        return false;
    }
    for (char c : s) {
        if (!is_name_char(c)) {
            return false;
        }
    }
    return true;
}

bool is_valid_pattern(std::string_view s) noexcept {
    if (s.empty() || s.size() > 8) {
        return false;
    }
    for (char c : s) {
        if (!is_name_char(c) && c != '*' && c != '%') {
            return false;
        }
    }
    return true;
}

// Matches with backtracking over the last `*` seen; patterns are at most 8 chars.
bool matches_pattern(std::string_view pattern, std::string_view name) noexcept {
    std::size_t p = 0, n = 0, star = std::string_view::npos, resume = 0;
    while (n < name.size()) {
        if (p < pattern.size() && (pattern[p] == '%' || pattern[p] == name[n])) {
            ++p;
            ++n;
        } else if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            resume = n;
        } else if (star != std::string_view::npos) {
            p = star + 1;
            n = ++resume;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*') {
        ++p;
    }
    return p == pattern.size();
}

std::string to_upper(std::string_view s) {
    std::string out(s);
    for (char& c : out) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return out;
}

std::string to_lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}

Parsed<FileMode> parse_filemode(std::string_view s, bool allow_star, int max_digit) {
    Parsed<FileMode> r;
    const std::string up = to_upper(s);
    const bool letter_ok =
        !up.empty() && ((up[0] >= 'A' && up[0] <= 'Z') || (allow_star && up[0] == '*'));
    if (!letter_ok || up.size() > 2) {
        r.error = "Invalid mode " + up;
        return r;
    }
    FileMode m;
    m.letter = up[0];
    if (up.size() == 2) {
        if (up[1] < '0' || up[1] > '0' + max_digit) {
            r.error = "Invalid mode " + up;
            return r;
        }
        m.digit = up[1] - '0';
        m.digit_given = true;
    }
    r.value = m;
    return r;
}

Parsed<FileSpec> parse_filespec(std::span<const std::string> tokens, FileMode default_mode) {
    Parsed<FileSpec> r;
    if (tokens.size() < 2) {
        r.error = "Incomplete fileid specified";
        return r;
    }
    if (tokens.size() > 3) {
        r.error = "Invalid fileid: too many operands (" + to_upper(tokens[3]) + ")";
        return r;
    }
    FileSpec spec;
    spec.fn = to_upper(tokens[0]);
    spec.ft = to_upper(tokens[1]);
    for (const std::string* part : {&spec.fn, &spec.ft}) {
        if (!is_valid_pattern(*part)) {
            r.error = "Invalid character or length in fileid " + spec.fn + ' ' + spec.ft;
            return r;
        }
    }
    spec.mode = default_mode;
    if (tokens.size() == 3) {
        auto mode = parse_filemode(tokens[2], true);
        if (!mode) {
            r.error = mode.error;
            return r;
        }
        spec.mode = *mode.value;
    }
    r.value = spec;
    return r;
}

} // namespace cpd::cms
