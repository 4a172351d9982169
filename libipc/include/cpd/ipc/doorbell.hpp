// SPDX-License-Identifier: MIT
// Doorbell: a pollable wake-up (an eventfd) for one ring direction. The
// producer rings it only when the consumer has announced it is about to
// sleep (see RingWriter::wake_if_sleeping); the consumer waits on fd() with
// poll or a Boost.Asio descriptor and calls drain() after waking.
#pragma once

#include "cpd/ipc/unique_fd.hpp"
#include "cpd/proto/result.hpp"

#include <system_error>

namespace cpd::ipc {

/// One eventfd used as a wake-up signal between two processes.
class Doorbell {
public:
    /// Creates a fresh non-blocking eventfd (close-on-exec).
    static Doorbell create(std::error_code& ec) noexcept;
    /// Adopts an inherited descriptor (a guest's bell from cpd).
    static Doorbell adopt(int fd) noexcept;

    Doorbell() = default;

    /// Wakes the waiter (write 1). Hot path: one syscall, noexcept.
    void ring() const noexcept;
    /// Clears pending rings (non-blocking read); returns how many were pending.
    std::uint64_t drain() const noexcept;
    /// Blocks in poll() until rung or `timeout_ms` passes (-1: forever); true if rung.
    bool wait(int timeout_ms) const noexcept;
    /// The descriptor to poll for readability.
    int fd() const noexcept { return fd_.get(); }
    /// True when a descriptor is held.
    bool valid() const noexcept { return static_cast<bool>(fd_); }
    /// Gives up the descriptor.
    int release() noexcept { return fd_.release(); }

private:
    explicit Doorbell(UniqueFd fd) noexcept : fd_(std::move(fd)) {}
    UniqueFd fd_;
};

} // namespace cpd::ipc
