// SPDX-License-Identifier: MIT
// safe_line / safe_lines: escape terminal controls in untrusted text as \xHH.
// UTF-8 is checked as Unicode's table of well-formed byte sequences says
// (no overlongs, surrogates or code points past U+10FFFF), so a stray 0x9B,
// which 8-bit terminals take as CSI, can never reach the terminal raw.
#include "safe_text.hpp"

#include <cstddef>

namespace cpd::cli {

namespace {

unsigned char byte_at(std::string_view s, std::size_t i) {
    return static_cast<unsigned char>(s[i]);
}

// Returns the length (2..4) of the well-formed UTF-8 sequence that starts `s`
// with a lead byte of 0x80 or more, or 0 if the bytes there are not one.
std::size_t utf8_sequence_length(std::string_view s) {
    const unsigned char lead = byte_at(s, 0);
    std::size_t length = 0;
    unsigned char second_min = 0x80;
    unsigned char second_max = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        second_min = lead == 0xE0 ? 0xA0 : 0x80; // below: overlong
        second_max = lead == 0xED ? 0x9F : 0xBF; // above: UTF-16 surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        second_min = lead == 0xF0 ? 0x90 : 0x80; // below: overlong
        second_max = lead == 0xF4 ? 0x8F : 0xBF; // above: past U+10FFFF
    } else {
        return 0; // a continuation byte, an overlong lead (C0, C1) or F5..FF
    }
    if (s.size() < length || byte_at(s, 1) < second_min || byte_at(s, 1) > second_max) {
        return 0;
    }
    for (std::size_t i = 2; i < length; ++i) {
        if (byte_at(s, i) < 0x80 || byte_at(s, i) > 0xBF) {
            return 0;
        }
    }
    return length;
}

void append_hex(std::string& out, unsigned char c) {
    static constexpr char digits[] = "0123456789abcdef";
    out += "\\x";
    out += digits[c >> 4];
    out += digits[c & 0x0F];
}

// Returns `text` with every control but TAB (and '\n' if kept) shown as \xHH.
std::string escape(std::string_view text, bool keep_newline) {
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        const unsigned char c = byte_at(text, i);
        if (c < 0x80) {
            const bool is_control = c < 0x20 || c == 0x7F;
            if (is_control && c != '\t' && !(keep_newline && c == '\n')) {
                append_hex(out, c);
            } else {
                out += static_cast<char>(c);
            }
            ++i;
            continue;
        }
        const std::size_t length = utf8_sequence_length(text.substr(i));
        const bool is_c1_control = length == 2 && c == 0xC2 && byte_at(text, i + 1) <= 0x9F;
        if (length == 0 || is_c1_control) {
            // An invalid byte alone; a C1 control as both its bytes.
            const std::size_t shown = length == 0 ? 1 : length;
            for (std::size_t k = 0; k < shown; ++k) {
                append_hex(out, byte_at(text, i + k));
            }
            i += shown;
        } else {
            out.append(text.substr(i, length));
            i += length;
        }
    }
    return out;
}

} // namespace

std::string safe_line(std::string_view text) {
    return escape(text, false);
}

std::string safe_lines(std::string_view text) {
    return escape(text, true);
}

} // namespace cpd::cli
