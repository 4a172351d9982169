// SPDX-License-Identifier: MIT
// SHUTDOWN (class A): logs every guest off with reason shutdown, waits the
// grace period, and stops cpd (exit 0), as SIGTERM does.
#include "control/commands/command_table.hpp"

namespace cpd::daemon {

CpOutcome cmd_shutdown(const CommandArgs& args, const Caller& caller, CpServices& services) {
    if (args.size() > 1) {
        return {proto::CpRc::invalid_option,
                "HCPSHU003E Invalid option - " + std::string(args.word(1))};
    }
    return services.shutdown(caller.userid);
}

} // namespace cpd::daemon
