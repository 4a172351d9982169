// SPDX-License-Identifier: MIT
// SET MSG|WNG|IMSG|SMSG ON|OFF|IUCV, SET EMSG ON|OFF|TEXT|CODE|IUCV (class G,
// for the caller's own virtual machine, which must be logged on) and SET
// LOGMSG (class B): SET LOGMSG n text sets line n (1-99), SET LOGMSG n
// deletes it, SET LOGMSG OFF deletes them all.
#include "control/commands/command_table.hpp"

#include <algorithm>
#include <charconv>

namespace cpd::daemon {
namespace {

CpOutcome invalid(std::string_view what) {
    return {proto::CpRc::invalid_option, "HCPSET003E Invalid option - " + std::string(what)};
}

/// Highest SET LOGMSG line number.
constexpr unsigned logmsg_lines = 99;

/// SET LOGMSG n [text] | OFF.
CpOutcome set_logmsg(const CommandArgs& args, const Caller& caller, CpServices& services) {
    if (!caller.has_any_class("B")) {
        return not_authorized("SET LOGMSG");
    }
    std::vector<std::string> lines = services.logmsg();
    if (args.size() == 3 && args.upper(2) == "OFF") {
        services.set_logmsg({}, caller.userid);
        return {};
    }
    const std::string_view n = args.word(2);
    unsigned line = 0;
    const auto [end, ec] = std::from_chars(n.data(), n.data() + n.size(), line);
    if (n.empty() || ec != std::errc{} || end != n.data() + n.size() || line == 0 ||
        line > logmsg_lines) {
        return {proto::CpRc::invalid_operand, "HCPSET026E Operand missing or invalid"};
    }
    const std::string_view text = args.rest_after(2);
    if (text.empty()) {
        if (line <= lines.size()) {
            lines.erase(lines.begin() + line - 1);
        }
    } else {
        lines.resize(std::max<std::size_t>(lines.size(), line));
        lines[line - 1] = std::string(text);
    }
    while (!lines.empty() && lines.back().empty()) {
        lines.pop_back();
    }
    services.set_logmsg(std::move(lines), caller.userid);
    return {};
}

/// Sets one message switch of the caller's guest.
CpOutcome set_switch(const CommandArgs& args, const Caller& caller, CpServices& services,
                     std::string_view which) {
    const std::string_view value = args.word(2);
    bool smsg_on = true;
    std::optional<MessageSwitches> s = services.message_switches(caller.userid, &smsg_on);
    if (which == "SMSG") { // Guest::smsg_on decides; the switches only remember IUCV
        const auto sw = parse_switch(value);
        if (!sw) {
            return invalid(args.upper(2));
        }
        CpOutcome r = services.set_smsg(caller.userid, *sw != MessageSwitch::off);
        if (r.rc == proto::CpRc::ok && s) {
            s->smsg_iucv = *sw == MessageSwitch::iucv;
            return services.set_message_switches(caller.userid, *s);
        }
        return r;
    }
    if (!s) {
        return {proto::CpRc::not_logged_on,
                "HCPSET045E " + std::string(caller.userid.str()) + " not logged on"};
    }
    if (which == "EMSG") {
        const auto mode = parse_emsg(value);
        if (!mode) {
            return invalid(args.upper(2));
        }
        s->emsg = *mode;
        return services.set_message_switches(caller.userid, *s);
    }
    const auto sw = parse_switch(value);
    if (!sw) {
        return invalid(args.upper(2));
    }
    (which == "MSG" ? s->msg : which == "WNG" ? s->wng : s->imsg) = *sw;
    return services.set_message_switches(caller.userid, *s);
}

} // namespace

std::optional<CpOutcome> set_messages(const CommandArgs& args, const Caller& caller,
                                      CpServices& services) {
    const std::string_view op = args.word(1);
    if (matches_abbrev(op, "LOGMSG", 4)) {
        return set_logmsg(args, caller, services);
    }
    for (std::string_view which : {"MSG", "WNG", "EMSG", "IMSG", "SMSG"}) {
        if (matches_abbrev(op, which, which.size())) {
            if (args.size() != 3) {
                return args.size() < 3 ? CpOutcome{proto::CpRc::invalid_operand,
                                                   "HCPSET026E Operand missing or invalid"}
                                       : invalid(args.upper(3));
            }
            return set_switch(args, caller, services, which);
        }
    }
    return std::nullopt;
}

} // namespace cpd::daemon
