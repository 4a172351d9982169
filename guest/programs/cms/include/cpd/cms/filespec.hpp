// SPDX-License-Identifier: MIT
// FileSpec: a CMS file identifier "fn ft fm" as typed at the console, parsed,
// validated and upper-cased by the rules of cp-semantics.md §7.3 (plus the
// `*`/`%` patterns of real CMS LISTFILE). Pure value code: no I/O.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace cpd::cms {

/// A parsed value or the text of why it could not be parsed.
template <class T> struct Parsed {
    std::optional<T> value;
    std::string error;
    explicit operator bool() const noexcept { return value.has_value(); }
};

/// A file mode: a disk letter (or '*' for "every accessed disk") and a digit.
struct FileMode {
    char letter = 'A';        ///< 'A'-'Z', or '*'
    int digit = 1;            ///< 0-9 (files allow 0-6)
    bool digit_given = false; ///< whether the digit was typed
    /// The mode as typed or defaulted, e.g. "A", "B2", "*".
    std::string text() const;
};

/// A file identifier; fn and ft are upper-cased names or patterns.
struct FileSpec {
    std::string fn;
    std::string ft;
    FileMode mode;
    /// True if fn or ft contains a pattern character (`*` or `%`).
    bool is_wild() const noexcept;
    /// "FN FT FM" for messages, e.g. "PROFILE EXEC A".
    std::string text() const;
};

/// True if `c` (any case) may appear in a file name or type: A-Z 0-9 $ # @.
bool is_name_char(char c) noexcept;
/// True if `s` is 1-8 name characters (any case).
bool is_valid_name(std::string_view s) noexcept;
/// True if `s` is a valid name, or 1-8 characters of names and `*`/`%`.
bool is_valid_pattern(std::string_view s) noexcept;
/// True if `name` (upper-case) matches `pattern` (`*` any run, `%` one char).
bool matches_pattern(std::string_view pattern, std::string_view name) noexcept;
/// ASCII upper-case copy of `s`.
std::string to_upper(std::string_view s);
/// ASCII lower-case copy of `s`.
std::string to_lower(std::string_view s);

/// Parses a file mode: a letter (or '*' if allowed) and an optional digit up to max_digit.
Parsed<FileMode> parse_filemode(std::string_view s, bool allow_star, int max_digit = 6);

/// Parses 2 or 3 tokens "fn ft [fm]"; a missing fm is `default_mode`.
Parsed<FileSpec> parse_filespec(std::span<const std::string> tokens,
                                FileMode default_mode = FileMode{});

} // namespace cpd::cms
