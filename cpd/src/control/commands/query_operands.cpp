// SPDX-License-Identifier: MIT
// The table of QUERY operands; keep it in step with cmd_query in query.cpp
// (tests/unit/cpd/query_commands_test.cpp fails when they differ).
#include "control/commands/query_operands.hpp"

namespace cpd::daemon {

const std::vector<QueryOperand>& query_operands() {
    static const std::vector<QueryOperand> table = {
        {"COMMANDS", 3, "[QUERY]"},
        {"DIRECTORY", 3, ""},
        {"IUCV", 4, "[userid]"},
        {"LINKS", 4, "[userid] [vdev]"},
        {"NAMES", 1, ""},
        {"PATHS", 4, "[userid]"},
        {"STATS", 4, ""},
        {"USERS", 1, ""},
        {"VIRTUAL", 1, "DASD|vdev"},
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
