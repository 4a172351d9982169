// SPDX-License-Identifier: MIT
// CHANGE (CH): changes the attributes of spool files (CLASS, HOLD, KEEP, NAME, ...).
// The command is carried out by SpoolService (spool/spool_commands.cpp).
#include "control/commands/spool_command.hpp"

namespace cpd::daemon {

CpOutcome cmd_change(const CommandArgs& args, const Caller& caller, CpServices& services) {
    SpoolService* spool = services.spool();
    if (spool == nullptr) {
        return no_spool("CHANGE");
    }
    return spool->change(spool_caller(caller), operands_from(args, 1));
}

} // namespace cpd::daemon
