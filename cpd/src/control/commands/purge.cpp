// SPDX-License-Identifier: MIT
// PURGE (PUR): deletes spool files of a queue: spoolids, CLASS, FORM or ALL.
// The command is carried out by SpoolService (spool/spool_commands.cpp).
#include "control/commands/spool_command.hpp"

namespace cpd::daemon {

CpOutcome cmd_purge(const CommandArgs& args, const Caller& caller, CpServices& services) {
    SpoolService* spool = services.spool();
    if (spool == nullptr) {
        return no_spool("PURGE");
    }
    return spool->purge(spool_caller(caller), operands_from(args, 1));
}

} // namespace cpd::daemon
