// SPDX-License-Identifier: MIT
// RestartWindow: the Erlang/OTP supervisor limit for one guest. It remembers
// the restarts within the policy's window and says whether one more is
// allowed and after what backoff. Pure: the caller passes the time, so tests
// need no clock and no processes.
#pragma once

#include "config/directory/directory.hpp"

#include <chrono>
#include <cstdint>
#include <deque>

namespace cpd::daemon {

/// What the policy says about one more restart.
struct RestartDecision {
    bool restart = false;              ///< false: give up
    std::chrono::milliseconds delay{}; ///< wait this long first
    std::uint32_t recent = 0;          ///< restarts within the window before this one
};

/// The restarts of one guest that still count against its limit.
class RestartWindow {
  public:
    using Clock = std::chrono::steady_clock;

    /// Forgets restarts older than the window, then decides: restart while
    /// fewer than `limit` remain, after `backoff` doubled once per remaining
    /// restart (at most `max_backoff`); give up otherwise.
    RestartDecision decide(const RestartPolicy& policy, Clock::time_point now);
    /// Counts a restart made at `now`.
    void note_restart(Clock::time_point now);
    /// Forgets every restart (a user logged the guest on again).
    void clear() noexcept { restarts_.clear(); }

  private:
    std::deque<Clock::time_point> restarts_; ///< oldest first; at most the limit (<= 1000)
};

} // namespace cpd::daemon
