// SPDX-License-Identifier: MIT
// The sweep lock of a guest uid range. A sweep (a guest child killing what an
// earlier incarnation left, or cpd's helper ending a guest's processes) runs
// with real and saved uid `sweeper`, the range base; so while two sweeps
// overlap, each can kill the other. Spawning does not wait for exec, so
// children and helpers can overlap: each takes this lock around its sweep.
#pragma once

#include <sys/types.h>

namespace cpd::daemon {

/// Async-signal-safe: binds the abstract socket "cpd-sweep-<sweeper>",
/// waiting (at most 5 s) while another process holds it. Returns the socket
/// (closing it, or exit or exec, releases the lock), or -1 with errno.
int take_sweep_lock(uid_t sweeper) noexcept;

} // namespace cpd::daemon
