// SPDX-License-Identifier: MIT
// Starting a guest process: a fresh segment and two doorbells, fork, and in
// the child only async-signal-safe calls until execve (fds 3/4/5, clean
// environment, parent-death signal, dropped privileges when cpd is root).
// Knows nothing of the guest table; the Supervisor decides when to call it.
#pragma once

#include "cpd/ipc/doorbell.hpp"
#include "cpd/ipc/segment.hpp"
#include "cpd/ipc/unique_fd.hpp"
#include "cpd/proto/userid.hpp"

#include <optional>
#include <string>
#include <string_view>

#include <sys/types.h>

namespace cpd::daemon {

/// The host account guests run as when cpd runs as root.
struct RunAs {
    uid_t uid = 0;
    gid_t gid = 0;
    std::string name;
    std::string home;
};

/// The service user: `cpd` if it exists, else `nobody`; nullopt if neither does.
std::optional<RunAs> find_service_user();

/// Resolves an IPL operand: a built-in name X -> <guest_dir>/cpd-guest-<x>; anything
/// containing '/' is a path used as is.
std::string resolve_program(std::string_view ipl, const std::string& guest_dir);

/// What to start.
struct SpawnRequest {
    proto::Userid userid;
    std::string program;            ///< resolved executable path
    std::string parm;               ///< IPL PARM text
    std::string log_level;          ///< passed as CPD_GUEST_LOG_LEVEL
    ipc::SegmentGeometry geometry;
    std::optional<RunAs> run_as;    ///< drop to this user in the child
    std::string disks;              ///< CPD_GUEST_DISKS text ("" = not set)
};

/// A started guest process and cpd's ends of its resources.
struct Spawned {
    pid_t pid = -1;
    ipc::UniqueFd pidfd;            ///< may be empty on kernels without pidfd_open
    ipc::Segment segment;
    ipc::Doorbell inbound_bell;
    ipc::Doorbell outbound_bell;
    ipc::UniqueFd outbound_bell_watch; ///< a dup of outbound_bell for the router's wait
};

/// Outcome of spawn_guest: a process, or why none was started.
struct SpawnResult {
    std::optional<Spawned> guest;
    std::string error;
};

/// Creates the segment, bells and every descriptor cpd keeps, then forks+execs
/// the program; a failure before fork (EMFILE included) starts no process.
/// Exec failures in the child show up as exit status 127.
SpawnResult spawn_guest(const SpawnRequest& request);

/// Exit status a child uses when execve failed.
inline constexpr int exit_exec_failed = 127;

} // namespace cpd::daemon
