// SPDX-License-Identifier: MIT
// Userid parsing and wire decoding: the CP naming rules (1-8 of A-Z 0-9 @ # $)
// applied byte by byte. Any byte >= 0x80 is refused before upper-casing, so
// no locale or Unicode case mapping can make an invalid name valid.
#include "cpd/proto/userid.hpp"

namespace cpd::proto {

namespace {

/// Upper-cases an ASCII letter; leaves every other byte alone.
constexpr char ascii_upper(char c) noexcept {
    return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}

constexpr bool is_ascii(char c) noexcept {
    return static_cast<unsigned char>(c) < 0x80;
}

} // namespace

Result<Userid> Userid::parse(std::string_view text) noexcept {
    if (text.empty() || text.size() > max_length) {
        return Unexpected{errc::bad_userid};
    }
    for (char c : text) {
        if (!is_ascii(c)) {
            return Unexpected{errc::bad_userid};
        }
    }
    Userid u;
    u.chars_.fill(' ');
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = ascii_upper(text[i]);
        if (!is_userid_char(c)) {
            return Unexpected{errc::bad_userid};
        }
        u.chars_[i] = c;
    }
    return u;
}

Result<Userid> Userid::from_wire(const char* bytes8) noexcept {
    if (bytes8 == nullptr) {
        return Unexpected{errc::bad_userid};
    }
    std::size_t n = 0;
    while (n < max_length && is_userid_char(bytes8[n])) {
        ++n;
    }
    if (n == 0) {
        return Unexpected{errc::bad_userid};
    }
    for (std::size_t i = n; i < max_length; ++i) {
        if (bytes8[i] != ' ') {
            return Unexpected{errc::bad_userid};
        }
    }
    Userid u;
    for (std::size_t i = 0; i < max_length; ++i) {
        u.chars_[i] = bytes8[i];
    }
    return u;
}

std::size_t Userid::length() const noexcept {
    std::size_t n = 0;
    while (n < max_length && chars_[n] != ' ') {
        ++n;
    }
    return n;
}

} // namespace cpd::proto
