// SPDX-License-Identifier: MIT
// GuestBacklog: the encoded frames CP owes one guest that found its inbound
// ring full, in the order they were owed, with their total size. It collapses
// notifications that cancel each other (IucvQuiesced then IucvResumed on the
// same path, or the reverse, while both still wait) and says when a bound is
// exceeded. Pure: no rings, no I/O, no logging; Delivery acts on what it says.
#pragma once

#include "cpd/proto/ring_frame.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <vector>

namespace cpd::daemon {

/// One encoded frame waiting for ring space.
struct PendingFrame {
    std::uint32_t type = 0;
    std::vector<std::byte> payload;
};

/// The bounds of one guest's backlog.
struct BacklogBounds {
    std::size_t frames = 4096;    ///< frames waiting at most
    std::size_t bytes = 1u << 20; ///< payload bytes waiting at most
};

/// Frames owed to one guest, oldest first.
class GuestBacklog {
  public:
    /// What add() did with a frame.
    enum class Added { queued, collapsed };
    /// Which bound a backlog exceeds, if any.
    enum class Excess { none, frames, bytes };

    /// Appends `frame`, or removes the waiting notification it cancels and keeps neither.
    Added add(const proto::CpdFrame& frame, std::chrono::steady_clock::time_point now);
    /// The oldest frame; only when !empty().
    const PendingFrame& front() const noexcept { return frames_.front(); }
    /// Removes the oldest frame (it was pushed).
    void pop_front() noexcept;
    bool empty() const noexcept { return frames_.empty(); }
    std::size_t frames() const noexcept { return frames_.size(); }
    std::size_t bytes() const noexcept { return bytes_; }
    /// When the oldest waiting frame was owed.
    std::chrono::steady_clock::time_point since() const noexcept { return since_; }
    /// The bound this backlog exceeds now (frames checked first).
    Excess excess(const BacklogBounds& bounds) const noexcept;

  private:
    /// For IucvQuiesced/IucvResumed: the waiting opposite on the same path, or end().
    std::deque<PendingFrame>::iterator find_opposite(const proto::CpdFrame& frame);

    std::deque<PendingFrame> frames_;
    std::size_t bytes_ = 0;
    std::chrono::steady_clock::time_point since_{};
};

/// "frames" or "bytes".
const char* to_string(GuestBacklog::Excess e) noexcept;

} // namespace cpd::daemon
