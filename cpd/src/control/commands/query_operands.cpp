// SPDX-License-Identifier: MIT
// The table of QUERY operands; keep it in step with cmd_query in query.cpp
// (tests/unit/cpd/query_commands_test.cpp fails when they differ). QUERY SET
// is not here: it shows the caller's own guest, so a host user who is not
// logged on gets HCPCQU045E, and completion offers only what works.
#include "control/commands/query_operands.hpp"

namespace cpd::daemon {

const std::vector<QueryOperand>& query_operands() {
    static const std::vector<QueryOperand> table = {
        {"COMMANDS", 3, "[QUERY]"},
        {"CPLEVEL", 7, ""},
        {"DIRECTORY", 3, ""},
        {"IUCV", 4, "[userid]"},
        {"LINKS", 4, "[userid] [vdev]"},
        {"LOGMSG", 4, ""},
        {"NAMES", 1, ""},
        {"PATHS", 4, "[userid]"},
        {"PRINTER", 1, "[*|userid|SYSTEM] [spoolid] [ALL]"},
        {"PRIVCLASS", 4, ""},
        {"PRT", 3, "[*|userid|SYSTEM] [spoolid] [ALL]"},
        {"PUNCH", 2, "[*|userid|SYSTEM] [spoolid] [ALL]"},
        {"RDR", 3, "[*|userid|SYSTEM] [spoolid] [ALL]"},
        {"READER", 1, "[*|userid|SYSTEM] [spoolid] [ALL]"},
        {"STATS", 4, ""},
        {"TIME", 1, ""},
        {"USERID", 6, ""},
        {"USERS", 1, ""},
        {"VIRTUAL", 1, "[ALL|STORAGE|CONSOLE|RDR|PUN|PRT|DASD|vdev]"},
    };
    return table;
}

const QueryOperand* find_query_operand(std::string_view word) noexcept {
    for (const QueryOperand& op : query_operands()) {
        if (matches_abbrev(word, op.name, op.min_len)) {
            return &op;
        }
    }
    return nullptr;
}

} // namespace cpd::daemon
