// SPDX-License-Identifier: MIT
// The log-line bucket: one counter per window; suppressed lines carry over
// into a total that the owner's timer reports as one summary line.
#include "control/clients/rate_limited_log.hpp"

namespace cpd::daemon {

/// Starts a new window if the current one has ended.
void RateLimitedLog::roll(Clock::time_point now) noexcept {
    if (now - window_start_ < window_) {
        return;
    }
    window_start_ = now;
    used_ = 0;
    suppressed_ended_ += suppressed_;
    suppressed_ = 0;
}

bool RateLimitedLog::allow(Clock::time_point now) noexcept {
    roll(now);
    if (used_ < burst_) {
        ++used_;
        return true;
    }
    ++suppressed_;
    return false;
}

std::uint64_t RateLimitedLog::take_suppressed(Clock::time_point now) noexcept {
    roll(now);
    const std::uint64_t n = suppressed_ended_;
    suppressed_ended_ = 0;
    return n;
}

} // namespace cpd::daemon
