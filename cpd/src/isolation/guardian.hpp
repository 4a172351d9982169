// SPDX-License-Identifier: MIT
// The guardian: a small process cpd forks at start (when guests run under
// uids of their own) that waits for cpd to end, however it ends, SIGKILL
// included, and then kills every process left in the guest uid range. A
// guest dies with cpd by its parent-death signal; the guardian catches what
// the guest forked, which no parent-death signal reaches.
#pragma once

#include "cpd/ipc/unique_fd.hpp"

#include <cstdint>
#include <string>
#include <vector>

#include <sys/types.h>

namespace cpd::daemon {

/// A running guardian: cpd holds the write end of its pipe until it exits.
struct Guardian {
    pid_t pid = -1;
    ipc::UniqueFd lifeline; ///< close-on-exec; its closing wakes the guardian
};

/// Forks the guardian for [first, first + count); it keeps `range_lock` (see
/// lock_uid_range) until its sweep is done, so no new cpd starts guests in the
/// range before then, and then removes the guests' `cgroups` (parent groups).
/// On failure `pid` is -1 and `error` says why.
Guardian start_guardian(uid_t first, std::uint32_t count, int range_lock,
                        const std::vector<std::string>& cgroups, std::string& error);

/// Claims [first, ...) for this cpd: an abstract Unix socket named after the
/// range base, which the kernel releases when every holder is gone. Two cpds
/// on one range would kill each other's guests. Empty with `error` if another
/// process holds it.
ipc::UniqueFd lock_uid_range(uid_t first, std::string& error);

} // namespace cpd::daemon
