// SPDX-License-Identifier: MIT
// Presence: what a spinning consumer can tell about the producer it waits
// for. Each process that looks at its rings stamps the rings it produces with
// the CPU it runs on and a count of its looks (RingWriter::mark_present); the
// consumer reads them back (RingReader::producer_presence). A count that moved
// means the peer ran meanwhile, and its CPU says where. The spin loops use it
// twice: a peer seen running on another CPU needs no yield from us (the yield
// cannot help it, and costs a system call a round; a peer not seen running
// may be waiting for our CPU, so then we yield); and a yield that took the
// CPU away for long counts as contention (SpinPolicy) only if no peer ran on
// our CPU meanwhile: three spinners on two CPUs hand one CPU back and forth,
// which is the spin working, not a stranger's turn.
// The fields are written by the peer, a guest that may be hostile: they only
// steer a spin that its time limit bounds anyway, never what is routed.
#pragma once

#include <cstdint>

namespace cpd::ipc {

/// A peer's presence stamp as last read: its CPU + 1 (0: not known) and its looks.
struct Presence {
    std::uint32_t cpu = 0;
    std::uint64_t looks = 0;
};

/// The CPU this thread runs on, + 1 (0 if the kernel does not say).
std::uint32_t this_cpu() noexcept;

/// True if the peer looked at its rings between `before` and `after`, on CPU `cpu` (+ 1).
constexpr bool ran_on(const Presence& before, const Presence& after, std::uint32_t cpu) noexcept {
    return cpu != 0 && after.looks != before.looks && after.cpu == cpu;
}

/// True if the peer looked at its rings between `before` and `after` on
/// another CPU than `cpu` (+ 1): it runs there, and a yield here cannot help
/// it. Anything else (not known, not run since, on this CPU) may need our CPU.
constexpr bool runs_elsewhere(const Presence& before, const Presence& after,
                              std::uint32_t cpu) noexcept {
    return cpu != 0 && after.cpu != 0 && after.looks != before.looks && after.cpu != cpu;
}

} // namespace cpd::ipc
