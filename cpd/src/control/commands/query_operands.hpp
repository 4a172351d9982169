// SPDX-License-Identifier: MIT
// The QUERY operands cpd answers, as one table: QUERY COMMANDS QUERY shows it,
// the bash completion reads that answer, and a unit test holds it to what
// cmd_query (query.cpp) really accepts, so the three cannot drift apart.
#pragma once

#include "control/commands/command_table.hpp"

#include <cstddef>
#include <string_view>
#include <vector>

namespace cpd::daemon {

/// One QUERY operand cpd answers.
struct QueryOperand {
    const char* name;     ///< full operand, upper case
    std::size_t min_len;  ///< shortest abbreviation query.cpp accepts
    const char* operands; ///< what may follow, in CP's syntax ("" for nothing):
                          ///< upper case words literally, lower case a value, [] optional
};

/// Every operand, in the order QUERY COMMANDS QUERY lists them.
const std::vector<QueryOperand>& query_operands();

/// The table entry `word` abbreviates, or nullptr.
const QueryOperand* find_query_operand(std::string_view word) noexcept;

/// QUERY COMMANDS [verb]: the CP commands the caller may use, or one verb's
/// operands (every QUERY operand above, one per line).
CpOutcome query_commands(const CommandArgs& args, const Caller& caller, CpServices& services);
/// QUERY DIRECTORY: the userids whose console the caller may attach to, as
/// QUERY NAMES shows them; "OFF" for those not logged on that a logon can start.
CpOutcome query_directory(const CommandArgs& args, const Caller& caller, CpServices& services);

} // namespace cpd::daemon
