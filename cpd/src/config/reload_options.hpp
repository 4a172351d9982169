// SPDX-License-Identifier: MIT
// take_reloadable: which cpd.conf settings a SIGHUP applies to a running cpd,
// and which wait for a restart (the socket is bound and the state directory
// holds the running guests' minidisks and console logs).
#pragma once

#include "config/options.hpp"

#include <string>
#include <vector>

namespace cpd::daemon {

/// Copies into `running` what a reload takes over at once: the directory file,
/// autolog, grace time, log level, console replay lines, console logging and
/// the latency hold, the client caps and timeouts, and, for guests logged on
/// afterwards, ring size and guest program directory (and for clients connecting
/// afterwards, client_output_kib).
/// Returns the cpd.conf names of changed settings that need a restart.
std::vector<std::string> take_reloadable(Options& running, const Options& fresh);

} // namespace cpd::daemon
