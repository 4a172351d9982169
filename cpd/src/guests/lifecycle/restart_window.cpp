// SPDX-License-Identifier: MIT
// The restart limit and the backoff. The doubling stops at max_backoff
// before it could overflow: a limit of 1000 restarts would otherwise shift
// far past 64 bits.
#include "guests/lifecycle/restart_window.hpp"

#include <algorithm>

namespace cpd::daemon {

RestartDecision RestartWindow::decide(const RestartPolicy& policy, Clock::time_point now) {
    while (!restarts_.empty() && now - restarts_.front() >= policy.window) {
        restarts_.pop_front();
    }
    RestartDecision d;
    d.recent = static_cast<std::uint32_t>(restarts_.size());
    if (d.recent >= policy.limit) {
        return d;
    }
    d.restart = true;
    d.delay = policy.backoff;
    for (std::uint32_t i = 0; i < d.recent && d.delay < policy.max_backoff; ++i) {
        d.delay *= 2;
    }
    d.delay = std::min(d.delay, policy.max_backoff);
    return d;
}

void RestartWindow::note_restart(Clock::time_point now) {
    restarts_.push_back(now);
    if (restarts_.size() > 1000) { // the largest LIMIT; a reload may have lowered it
        restarts_.pop_front();
    }
}

} // namespace cpd::daemon
