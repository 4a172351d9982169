// SPDX-License-Identifier: MIT
// How a receiver's console shows a MessageDeliver, in z/VM's forms: the one
// place that decides them, so cpd (writing on a console itself) and the guest
// SDK (on_message's default) agree, and a correction against a real z/VM
// touches one function. Pure text: the caller supplies the local time of day.
#pragma once

#include "cpd/proto/ring_frame.hpp"

#include <string>
#include <string_view>

namespace cpd::proto {

/// A local time of day, as the receiver's console shows it.
struct TimeOfDay {
    int hour = 0, minute = 0, second = 0;
};

/// The console line of a message: "hh:mm:ss * MSG FROM ALICE   : text" (MSG),
/// "hh:mm:ss * WNG FROM OPERATOR: text" (WARNING), the bare text (MSGNOH,
/// EMSG, IMSG: CP's own messages carry their id, MSGNOH has no header).
std::string message_line(MessageKind kind, const Userid& from, std::string_view text, TimeOfDay at);

/// "MSG", "MSGNOH", "WNG", "EMSG" or "IMSG".
std::string_view kind_name(MessageKind kind) noexcept;

} // namespace cpd::proto
