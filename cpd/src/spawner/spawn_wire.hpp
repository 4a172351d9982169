// SPDX-License-Identifier: MIT
// The contract between cpd and its spawn helper (spawner/spawn_helper.hpp):
// one message per SOCK_SEQPACKET datagram, packed and unpacked here only.
// cpd sends Spawn (with the guest's descriptors as SCM_RIGHTS) and Kill; the
// helper answers Started, ExecHeard, OutputLine and Exited, each naming the
// guest by the tag cpd gave its Spawn. Every unpack is bounded and checked:
// a truncated or malformed datagram is refused, never trusted.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include <linux/filter.h>

namespace cpd::daemon {

/// The largest datagram either side sends or accepts.
inline constexpr std::size_t spawn_wire_max_bytes = 64 * 1024;
/// The most descriptors one Spawn carries: segment, two bells, Landlock, two cgroups.
inline constexpr std::size_t spawn_wire_max_fds = 6;

/// cpd -> helper: start a guest. Descriptors, in this order: the segment's
/// memfd, the inbound bell, the outbound bell, then the Landlock ruleset if
/// `has_landlock`, then `cgroup_count` cgroup.procs files.
struct SpawnOrder {
    std::uint64_t tag = 0;
    std::string userid;            ///< names its output lines
    std::string program;           ///< path for execve
    std::vector<std::string> argv; ///< argv[0] first
    std::vector<std::string> envp; ///< the clean environment, "NAME=value"
    bool has_sandbox = false;      ///< false: no plan (tests); the fields below are unused
    bool has_credentials = false;
    std::uint32_t uid = 0, gid = 0, sweeper = 0;
    std::uint64_t data_limit = 0, process_limit = 0, open_files = 1024;
    std::vector<sock_filter> seccomp; ///< empty: no filter
    bool has_landlock = false;
    std::uint8_t cgroup_count = 0;
    /// The first cgroup holds every process of the uid (SandboxPlan::cgroups_confine_uid).
    bool cgroups_confine_uid = false;
    /// How many descriptors come with it.
    std::size_t fd_count() const noexcept { return 3 + (has_landlock ? 1 : 0) + cgroup_count; }
};

/// cpd -> helper: send `signal` to the guest of `tag`, if it still runs.
struct KillOrder {
    std::uint64_t tag = 0;
    std::int32_t signal = 0;
};

/// helper -> cpd: the guest of `tag` is forked (pid > 0) or could not be
/// (pid -1, `error` and `error_number` say why).
struct Started {
    std::uint64_t tag = 0;
    std::int32_t pid = -1;
    std::int32_t error_number = 0;
    std::string error;
};

/// helper -> cpd: its child exec'd (`step` 0) or a step before exec failed
/// (`step` is that step's exit status, spawner/guest_launch.hpp).
struct ExecHeard {
    std::uint64_t tag = 0;
    std::int32_t step = 0;
    std::int32_t error_number = 0;
};

/// helper -> cpd: one finished line of the guest's stdout or stderr, already
/// tagged "guest USERID: " and made safe to log.
struct OutputLine {
    std::uint64_t tag = 0;
    std::string line;
};

/// helper -> cpd: the helper reaped the guest; `wait_status` as waitpid gave it.
struct Exited {
    std::uint64_t tag = 0;
    std::int32_t wait_status = 0;
};

using ToHelper = std::variant<SpawnOrder, KillOrder>;
using FromHelper = std::variant<Started, ExecHeard, OutputLine, Exited>;

std::vector<std::uint8_t> pack(const ToHelper& message);
std::vector<std::uint8_t> pack(const FromHelper& message);
/// nullopt: truncated, malformed or of an unknown kind.
std::optional<ToHelper> unpack_to_helper(std::span<const std::uint8_t> bytes);
std::optional<FromHelper> unpack_from_helper(std::span<const std::uint8_t> bytes);

} // namespace cpd::daemon
