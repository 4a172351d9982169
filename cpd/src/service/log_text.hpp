// SPDX-License-Identifier: MIT
// Text from guests and clients as cpd's log may show it: one line that can
// neither pass for a line of cpd's own nor drive a terminal or journald.
#pragma once

#include <string>
#include <string_view>

namespace cpd::daemon {

/// `text` with C0 controls, DEL, C1 controls and every byte that is not valid
/// UTF-8 shown as \xNN; printable ASCII and UTF-8 text kept as they are.
std::string loggable_text(std::string_view text);

} // namespace cpd::daemon
