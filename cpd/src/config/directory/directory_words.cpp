// SPDX-License-Identifier: MIT
// The words of a directory line: see directory_words.hpp.
#include "config/directory/directory_words.hpp"

#include <cstdint>

namespace cpd::daemon::directory_words {

namespace {

bool is_blank(char c) noexcept {
    return c == ' ' || c == '\t';
}

constexpr std::string_view alnum_chars =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

} // namespace

std::vector<Token> tokenize(std::string_view line) {
    std::vector<Token> out;
    std::size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && is_blank(line[i]))
            ++i;
        const std::size_t start = i;
        while (i < line.size() && !is_blank(line[i]))
            ++i;
        if (i > start)
            out.push_back({line.substr(start, i - start), i});
    }
    return out;
}

std::string upper(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'a' && c <= 'z')
            c = static_cast<char>(c - 'a' + 'A');
    return out;
}

std::string hex_byte(unsigned char c) {
    static constexpr char digits[] = "0123456789ABCDEF";
    return std::string("0x") + digits[c >> 4] + digits[c & 15];
}

/// `s` in single quotes, control characters shown as \xNN.
std::string quoted(std::string_view s) {
    std::string out = "'";
    for (char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7f)
            out += "\\x" + hex_byte(u).substr(2);
        else
            out += c;
    }
    return out + "'";
}

std::optional<unsigned char> find_control_char(std::string_view line) {
    for (char c : line) {
        const auto u = static_cast<unsigned char>(c);
        if ((u < 0x20 && c != '\t') || u == 0x7f)
            return u;
    }
    return std::nullopt;
}

/// A decimal number of at most 10 digits within [lo, hi], or nothing.
std::optional<std::uint64_t> parse_number(std::string_view s, std::uint64_t lo, std::uint64_t hi) {
    if (s.empty() || s.size() > 10)
        return std::nullopt;
    std::uint64_t n = 0;
    for (char c : s) {
        if (c < '0' || c > '9')
            return std::nullopt;
        n = n * 10 + static_cast<std::uint64_t>(c - '0');
    }
    if (n < lo || n > hi)
        return std::nullopt;
    return n;
}

/// Bytes meant by a storage size such as 32M or 1G (digits then K, M or G).
std::optional<std::uint64_t> storage_bytes(std::string_view s) {
    if (s.size() < 2)
        return std::nullopt;
    const char unit = upper(s.substr(s.size() - 1))[0];
    const int shift = unit == 'K' ? 10 : unit == 'M' ? 20 : unit == 'G' ? 30 : -1;
    auto n = parse_number(s.substr(0, s.size() - 1), 1, 9999999999U);
    if (shift < 0 || !n || *n > (UINT64_MAX >> shift))
        return std::nullopt;
    return *n << shift;
}

/// Why `s` is not a valid userid, for the error message.
std::string userid_problem(std::string_view s) {
    for (char c : s)
        if (static_cast<unsigned char>(c) >= 0x80)
            return "contains non-ASCII characters";
    if (s.size() > proto::Userid::max_length)
        return "longer than 8 characters";
    for (char c : upper(s))
        if (!proto::Userid::is_userid_char(c))
            return std::string("character '") + c + "' is not allowed (only A-Z 0-9 @ # $)";
    return "breaks the CP rules (1-8 characters of A-Z 0-9 @ # $)";
}

/// Why a valid userid may not name a directory entry, or nothing.
std::optional<std::string> reserved_userid(std::string_view id) {
    if (id == "SYSTEM" || id == "SYSTEMMP")
        return std::string("CP's own name");
    if (id == "$CON")
        return std::string("the console pseudo-machine");
    if (id.size() == 8 &&
        (id.starts_with("LOGN") || id.starts_with("LOGL") || id.starts_with("LOGV")))
        return std::string("CP names terminals waiting for logon LOGNxxxx, LOGLxxxx, LOGVxxxx");
    return std::nullopt;
}

/// True for a portable POSIX user name: 1-32 of A-Z a-z 0-9 . _ - (not first), optional final $.
bool is_posix_uname(std::string_view s) {
    if (s.size() > 1 && s.back() == '$')
        s.remove_suffix(1);
    constexpr std::string_view uname_chars =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-";
    return !s.empty() && s.size() <= 32 && s.front() != '-' &&
           s.find_first_not_of(uname_chars) == std::string_view::npos;
}

/// True for a built-in guest program name: 1-32 letters and digits, starting with a letter.
bool is_builtin_name(std::string_view s) {
    return !s.empty() && s.size() <= 32 && !(s[0] >= '0' && s[0] <= '9') &&
           s.find_first_not_of(alnum_chars) == std::string_view::npos;
}

} // namespace cpd::daemon::directory_words
