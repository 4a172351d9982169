// SPDX-License-Identifier: MIT
// LINK and DETACH: they change the caller's own virtual machine, as on z/VM,
// so the caller's guest must be logged on. What they decide lives in
// minidisks/minidisk_links.hpp; this file only hands the operands over.
#include "control/commands/command_table.hpp"

namespace cpd::daemon {

CpOutcome cmd_link(const CommandArgs& args, const Caller& caller, CpServices& services) {
    return services.link(caller.userid, args.rest_after(0));
}

CpOutcome cmd_detach(const CommandArgs& args, const Caller& caller, CpServices& services) {
    return services.detach(caller.userid, args.rest_after(0));
}

} // namespace cpd::daemon
