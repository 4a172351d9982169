// SPDX-License-Identifier: MIT
// cut_response: fits a CP response to the largest record a guest's inbound
// ring can carry. The cut is made at a line end where there is one and marked
// with a last line saying how much was left out, so the guest (and its user)
// knows the answer is incomplete instead of waiting for one that never comes.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace cpd::daemon {

/// The text of a response of `text` cut to at most `max_bytes` bytes, its last
/// line the mark, e.g. "HCPRTR001W Response truncated: 120345 bytes, 32700 shown".
/// `text` itself when it fits already.
std::string cut_response(std::string_view text, std::size_t max_bytes);

/// The mark's first word, for tests and readers of logs.
inline constexpr std::string_view response_cut_mark = "HCPRTR001W";

} // namespace cpd::daemon
