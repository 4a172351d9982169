// SPDX-License-Identifier: MIT
// Messenger (messenger.hpp): the switch checks, the hand-over to the guest's
// program and the console fallback. The receiver forms are proto's
// message_line, shared with the guest SDK.
#include "messages/messenger.hpp"

#include "cpd/ipc/log.hpp"
#include "cpd/proto/message_form.hpp"

namespace cpd::daemon {
namespace {

proto::TimeOfDay local_time(std::time_t t) {
    std::tm tm{};
    localtime_r(&t, &tm);
    return {tm.tm_hour, tm.tm_min, tm.tm_sec};
}

} // namespace

MessageSwitch switch_for(const MessageSwitches& s, proto::MessageKind kind) noexcept {
    switch (kind) {
    case proto::MessageKind::warning:
        return s.wng;
    case proto::MessageKind::imsg:
        return s.imsg;
    case proto::MessageKind::emsg:
        return s.emsg == EmsgMode::off ? MessageSwitch::off : MessageSwitch::on;
    default:
        return s.msg;
    }
}

void Messenger::hand_over(const proto::Userid& to, const proto::MessageDeliver& frame) {
    if (port_.deliver(to, frame)) {
        ++totals_.delivered;
        return;
    }
    // The program cannot take it now (its ring is full, or it is still
    // logging on): CP writes it on the console, where the replay keeps it.
    ++totals_.to_console;
    CPD_LOG(info, "msg: ", proto::kind_name(frame.kind), " from ", frame.from.str(), " to ",
            to.str(), ": written on its console: its program cannot take it now");
    port_.write_console(
        to, proto::message_line(frame.kind, frame.from, frame.text, local_time(frame.sent)));
}

CpOutcome Messenger::send(const proto::Userid& from, const proto::Userid& to,
                          proto::MessageKind kind, std::string_view text, std::time_t now) {
    const MessageSwitches* s = port_.switches(to);
    if (s == nullptr) {
        ++totals_.refused;
        CPD_LOG(info, "msg: ", proto::kind_name(kind), " from ", from.str(), " to ", to.str(),
                ": refused: not logged on");
        return {proto::CpRc::not_logged_on,
                "HCPMSG045E " + std::string(to.str()) + " not logged on"};
    }
    if (switch_for(*s, kind) == MessageSwitch::off) {
        ++totals_.refused;
        const std::string_view which = kind == proto::MessageKind::warning ? "WNG" : "MSG";
        CPD_LOG(info, "msg: ", proto::kind_name(kind), " from ", from.str(), " to ", to.str(),
                ": refused: ", which, " off");
        return {proto::CpRc::not_receiving, "HCPMSG057I " + std::string(to.str()) +
                                                " not receiving; " + std::string(which) + " off"};
    }
    hand_over(to, proto::MessageDeliver{from, kind, static_cast<std::int64_t>(now), text});
    return {};
}

CpOutcome Messenger::send_all(const proto::Userid& from, proto::MessageKind kind,
                              std::string_view text, std::time_t now) {
    std::size_t told = 0, refused = 0;
    for (const proto::Userid& to : port_.logged_on()) {
        const MessageSwitches* s = port_.switches(to);
        if (s == nullptr || switch_for(*s, kind) == MessageSwitch::off) {
            ++refused;
            continue;
        }
        hand_over(to, proto::MessageDeliver{from, kind, static_cast<std::int64_t>(now), text});
        ++told;
    }
    totals_.refused += refused;
    CPD_LOG(info, "msg: ", proto::kind_name(kind), " ALL from ", from.str(), ": ", told,
            " guests told, ", refused, " not receiving");
    return {};
}

} // namespace cpd::daemon
