// SPDX-License-Identifier: MIT
// ORDER (ORD): puts the named files first in their queue, in the order given.
// The command is carried out by SpoolService (spool/spool_commands.cpp).
#include "control/commands/spool_command.hpp"

namespace cpd::daemon {

CpOutcome cmd_order(const CommandArgs& args, const Caller& caller, CpServices& services) {
    SpoolService* spool = services.spool();
    if (spool == nullptr) {
        return no_spool("ORDER");
    }
    return spool->order(spool_caller(caller), operands_from(args, 1));
}

} // namespace cpd::daemon
