// SPDX-License-Identifier: MIT
// The words of a directory line, for the parser: splitting a line into
// blank-separated tokens, the checks of numbers, storage sizes, userids, POSIX
// user names and built-in program names, and the quoting of bad text in
// diagnostics. Pure functions, no state.
#pragma once

#include "cpd/proto/userid.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cpd::daemon::directory_words {

/// One blank-separated word of a line and where it ends in the line.
struct Token {
    std::string_view text;
    std::size_t end = 0;
};

/// The blank- or tab-separated words of `line`.
std::vector<Token> tokenize(std::string_view line);
/// `s` with a-z made A-Z.
std::string upper(std::string_view s);
/// "0xNN" for a byte.
std::string hex_byte(unsigned char c);
/// `s` in single quotes, control characters shown as \xNN.
std::string quoted(std::string_view s);
/// The first control character of `line` other than a tab, or nothing.
std::optional<unsigned char> find_control_char(std::string_view line);
/// A decimal number of at most 10 digits within [lo, hi], or nothing.
std::optional<std::uint64_t> parse_number(std::string_view s, std::uint64_t lo, std::uint64_t hi);
/// Bytes meant by a storage size such as 32M or 1G (digits then K, M or G).
std::optional<std::uint64_t> storage_bytes(std::string_view s);
/// Why `s` is not a valid userid, for the error message.
std::string userid_problem(std::string_view s);
/// Why a valid userid may not name a directory entry, or nothing.
std::optional<std::string> reserved_userid(std::string_view id);
/// True for a portable POSIX user name: 1-32 of A-Z a-z 0-9 . _ - (not first), optional final $.
bool is_posix_uname(std::string_view s);
/// True for a built-in guest program name: 1-32 letters and digits, starting with a letter.
bool is_builtin_name(std::string_view s);

} // namespace cpd::daemon::directory_words
