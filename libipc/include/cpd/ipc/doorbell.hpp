// SPDX-License-Identifier: MIT
// Doorbell: a pollable wake-up for one ring direction. The producer rings it
// only when the consumer has announced it is about to sleep (see
// RingWriter::wake_if_sleeping); the consumer waits on fd() with poll or a
// Boost.Asio descriptor and calls drain() after waking.
// Two kinds, one interface:
// - an eventfd per direction (create): the fastest wake-up, two descriptors
//   per guest in cpd;
// - one end of a socket pair (create_pair), used for both directions: each
//   side rings through its own end and waits on it, so cpd holds one
//   descriptor per guest. A wake-up costs about 2 µs more than an eventfd's
//   (a cross-CPU ping-pong with the latency hold: 9.6 against 5.9 µs), so
//   cpd uses it only when its descriptor limit cannot hold two per guest.
#pragma once

#include "cpd/ipc/unique_fd.hpp"
#include "cpd/proto/result.hpp"

#include <cstdint>
#include <system_error>

namespace cpd::ipc {

/// A wake-up signal between two processes: an eventfd, or one end of a
/// socket pair.
class Doorbell {
public:
    /// Creates a fresh non-blocking eventfd (close-on-exec).
    static Doorbell create(std::error_code& ec) noexcept;
    /// Creates a connected pair of non-blocking ends (close-on-exec): what
    /// one rings, the other wakes on, in both directions. Both send buffers
    /// are the smallest the kernel allows: one unread byte is a wake-up, and
    /// a peer that never reads pins no more kernel memory than that.
    static bool create_pair(Doorbell& one, Doorbell& other, std::error_code& ec) noexcept;
    /// Adopts an inherited descriptor (a guest's bell from cpd), of either kind.
    static Doorbell adopt(int fd) noexcept;

    Doorbell() = default;

    /// Wakes the waiter (an eventfd: adds 1; a pair end: one byte to the
    /// other end). Hot path: one syscall, noexcept; a full pair end is
    /// already readable, and a closed one has nobody to wake.
    void ring() const noexcept;
    /// Clears pending rings (non-blocking); returns how many were pending
    /// (a pair end: the bytes read, at most a bounded number per call, so a
    /// peer that rings without end costs one bounded call per wake-up), or
    /// peer_closed for a pair end whose peer has closed its end: it stays
    /// readable for good and can never ring again, so stop waiting on it.
    std::uint64_t drain() const noexcept;
    /// What drain() returns once a pair end's peer is gone.
    static constexpr std::uint64_t peer_closed = ~std::uint64_t{0};
    /// Blocks in poll() until rung or `timeout_ms` passes (-1: forever); true if rung.
    bool wait(int timeout_ms) const noexcept;
    /// The descriptor to poll for readability.
    int fd() const noexcept { return fd_.get(); }
    /// True when a descriptor is held.
    bool valid() const noexcept { return static_cast<bool>(fd_); }
    /// Gives up the descriptor.
    int release() noexcept { return fd_.release(); }
    /// True for one end of a socket pair (rings and wakes both ways).
    bool is_pair_end() const noexcept { return pair_end_; }

private:
    Doorbell(UniqueFd fd, bool pair_end) noexcept : fd_(std::move(fd)), pair_end_(pair_end) {}
    UniqueFd fd_;
    bool pair_end_ = false;
};

} // namespace cpd::ipc
