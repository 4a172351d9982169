// SPDX-License-Identifier: MIT
// Output forms of QUERY: pure formatting of guest lists and counters, so the
// exact z/VM layouts are unit-tested without a daemon.
#pragma once

#include "control/commands/cp_services.hpp"

#include <string>
#include <vector>

namespace cpd::daemon {

/// "ECHO     - DSC": userid padded to 8, " - ", terminal.
std::string format_name(const GuestInfo& guest);
/// QUERY NAMES: entries joined by " , ", at most 4 per line.
std::string format_names(const std::vector<GuestInfo>& guests);
/// QUERY USERS: "     3 USERS,      0 DIALED,      0 NET".
std::string format_users(std::size_t logged_on);
/// QUERY STATS: a header, one line per guest, then a TOTAL line.
std::string format_stats(const std::vector<GuestInfo>& guests, const StatsTotals& totals);

} // namespace cpd::daemon
