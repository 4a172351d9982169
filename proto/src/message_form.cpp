// SPDX-License-Identifier: MIT
// The receiver forms of CP messages (message_form.hpp). The userid is padded
// to 8 before the colon, as z/VM's console shows "MSG FROM MAINT    :".
#include "cpd/proto/message_form.hpp"

#include <cstdio>

namespace cpd::proto {

std::string_view kind_name(MessageKind kind) noexcept {
    switch (kind) {
    case MessageKind::msg:
        return "MSG";
    case MessageKind::msgnoh:
        return "MSGNOH";
    case MessageKind::warning:
        return "WNG";
    case MessageKind::emsg:
        return "EMSG";
    case MessageKind::imsg:
        return "IMSG";
    }
    return "MSG";
}

std::string message_line(MessageKind kind, const Userid& from, std::string_view text,
                         TimeOfDay at) {
    if (kind != MessageKind::msg && kind != MessageKind::warning) {
        return std::string(text);
    }
    char stamp[16];
    std::snprintf(stamp, sizeof stamp, "%02d:%02d:%02d", at.hour % 100, at.minute % 100,
                  at.second % 100);
    std::string line = stamp;
    line += kind == MessageKind::msg ? " * MSG FROM " : " * WNG FROM ";
    line += from.padded();
    line += ": ";
    line += text;
    return line;
}

} // namespace cpd::proto
