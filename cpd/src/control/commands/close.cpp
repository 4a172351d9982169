// SPDX-License-Identifier: MIT
// CLOSE (CL): ends the open spool file of a punch or printer and sends it where
// its device or the TO operand says; on a reader it is accepted and does nothing.
// The command is carried out by SpoolService (spool/spool_commands.cpp).
#include "control/commands/spool_command.hpp"

namespace cpd::daemon {

CpOutcome cmd_close(const CommandArgs& args, const Caller& caller, CpServices& services) {
    SpoolService* spool = services.spool();
    if (spool == nullptr) {
        return no_spool("CLOSE");
    }
    return spool->close(spool_caller(caller), operands_from(args, 1));
}

} // namespace cpd::daemon
