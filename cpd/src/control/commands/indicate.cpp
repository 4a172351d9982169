// SPDX-License-Identifier: MIT
// INDICATE (IND) LOAD | USER [userid] (class E or G): the host's load and a
// guest's use, computed from the host (load average, processors, the guest
// process's CPU and resident pages) and cpd's counters. No operand means
// LOAD. Class G sees its own USER figures only; class E anyone's.
#include "control/commands/command_table.hpp"
#include "control/commands/everyday_format.hpp"

namespace cpd::daemon {
namespace {

CpOutcome invalid_option(std::string_view op) {
    return {proto::CpRc::invalid_option, "HCPIND003E Invalid option - " + std::string(op)};
}

/// INDICATE USER [userid].
CpOutcome indicate_user(const CommandArgs& args, const Caller& caller, CpServices& services) {
    if (args.size() > 3) {
        return invalid_option(args.word(3));
    }
    proto::Userid who = caller.userid;
    if (args.size() == 3 && args.word(2) != "*") {
        auto id = proto::Userid::parse(args.word(2));
        if (!id) {
            return invalid_userid(args.word(2));
        }
        who = *id;
    }
    if (who != caller.userid && !caller.has_any_class("E")) {
        return not_authorized("INDICATE USER " + std::string(who.str()));
    }
    const std::optional<GuestUsage> usage = services.usage(who);
    if (!usage) {
        return {proto::CpRc::not_logged_on,
                "HCPIND045E " + std::string(who.str()) + " not logged on"};
    }
    return {proto::CpRc::ok, format_indicate_user(who, *usage)};
}

} // namespace

CpOutcome cmd_indicate(const CommandArgs& args, const Caller& caller, CpServices& services) {
    if (args.size() == 1 || matches_abbrev(args.word(1), "LOAD", 1)) {
        if (args.size() > 2) {
            return invalid_option(args.word(2));
        }
        return {proto::CpRc::ok, format_indicate_load(services.host_load())};
    }
    if (matches_abbrev(args.word(1), "USER", 1)) {
        return indicate_user(args, caller, services);
    }
    return invalid_option(args.word(1));
}

} // namespace cpd::daemon
