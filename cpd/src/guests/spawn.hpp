// SPDX-License-Identifier: MIT
// Starting a guest process: a fresh segment, two doorbells, a pipe for its
// stdout and stderr, and a forked child (none of the guests' segments mapped in it) that calls only
// async-signal-safe functions until execve (fds 0-5, clean environment, the
// sandbox of isolation/sandbox.hpp). Never waits for the guest program: the
// report pipe says whether the child exec'd. Knows nothing of the guest table;
// the Supervisor decides when to call it and watches the pipe.
#pragma once

#include "isolation/sandbox.hpp"

#include "cpd/ipc/doorbell.hpp"
#include "cpd/ipc/segment.hpp"
#include "cpd/ipc/unique_fd.hpp"
#include "cpd/proto/userid.hpp"

#include <optional>
#include <string>
#include <string_view>

#include <sys/types.h>

namespace cpd::daemon {

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
    const SandboxPlan* sandbox = nullptr; ///< applied in the child; nullptr: none (tests)
    std::string disks;              ///< CPD_GUEST_DISKS text ("" = not set)
};

/// A started guest process and cpd's ends of its resources: four
/// descriptors once the report pipe is closed (pidfd, both bells, output).
struct Spawned {
    pid_t pid = -1;
    ipc::UniqueFd pidfd;            ///< may be empty on kernels without pidfd_open
    ipc::Segment segment;           ///< mapped; its memfd is closed (the guest holds it)
    ipc::Doorbell inbound_bell;
    ipc::Doorbell outbound_bell;    ///< cpd waits on this very descriptor
    ipc::UniqueFd output;           ///< read end of the guest's stdout+stderr (non-blocking)
    ipc::UniqueFd exec_report;      ///< the report pipe's read end (non-blocking): read_exec_report
};

/// Outcome of spawn_guest: a process, or why none was started.
struct SpawnResult {
    std::optional<Spawned> guest;
    std::string error;
    int error_number = 0; ///< errno of the failed step (EMFILE: cpd is out of descriptors)
};

/// Descriptors cpd holds for each guest once it is logged on.
inline constexpr int descriptors_per_guest = 4;
/// More descriptors a logon holds until its child has exec'd (report pipe, and
/// at the peak inside spawn_guest the child's copies).
inline constexpr int descriptors_per_logon = 8;

/// Creates the segment, bells and every descriptor cpd keeps, then forks the
/// child that execs the program, and returns at once: it never waits for the
/// child. A failure before fork (EMFILE included) starts no process. A failure
/// in the child before exec (execve itself included) is reported on the
/// `exec_report` pipe, after which the child exits; the caller reaps it.
SpawnResult spawn_guest(const SpawnRequest& request);

/// What a child's report pipe says so far.
struct ExecReport {
    enum class Status {
        pending, ///< nothing yet: the child is still setting itself up
        exec_ok, ///< end of file: the child exec'd (or died before it could say)
        failed,  ///< a step failed; `error` names it and its errno
    } status = Status::pending;
    std::string error;
};

/// Reads the report pipe `report_fd` without blocking. `program` is named in
/// the error of a failed execve.
ExecReport read_exec_report(int report_fd, const std::string& program);

// Exit statuses of a child that never reached the guest program, one per step
// (also how it names the failed step on the report pipe). 127 is the shell's
// "could not execute"; the others sit just below it, where launchers such as
// env(1) and timeout(1) put their own failures.

/// execve failed (e.g. not executable by the service user, bad interpreter).
inline constexpr int exit_exec_failed = 127;
/// Moving the segment, bells, channel or /dev/null to fds 0-5 failed.
inline constexpr int exit_descriptors_failed = 126;
// 119-125: a step of the sandbox failed (isolation/sandbox.hpp).
/// cpd was gone before the child armed its parent-death signal. Only init (or a
/// subreaper) can then see this status, never cpd.
inline constexpr int exit_parent_gone = 1;

} // namespace cpd::daemon
