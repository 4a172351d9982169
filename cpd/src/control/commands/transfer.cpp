// SPDX-License-Identifier: MIT
// TRANSFER (TRANS): moves spool files to another user's (or one's own) queue.
// The command is carried out by SpoolService (spool/spool_commands.cpp).
#include "control/commands/spool_command.hpp"

namespace cpd::daemon {

CpOutcome cmd_transfer(const CommandArgs& args, const Caller& caller, CpServices& services) {
    SpoolService* spool = services.spool();
    if (spool == nullptr) {
        return no_spool("TRANSFER");
    }
    return spool->transfer(spool_caller(caller), operands_from(args, 1));
}

} // namespace cpd::daemon
