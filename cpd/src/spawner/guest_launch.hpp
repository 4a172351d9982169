// SPDX-License-Identifier: MIT
// Forking one guest and exec'ing its program: the child side of a spawn. The
// spawn helper calls it for every guest (spawn_guest too, in tests). Every
// step that can allocate or fail for want of descriptors happens before
// fork; the child calls only async-signal-safe functions until execve: its
// own session, default signal dispositions, fds 0-5, its cgroups, no other
// descriptor, the sandbox of isolation/sandbox.hpp. A step that fails before
// exec is reported on a close-on-exec pipe, which the caller watches: a
// launch never waits for the guest program.
#pragma once

#include "isolation/sandbox.hpp"

#include "cpd/ipc/unique_fd.hpp"

#include <string>

#include <sys/types.h>

namespace cpd::daemon {

/// What to start, all prepared by the caller.
struct LaunchPlan {
    const char* program = nullptr;
    char* const* argv = nullptr;
    char* const* envp = nullptr;
    int segment = -1;                     ///< becomes fd 3
    int inbound_bell = -1;                ///< fd 4
    int outbound_bell = -1;               ///< fd 5
    const SandboxPlan* sandbox = nullptr; ///< nullptr: none (tests)
};

/// A forked child and the caller's ends of its pipes, or why none.
struct Launched {
    pid_t pid = -1;
    ipc::UniqueFd output;      ///< read end of its stdout+stderr (non-blocking)
    ipc::UniqueFd exec_report; ///< read end of the report pipe (non-blocking)
    std::string error;         ///< "" when pid > 0
    int error_number = 0;
};

/// Descriptors from this number on are never a child's: a caller holding
/// many (the spawn helper, one output pipe per guest) keeps them there, and a
/// child whose own all lie below it gets a table of just [0, low_fd_end)
/// instead of a copy of the caller's (guest_launch.cpp).
inline constexpr int low_fd_end = 256;

/// Forks the child (the caller stays its parent) and returns at once.
Launched launch_guest(const LaunchPlan& plan);

/// What a child's report pipe says so far.
struct ChildReport {
    enum class Status {
        pending, ///< nothing yet: the child is still setting itself up
        exec_ok, ///< end of file: the child exec'd (or died before it could say)
        failed,  ///< a step failed: `step` (its exit status) and `error_number`
    } status = Status::pending;
    int step = 0;
    int error_number = 0;
};

/// Reads the report pipe without blocking.
ChildReport read_child_report(int report_fd);

/// Words for a failed step: "unable to ...: <strerror>" or, for execve,
/// "<program>: <strerror>".
std::string describe_launch_failure(int step, int error_number, const std::string& program);

// Exit statuses of a child that never reached the guest program, one per step
// (also how it names the failed step on the report pipe). 127 is the shell's
// "could not execute"; the others sit just below it, where launchers such as
// env(1) and timeout(1) put their own failures.

/// execve failed (e.g. not executable by the service user, bad interpreter).
inline constexpr int exit_exec_failed = 127;
/// Moving the segment, bells, channel or /dev/null to fds 0-5 failed.
inline constexpr int exit_descriptors_failed = 126;
// 118-125: a step of the sandbox failed (isolation/sandbox.hpp).
/// Its parent (the spawn helper) was gone before the child armed its
/// parent-death signal. Only init (or a subreaper: cpd) can then see this status.
inline constexpr int exit_parent_gone = 1;

} // namespace cpd::daemon
