// SPDX-License-Identifier: MIT
// FORCE userid (class A): logs another guest off; its on_logoff runs, then it
// has the grace period to exit before CP kills it.
#include "control/commands/command_table.hpp"

namespace cpd::daemon {

CpOutcome cmd_force(const CommandArgs& args, const Caller& caller, CpServices& services) {
    auto id = proto::Userid::parse(args.word(1));
    if (!id) {
        return invalid_userid(args.word(1));
    }
    if (args.size() > 2 && !matches_abbrev(args.word(2), "IMMEDIATE", 3)) {
        return {proto::CpRc::invalid_option,
                "HCPCMD003E Invalid option - " + std::string(args.word(2))};
    }
    return services.logoff(*id, caller.userid, true);
}

} // namespace cpd::daemon
