// SPDX-License-Identifier: MIT
// The everyday QUERY operands (class G, like QUERY): TIME (T), CPLEVEL,
// USERID, PRIVCLASS (PRIV), LOGMSG (LOGM; setting it is class B) and SET.
// Each takes no further operand; extra words get CP's invalid-option
// message. The output forms are in everyday_format.cpp.
#include "control/commands/command_table.hpp"
#include "control/commands/everyday_format.hpp"

#include <ctime>

namespace cpd::daemon {
namespace {

/// QUERY SET: the caller's message switches.
CpOutcome query_set(const Caller& caller, CpServices& services) {
    bool smsg_on = true;
    const std::optional<MessageSwitches> s = services.message_switches(caller.userid, &smsg_on);
    if (!s) {
        return {proto::CpRc::not_logged_on,
                "HCPCQU045E " + std::string(caller.userid.str()) + " not logged on"};
    }
    return {proto::CpRc::ok, format_query_set(*s, smsg_on)};
}

} // namespace

std::optional<CpOutcome> query_everyday(const CommandArgs& args, const Caller& caller,
                                        CpServices& services) {
    const std::string_view op = args.word(1);
    const bool time = matches_abbrev(op, "TIME", 1);
    const bool cplevel = matches_abbrev(op, "CPLEVEL", 7);
    const bool userid = matches_abbrev(op, "USERID", 6);
    const bool priv = matches_abbrev(op, "PRIVCLASS", 4);
    const bool logmsg = matches_abbrev(op, "LOGMSG", 4);
    const bool set = matches_abbrev(op, "SET", 3);
    if (!(time || cplevel || userid || priv || logmsg || set)) {
        return std::nullopt;
    }
    if (args.size() > 2) {
        return CpOutcome{proto::CpRc::invalid_option,
                         "HCPCQU003E Invalid option - " + std::string(args.word(2))};
    }
    if (time) {
        return CpOutcome{proto::CpRc::ok,
                         format_query_time(std::time(nullptr), services.usage(caller.userid))};
    }
    if (cplevel) {
        return CpOutcome{proto::CpRc::ok, format_cplevel(services.system_info())};
    }
    if (userid) {
        return CpOutcome{proto::CpRc::ok,
                         format_userid(caller.userid, services.system_info().name)};
    }
    if (priv) {
        return CpOutcome{proto::CpRc::ok, format_privclass(caller.userid, caller.classes)};
    }
    if (logmsg) {
        return CpOutcome{proto::CpRc::ok, format_logmsg(services.logmsg())};
    }
    return query_set(caller, services);
}

} // namespace cpd::daemon
