// SPDX-License-Identifier: MIT
// Starting a guest process, cpd's side: a fresh segment, its doorbells and
// the order the spawn helper (spawner/) forks the child from; spawn_guest
// forks it in this process instead (tests). Never waits for the guest
// program. Knows nothing of the guest table; the Supervisor decides when to
// call it.
#pragma once

#include "isolation/sandbox.hpp"
#include "spawner/guest_launch.hpp"
#include "spawner/spawn_wire.hpp"

#include "cpd/ipc/doorbell.hpp"
#include "cpd/ipc/segment.hpp"
#include "cpd/ipc/unique_fd.hpp"
#include "cpd/proto/userid.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

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
    /// One socket pair for both directions instead of two eventfds: one
    /// descriptor in cpd instead of two, for a wake-up about 2 µs dearer.
    bool one_descriptor_bell = false;
};

/// What cpd keeps of a guest it asks the spawn helper for, and the order to
/// send with the descriptors SpawnOrder names (the segment's memfd and the
/// sandbox's Landlock and cgroup descriptors go to the helper and close in cpd).
struct PreparedSpawn {
    ipc::Segment segment;        ///< mapped; its memfd still open
    ipc::Doorbell inbound_bell;  ///< empty with one_descriptor_bell
    ipc::Doorbell outbound_bell; ///< cpd waits on this very descriptor (paired: rings it too)
    ipc::Doorbell guest_end;     ///< one_descriptor_bell: the guest's end, fds 4 and 5 in the guest
    SpawnOrder order;            ///< its tag is the caller's to set
};

/// The descriptors to send with `p`'s order, owned by the order until it is
/// sent: copies of the memfd (whose own copy closes here) and of both bells
/// (or the guest's pair end itself and one copy of it, for fds 4 and 5),
/// and the sandbox's Landlock ruleset and cgroup.procs files, moved out of
/// `sandbox`. Empty, with errno set, if a copy could not be made.
std::vector<ipc::UniqueFd> take_order_descriptors(PreparedSpawn& p, SandboxPlan* sandbox);

/// prepare_spawn's result: a prepared spawn, or why not.
struct PrepareResult {
    std::optional<PreparedSpawn> spawn;
    std::string error;
    int error_number = 0; ///< errno of the failed step (EMFILE: cpd is out of descriptors)
};

/// Checks the program is executable and creates the segment and bells.
/// `request.sandbox` must outlive the sending of the order (its descriptors).
PrepareResult prepare_spawn(const SpawnRequest& request);

/// A guest process started in this process (spawn_guest) and its resources.
struct Spawned {
    pid_t pid = -1;
    ipc::UniqueFd pidfd;            ///< may be empty on kernels without pidfd_open
    ipc::Segment segment;           ///< mapped; its memfd is closed (the guest holds it)
    ipc::Doorbell inbound_bell;     ///< empty with one_descriptor_bell
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

/// Descriptors cpd holds for each guest once it is logged on: its two bells
/// (one with one_descriptor_bell). The spawn helper holds its output pipe
/// and is its parent (no pidfd).
inline constexpr int descriptors_per_guest = 2;
/// More descriptors a logon holds until its order is sent to the helper: at
/// most the memfd, its copy, copies of both bells, the Landlock ruleset and
/// two cgroup.procs files.
inline constexpr int descriptors_per_logon = 7;
/// Logons cpd lets wait for the spawn helper's socket before it refuses more
/// (each holding descriptors_per_logon until its order is sent): the helper
/// takes orders as they come (and keeps those it cannot start yet itself),
/// so only a helper that has stopped reading lets them pile up in cpd.
inline constexpr std::size_t max_spawns_waiting = 128;

/// Prepares like prepare_spawn and forks the child in this process (which
/// becomes its parent), for tests of the child's set-up. A failure before
/// fork (EMFILE included) starts no process; a failure in the child is
/// reported on `exec_report`, after which the child exits.
SpawnResult spawn_guest(const SpawnRequest& request);

/// What a child's report pipe says so far, in words.
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

} // namespace cpd::daemon
