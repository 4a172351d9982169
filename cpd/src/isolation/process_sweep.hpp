// SPDX-License-Identifier: MIT
// Ending everything a guest forked. A guest's grandchildren may leave its
// process group (setsid) but never its uid: under separate uids, cpd ends a
// guest's processes by uid, from a short-lived helper that becomes that uid
// and calls kill(-1). Without them (isolation none), cpd kills the guest's
// process group, which a grandchild can leave: cpd(8) says so.
#pragma once

#include <cstdint>
#include <string>

#include <sys/types.h>

namespace cpd::daemon {

/// Kills every process whose real or saved uid is `uid`, from a vfork'd helper
/// that takes `uid` as its effective uid and `sweeper` (no guest's) as its
/// real and saved uid and drops every capability first: kill(-1) then
/// reaches nothing else, and nothing it reaches can signal it. Signals are
/// blocked around it. False on failure (`error` says why).
bool kill_processes_of_uid(uid_t uid, uid_t sweeper, std::string& error) noexcept;

/// Kills every process whose effective uid is in [first, first + count), by
/// scanning /proc, until a scan finds none (at most `max_scans`). Needs
/// CAP_KILL. Returns the number killed.
std::size_t kill_processes_in_uid_range(uid_t first, std::uint32_t count, int max_scans = 20);

} // namespace cpd::daemon
