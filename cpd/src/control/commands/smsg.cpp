// SPDX-License-Identifier: MIT
// SMSG (SM) userid text (class G): a special message as the caller; the text
// is the raw rest of the line. The outcome is the routing's rc and message.
#include "control/commands/command_table.hpp"

namespace cpd::daemon {

CpOutcome cmd_smsg(const CommandArgs& args, const Caller& caller, CpServices& services) {
    auto id = proto::Userid::parse(args.word(1));
    if (!id) {
        return invalid_userid(args.word(1));
    }
    return services.smsg(caller.userid, *id, args.rest_after(1));
}

} // namespace cpd::daemon
