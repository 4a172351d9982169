// SPDX-License-Identifier: MIT
// Default bodies of the Handler callbacks that do something: messages from
// CP and users (MSG, WARNING), CP responses and unhandled SMSGs go to the
// guest's console, unknown console commands get the CMS-style complaint.
// Programs override what they need.
#include "cpd/guest/handler.hpp"

#include "cpd/ipc/log.hpp"
#include "cpd/proto/message_form.hpp"

#include <ctime>

#include <string>

namespace cpd::guest {

void Handler::on_smsg(Context& ctx, const Userid& from, std::string_view text) {
    CPD_LOG(debug, "smsg: from ", from.str(), ": ", text);
    std::string line = "SMSG FROM ";
    line += from.str();
    line += ": ";
    line += text;
    ctx.console_write(line);
}

void Handler::on_cp_message(Context& ctx, std::string_view text) {
    CPD_LOG(info, "cp: ", text);
    ctx.console_write(text);
}

void Handler::on_message(Context& ctx, const Userid& from, std::string_view text,
                         proto::MessageKind kind) {
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    localtime_r(&now, &tm);
    ctx.console_write(
        proto::message_line(kind, from, text, {tm.tm_hour, tm.tm_min, tm.tm_sec}));
}

void Handler::on_cp_response(Context& ctx, std::uint32_t /*tag*/, proto::CpRc /*rc*/,
                             std::string_view text) {
    if (!text.empty()) {
        ctx.console_write(text); // console_write splits at newlines
    }
}

std::optional<int> Handler::on_console_input(Context& ctx, std::string_view /*line*/) {
    ctx.console_write("Unknown CP/CMS command");
    return 3;
}

} // namespace cpd::guest
