// SPDX-License-Identifier: MIT
// SPOOL (SP): a device's spool options: CLASS, CONT, HOLD, COPY, TO|OFF, KEEP,
// NAME, FORM, DIST, and CLOSE or PURGE of its open file.
// The command is carried out by SpoolService (spool/spool_commands.cpp).
#include "control/commands/spool_command.hpp"

namespace cpd::daemon {

CpOutcome cmd_spool(const CommandArgs& args, const Caller& caller, CpServices& services) {
    SpoolService* spool = services.spool();
    if (spool == nullptr) {
        return no_spool("SPOOL");
    }
    return spool->spool(spool_caller(caller), operands_from(args, 1));
}

} // namespace cpd::daemon
