// SPDX-License-Identifier: MIT
// Userid: the CP name of a virtual machine, 1-8 characters of A-Z 0-9 @ # $.
// Non-ASCII input is rejected before upper-casing, so that no Unicode case
// mapping can turn an invalid name into a valid one. Stored blank-padded, as
// CP carries it; pure value type, no I/O.
#pragma once

#include "cpd/proto/result.hpp"

#include <array>
#include <compare>
#include <cstddef>
#include <functional>
#include <string_view>

namespace cpd::proto {

/// A validated, upper-case, blank-padded 8-character userid.
class Userid {
public:
    static constexpr std::size_t max_length = 8;

    /// Validates and upper-cases `text`; errc::bad_userid if it breaks the CP rules.
    static Result<Userid> parse(std::string_view text) noexcept;

    /// Decodes the 8-byte blank-padded wire form; errc::bad_userid unless it is canonical.
    static Result<Userid> from_wire(const char* bytes8) noexcept;

    /// True if `c` may appear in a userid after upper-casing.
    static constexpr bool is_userid_char(char c) noexcept {
        return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '@' || c == '#' ||
               c == '$';
    }

    /// The name without padding, e.g. "ECHO".
    std::string_view str() const noexcept { return {chars_.data(), length()}; }
    /// The name padded with blanks to 8 characters, e.g. "ECHO    ".
    std::string_view padded() const noexcept { return {chars_.data(), max_length}; }
    /// Number of significant characters (1-8).
    std::size_t length() const noexcept;

    friend bool operator==(const Userid&, const Userid&) = default;
    friend auto operator<=>(const Userid&, const Userid&) = default;

private:
    Userid() = default;
    std::array<char, max_length> chars_{};
};

} // namespace cpd::proto

template <> struct std::hash<cpd::proto::Userid> {
    std::size_t operator()(const cpd::proto::Userid& u) const noexcept {
        return std::hash<std::string_view>{}(u.padded());
    }
};
