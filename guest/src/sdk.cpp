// SPDX-License-Identifier: MIT
// Small SDK helpers declared in context.hpp: readable names for SendStatus
// and building IUCV user data from text. No state, no I/O.
#include "cpd/guest/context.hpp"

#include <algorithm>

namespace cpd::guest {

std::string_view describe(SendStatus s) noexcept {
    switch (s) {
    case SendStatus::ok:
        return "ok";
    case SendStatus::invalid_userid:
        return "invalid userid";
    case SendStatus::text_too_long:
        return "text too long";
    case SendStatus::invalid_text:
        return "text contains forbidden bytes";
    case SendStatus::busy:
        return "outbound ring full";
    case SendStatus::logging_off:
        return "logging off";
    }
    return "unknown status";
}

UserData user_data_from(std::string_view text) noexcept {
    UserData data;
    data.fill(std::byte{' '});
    const std::size_t n = std::min(text.size(), data.size());
    for (std::size_t i = 0; i < n; ++i) {
        data[i] = static_cast<std::byte>(text[i]);
    }
    return data;
}

} // namespace cpd::guest
