// SPDX-License-Identifier: MIT
// The baseline bench_smsg compares cpd with: three forked processes, sender ->
// hub -> receiver, over Unix stream sockets. The hub does cpd's framing work
// (read frames, look the target up by its 8-byte userid, stamp the sender,
// write on; drop and count when the target's 1 MiB output backlog is full).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace cpd::bench {

/// What one throughput run measured (cpd runs fill the same fields).
struct FlowResult {
    std::uint64_t sent = 0;       ///< messages the sender queued
    std::uint64_t busy = 0;       ///< times the sender found its own queue full
    std::uint64_t received = 0;   ///< messages the receiver got
    std::uint64_t last_count = 0; ///< received count at last_ns
    std::uint64_t first_ns = 0;   ///< receiver clock at its first message
    std::uint64_t last_ns = 0;    ///< receiver clock at message last_count
    std::uint64_t wakeups = 0;    ///< voluntary context switches of all three processes
    std::uint64_t cpu_ns = 0;     ///< CPU time (user + system) of all three processes
    /// Delivered messages per second, measured at the receiver.
    double rate() const noexcept {
        return last_ns > first_ns
                   ? static_cast<double>(last_count - 1) * 1e9 / static_cast<double>(last_ns - first_ns)
                   : 0.0;
    }
    /// Messages dropped on the way.
    std::uint64_t dropped() const noexcept { return sent > received ? sent - received : 0; }
};

/// A ping-pong run: round trips in ns and the three processes' wake-ups.
struct PingResult {
    std::vector<std::uint64_t> rtt_ns;
    std::uint64_t wakeups = 0;
    std::uint64_t cpu_ns = 0;
};

/// Streams `size`-byte messages for `seconds`; window 0 floods, else at most
/// `window` unacknowledged (the receiver credits every window/2). `batched`:
/// writes coalesced up to 64 KiB instead of one write per message.
FlowResult hub_flow(std::size_t size, double seconds, std::uint64_t window, bool batched = false);

/// `count` ping-pongs of `size` bytes, `pause_us` between them (0: back to back).
PingResult hub_ping(std::size_t size, int count, int pause_us);

/// Voluntary + involuntary context switch counts of a process ("voluntary" only
/// when `voluntary_only`), from /proc/<pid>/status; 0 if unreadable.
std::uint64_t context_switches(int pid, bool voluntary_only = true);

/// CPU time (user + system) a process has used, in ns, from /proc/<pid>/stat.
std::uint64_t cpu_time_ns(int pid);

/// Monotonic clock in ns (CLOCK_MONOTONIC, like the guests' steady_clock).
std::uint64_t mono_ns() noexcept;

} // namespace cpd::bench
