// SPDX-License-Identifier: MIT
// XAUTOLOG (XAUTO) / AUTOLOG (AUTO) userid: logs a guest on, disconnected.
// Class A or B may log on anyone; any user may log on itself.
#include "control/commands/command_table.hpp"

namespace cpd::daemon {

CpOutcome cmd_xautolog(const CommandArgs& args, const Caller& caller, CpServices& services) {
    auto id = proto::Userid::parse(args.word(1));
    if (!id) {
        return invalid_userid(args.word(1));
    }
    if (args.size() > 2) {
        return {proto::CpRc::invalid_option,
                "HCPCMD003E Invalid option - " + std::string(args.word(2))};
    }
    if (!caller.has_any_class("AB") && !(*id == caller.userid && caller.has_any_class("G"))) {
        return not_authorized("XAUTOLOG");
    }
    return services.logon(*id, caller.userid);
}

} // namespace cpd::daemon
