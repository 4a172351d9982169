// SPDX-License-Identifier: MIT
// A guest's sandbox: everything its process gets between fork and execve.
// The daemon builds a SandboxPlan (uid, Landlock ruleset, seccomp program,
// limits) where failures can be logged; the child then only applies it with
// async-signal-safe calls, in the order the kernel requires (its own
// session comes before, in spawn.cpp's child_exec, plan or no plan):
// credentials, no capabilities, NO_NEW_PRIVS, parent-death signal, limits,
// the sweep of what an earlier incarnation left, Landlock, seccomp.
#pragma once

#include "isolation/guest_cgroups.hpp"
#include "isolation/landlock.hpp"
#include "isolation/seccomp_filter.hpp"

#include <cstdint>
#include <optional>

#include <sys/types.h>

namespace cpd::daemon {

/// The host uid and gid one guest runs under.
struct GuestCredentials {
    uid_t uid = 0;
    gid_t gid = 0;
    /// The range's base, no guest's uid: while it kills what an earlier
    /// incarnation left, the child runs with real and saved uid `sweeper`
    /// and effective uid `uid`, which reaches those processes (kill checks
    /// the sender's effective uid) while they cannot signal it back (their
    /// uid is neither its real nor its saved uid).
    uid_t sweeper = 0;
};

/// What the child applies to itself.
struct SandboxPlan {
    /// Switch to these (no supplementary groups); nullopt: stay cpd's uid
    /// (isolation none: cpd lacks the privileges to separate guests).
    std::optional<GuestCredentials> credentials;
    LandlockRuleset landlock;        ///< fd empty: no Landlock
    SeccompFilter seccomp;           ///< program empty: no filter
    std::uint64_t data_limit = 0;    ///< RLIMIT_DATA in bytes (the USER storage); 0 = none
    std::uint64_t process_limit = 0; ///< RLIMIT_NPROC (per guest uid only); 0 = none
    std::uint64_t open_files = 1024; ///< soft RLIMIT_NOFILE (cpd raised its own)
    CgroupJoin cgroups;              ///< cgroup.procs files to join; empty: none
    /// True when cgroups[0] is the guest's own group, opened for reading too,
    /// and every process of its uid runs there (GuestCgroups: a guest cannot
    /// leave it, cpd killed its range's processes at start): the child then
    /// sweeps the uid only if the group holds something besides itself.
    bool cgroups_confine_uid = false;
};

// Exit statuses of a child whose sandbox could not be entered; spawn reports
// the step and errno to cpd on its pipe.
inline constexpr int exit_credentials_failed = 125;
inline constexpr int exit_capabilities_failed = 124;
inline constexpr int exit_limits_failed = 123;
inline constexpr int exit_sweep_failed = 122;
inline constexpr int exit_landlock_failed = 121;
inline constexpr int exit_seccomp_failed = 120;
inline constexpr int exit_session_failed = 119;
inline constexpr int exit_cgroup_failed = 118;

/// Child side, async-signal-safe: applies `plan`. Returns 0, or the exit
/// status naming the step that failed (errno set). `parent` is cpd's pid, for
/// the parent-death signal, which a credential change clears. `uid_clean`
/// (from join_cgroups) skips the kill(-1) sweep of the guest's uid.
int enter_sandbox(const SandboxPlan& plan, pid_t parent, bool uid_clean) noexcept;

/// Child side, async-signal-safe: moves the calling process into the guest's
/// cgroups (writes "0" to each cgroup.procs in `plan`), before anything it
/// runs can allocate or fork. 0, or exit_cgroup_failed (errno set). Sets
/// `uid_clean` when the first group confines the uid (cgroups_confine_uid)
/// and now holds the caller alone: nothing of the uid is left to sweep.
int join_cgroups(const SandboxPlan& plan, bool& uid_clean) noexcept;

/// Words for a failed step's status, or nullptr if `status` is not one.
const char* sandbox_step_name(int status) noexcept;

} // namespace cpd::daemon
