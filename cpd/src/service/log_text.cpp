// SPDX-License-Identifier: MIT
#include "service/log_text.hpp"

#include <cstdint>

namespace cpd::daemon {

namespace {

/// The length of the UTF-8 sequence at the start of `s` if it is valid and
/// encodes a printable code point (not a C1 control, U+0080 to U+009F), else 0.
std::size_t printable_utf8_length(std::string_view s) {
    const auto b = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
    const auto continuation = [&](std::size_t i) { return i < s.size() && (b(i) & 0xC0) == 0x80; };
    const unsigned char lead = b(0);
    std::size_t n = 0;
    std::uint32_t cp = 0;
    if (lead >= 0xC2 && lead <= 0xDF) {
        n = 2;
        cp = lead & 0x1Fu;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        n = 3;
        cp = lead & 0x0Fu;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        n = 4;
        cp = lead & 0x07u;
    } else {
        return 0;
    }
    for (std::size_t i = 1; i < n; ++i) {
        if (!continuation(i)) {
            return 0;
        }
        cp = (cp << 6) | (b(i) & 0x3Fu);
    }
    const std::uint32_t min[] = {0, 0, 0x80, 0x800, 0x10000};
    const bool valid = cp >= min[n] && cp <= 0x10FFFF && (cp < 0xD800 || cp > 0xDFFF);
    return valid && !(cp >= 0x80 && cp <= 0x9F) ? n : 0;
}

} // namespace

std::string loggable_text(std::string_view text) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    for (std::size_t i = 0; i < text.size();) {
        const auto u = static_cast<unsigned char>(text[i]);
        if (u >= 0x20 && u < 0x7f) {
            out += text[i++];
        } else if (const std::size_t n = u >= 0x80 ? printable_utf8_length(text.substr(i)) : 0) {
            out += text.substr(i, n);
            i += n;
        } else { // C0, DEL, C1 and anything that is not UTF-8, a byte at a time
            out += "\\x";
            out += hex[u >> 4];
            out += hex[u & 0xf];
            ++i;
        }
    }
    return out;
}

} // namespace cpd::daemon
