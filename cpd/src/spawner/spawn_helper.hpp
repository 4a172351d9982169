// SPDX-License-Identifier: MIT
// The spawn helper: a small process cpd forks early, before it has guests,
// big tables or many descriptors, that forks every guest, so a logon copies
// the helper's small state instead of cpd's growing one. It is the guests'
// parent: it reaps them and reports each exit, holds and reads their output
// pipes (a flood waits in the guest's write, never in cpd), and answers on a
// SOCK_SEQPACKET socketpair (spawner/spawn_wire.hpp). It dies with cpd
// (parent-death signal, and end of file on the socket), and its guests die
// with it (theirs). Its socket is close-on-exec and no guest ever holds it.
#pragma once

#include "cpd/ipc/unique_fd.hpp"

#include <string>

#include <sys/types.h>

namespace cpd::daemon {

/// A running helper, as its parent holds it.
struct HelperProcess {
    pid_t pid = -1;
    ipc::UniqueFd socket; ///< cpd's end: non-blocking, close-on-exec
    std::string error;    ///< why there is none (pid -1)
};

/// Forks the helper; the caller becomes its parent. Call it where the caller
/// is small (cpd's main, before anything is read): every guest fork copies
/// the helper's page tables and descriptor table, which start as the caller's.
HelperProcess start_spawn_helper();

} // namespace cpd::daemon
