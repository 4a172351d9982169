// SPDX-License-Identifier: MIT
// QUERY (Q): NAMES, USERS, STATS and QUERY userid, in z/VM's output forms
// ("ECHO     - DSC , MAINT    - DSC", "     3 USERS,      0 DIALED,      0 NET").
#include "commands/command_table.hpp"
#include "commands/query_format.hpp"

namespace cpd::daemon {

CpOutcome cmd_query(const CommandArgs& args, const Caller&, CpServices& services) {
    if (args.size() < 2) {
        return {proto::CpRc::invalid_operand, "HCPCQU026E Operand missing or invalid"};
    }
    if (args.size() > 2) {
        return {proto::CpRc::invalid_option,
                "HCPCQU003E Invalid option - " + std::string(args.word(2))};
    }
    std::string_view op = args.word(1);
    if (matches_abbrev(op, "NAMES", 1)) {
        return {proto::CpRc::ok, format_names(services.guests())};
    }
    if (matches_abbrev(op, "USERS", 1)) {
        return {proto::CpRc::ok, format_users(services.guests().size())};
    }
    if (matches_abbrev(op, "STATS", 4)) {
        return {proto::CpRc::ok, format_stats(services.guests(), services.totals())};
    }
    auto id = proto::Userid::parse(op);
    if (!id) {
        return {proto::CpRc::invalid_option, "HCPCQU003E Invalid option - " + std::string(op)};
    }
    for (const GuestInfo& g : services.guests()) {
        if (g.userid == *id) {
            return {proto::CpRc::ok, format_name(g)};
        }
    }
    return {proto::CpRc::not_logged_on, "HCPCQU045E " + std::string(id->str()) + " not logged on"};
}

} // namespace cpd::daemon
