// SPDX-License-Identifier: MIT
// ClientBudget: what all control-socket clients share: the limits, the count
// of open sessions (in all and per host uid) that admission checks against,
// and the rate-limited log every refusal and drop goes through. Sessions hold
// it by shared_ptr, so it outlives the last of them whatever the teardown order.
#pragma once

#include "control/clients/client_limits.hpp"
#include "control/clients/rate_limited_log.hpp"

#include <cstddef>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include <sys/types.h>

namespace cpd::daemon {

class ControlSession;

/// Shared state of the client budget (see the file comment).
class ClientBudget : public std::enable_shared_from_this<ClientBudget> {
  public:
    explicit ClientBudget(ClientLimits limits = {});

    /// The limits in force.
    const ClientLimits& limits() const noexcept { return limits_; }
    /// New limits (a reload): caps and timeouts apply at once, the output
    /// bound to sessions opened afterwards.
    void set_limits(const ClientLimits& limits) noexcept { limits_ = limits; }

    /// Why `uid` may not open another session ("" if it may).
    std::string refusal(uid_t uid) const;
    /// Counts a session of `uid` as open.
    void admit(uid_t uid);
    /// Counts it as closed again.
    void release(uid_t uid) noexcept;
    /// Sessions open, in all and of one uid.
    std::size_t clients() const noexcept { return total_; }
    std::size_t clients_of(uid_t uid) const noexcept;

    /// Logs a refusal or drop (warn) unless too many were logged lately.
    void log(std::string_view line);
    /// Logs how many lines the rate limit held back since the last call
    /// (from the server's periodic sweep).
    void log_suppressed();

    /// Closes the socket of an ended session soon, a few per loop turn:
    /// closing frees the socket's queues, and hundreds at once (a sweep, a
    /// broadcast past every observer's bound) would stall the loop.
    void close_later(std::shared_ptr<ControlSession> session);
    /// Closes every socket still queued, now (shutdown).
    void close_pending() noexcept;

  private:
    void close_some();

    ClientLimits limits_;
    std::deque<std::shared_ptr<ControlSession>> closing_;
    bool closing_posted_ = false;
    std::size_t total_ = 0;
    std::unordered_map<uid_t, std::size_t> per_uid_;
    RateLimitedLog log_;
};

} // namespace cpd::daemon
