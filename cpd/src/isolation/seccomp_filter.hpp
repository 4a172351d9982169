// SPDX-License-Identifier: MIT
// A small seccomp deny-list for guests, built as raw BPF (no libseccomp). It
// is kernel attack-surface reduction on top of uids, NO_NEW_PRIVS and
// Landlock, which do the access control: no ptrace or cross-process memory
// calls, no namespaces or mounts, no BPF, perf, keyrings, userfaultfd or
// io_uring, no SysV or POSIX IPC, memfd or anonymous shared memory (memory
// outside RLIMIT_DATA, some of it outliving the guest), no socketpair and no
// socket() at all (so no guest can reach cpd's control socket or any other
// pathname socket, which Landlock cannot stop), except IPv4, IPv6 and
// netlink when the guest's directory entry says OPTION NETWORK.
#pragma once

#include <string>
#include <vector>

#include <linux/filter.h>

namespace cpd::daemon {

/// A compiled filter; empty `program` means none for this architecture.
struct SeccompFilter {
    std::vector<sock_filter> program;
    std::string missing; ///< why there is none ("" when there is one)
};

/// Builds the guest filter. `allow_network`: IPv4/IPv6 sockets are allowed.
SeccompFilter build_guest_seccomp_filter(bool allow_network);

/// Child side (async-signal-safe): installs `filter` (NO_NEW_PRIVS must be
/// set). False (errno set) on failure.
bool install_seccomp_filter(const SeccompFilter& filter) noexcept;

} // namespace cpd::daemon
