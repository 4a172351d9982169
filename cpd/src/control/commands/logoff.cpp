// SPDX-License-Identifier: MIT
// LOGOFF (LOG): the caller's own guest is logged off (its on_logoff runs).
// Any user may issue it, for itself only.
#include "control/commands/command_table.hpp"

namespace cpd::daemon {

CpOutcome cmd_logoff(const CommandArgs& args, const Caller& caller, CpServices& services) {
    if (args.size() > 1 && !matches_abbrev(args.word(1), "HOLD", 4)) {
        return {proto::CpRc::invalid_option,
                "HCPLGF003E Invalid option - " + std::string(args.word(1))};
    }
    return services.logoff(caller.userid, caller.userid, false);
}

} // namespace cpd::daemon
