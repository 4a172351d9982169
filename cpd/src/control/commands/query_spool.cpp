// SPDX-License-Identifier: MIT
// QUERY RDR|READER, PRT|PRINTER, PUN|PUNCH [*|userid|SYSTEM] [spoolid] [ALL]:
// the caller's spool files (class D: anyone's), in z/VM's fixed columns.
// cmd_query hands these operands here.
#include "control/commands/spool_command.hpp"
#include "spool/spool_devices.hpp"

namespace cpd::daemon {

bool is_spool_query(std::string_view op) {
    return spool_words::queue(op).has_value();
}

CpOutcome query_spool(const CommandArgs& args, const Caller& caller, CpServices& services) {
    SpoolService* spool = services.spool();
    if (spool == nullptr) {
        return {proto::CpRc::invalid_option, "HCPCQU003E Invalid option - " + args.upper(1)};
    }
    return spool->query(spool_caller(caller), operands_from(args, 1));
}

} // namespace cpd::daemon
