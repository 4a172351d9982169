// SPDX-License-Identifier: MIT
// The tiny protocol of the IUCV request/reply example: a request is text sent
// two-way; the reply is the same text in upper case. Shared by both programs.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

namespace iucv_rr {

/// The reply the server gives to `request`: ASCII letters upper-cased.
inline std::string answer_to(std::string_view request) {
    std::string out(request);
    for (char& c : out) {
        if (c >= 'a' && c <= 'z') {
            c = static_cast<char>(c - 'a' + 'A');
        }
    }
    return out;
}

/// Bytes of a message as text.
inline std::string_view as_text(std::span<const std::byte> data) {
    return {reinterpret_cast<const char*>(data.data()), data.size()};
}

/// Text as bytes for a message.
inline std::span<const std::byte> as_bytes(std::string_view text) {
    return std::as_bytes(std::span<const char>(text.data(), text.size()));
}

} // namespace iucv_rr
