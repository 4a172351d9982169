// SPDX-License-Identifier: MIT
// SET SMSG ON|OFF (class G): whether the caller's guest accepts SMSGs.
// SET CRASHMSG ON|OFF (class A or B): whether the caller's console gets CP's
// messages about guests that crash or that cpd stops restarting.
// The message switches and LOGMSG are in set_messages.cpp.
#include "control/commands/command_table.hpp"

namespace cpd::daemon {

CpOutcome cmd_set(const CommandArgs& args, const Caller& caller, CpServices& services) {
    if (std::optional<CpOutcome> r = set_messages(args, caller, services)) {
        return *r;
    }
    if (args.size() == 3 && matches_abbrev(args.word(1), "CRASHMSG", 6)) {
        std::string value = args.upper(2);
        if (!caller.has_any_class("AB")) {
            return not_authorized("SET CRASHMSG");
        }
        if (value == "ON" || value == "OFF") {
            return services.set_crashmsg(caller.userid, value == "ON");
        }
    }
    if (args.size() == 3 && matches_abbrev(args.word(1), "SMSG", 4)) {
        std::string value = args.upper(2);
        if (value == "ON" || value == "OFF") {
            return services.set_smsg(caller.userid, value == "ON");
        }
    }
    std::string what = args.size() > 1 ? std::string(args.rest_after(0)) : std::string();
    return {proto::CpRc::invalid_option, "HCPSET003E Invalid option - " + what};
}

} // namespace cpd::daemon
