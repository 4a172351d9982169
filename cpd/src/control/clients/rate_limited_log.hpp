// SPDX-License-Identifier: MIT
// RateLimitedLog: lets at most a burst of lines through per time window and
// counts the rest, so a flood of refused or dropped clients cannot fill the
// journal. The count of lines held back is reported once the window ends.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>

namespace cpd::daemon {

/// A token bucket of log lines, refilled once per window.
class RateLimitedLog {
  public:
    using Clock = std::chrono::steady_clock;

    /// At most `burst` lines per `window`.
    RateLimitedLog(std::size_t burst, Clock::duration window) noexcept
        : burst_(burst), window_(window) {}

    /// True if a line may be logged now; false means it was counted instead.
    bool allow(Clock::time_point now) noexcept;
    /// Lines held back in windows that have ended, and forgets them; 0 if
    /// the current window is still open (call it from a periodic timer).
    std::uint64_t take_suppressed(Clock::time_point now) noexcept;

  private:
    void roll(Clock::time_point now) noexcept;

    std::size_t burst_;
    Clock::duration window_;
    Clock::time_point window_start_{};
    std::size_t used_ = 0;
    std::uint64_t suppressed_ = 0;       ///< in the current window
    std::uint64_t suppressed_ended_ = 0; ///< in windows that have ended, not yet reported
};

} // namespace cpd::daemon
