// SPDX-License-Identifier: MIT
// SET SMSG ON|OFF (class G): whether the caller's guest accepts SMSGs.
#include "commands/command_table.hpp"

namespace cpd::daemon {

CpOutcome cmd_set(const CommandArgs& args, const Caller& caller, CpServices& services) {
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
