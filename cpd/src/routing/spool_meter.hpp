// SPDX-License-Identifier: MIT
// SpoolMeter: how many bytes of punch and printer data cpd writes to disk for
// one guest in one turn of the routing loop. A guest that punches a large
// file fills its ring faster than the disk takes it; without a bound one
// drain batch wrote megabytes while every other guest waited. Past the bound
// the rest stays on the guest's ring (its spool_write sees busy: nothing is
// lost) and the guest goes to the back of the round. Logged, at most once per
// guest every log_interval, as any other throttle.
#pragma once

#include "cpd/proto/userid.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>

namespace cpd::daemon {

/// Meters guests' spool writes per turn. Thread/process: cpd's one thread.
class SpoolMeter {
  public:
    using Clock = std::chrono::steady_clock;
    /// Spool bytes one guest may have written in a turn before the next write
    /// waits for its next turn: a few 64 KiB chunks, about a millisecond of disk.
    static constexpr std::size_t default_turn_bytes = 256 * 1024;

    explicit SpoolMeter(std::size_t turn_bytes = default_turn_bytes,
                        std::chrono::milliseconds log_interval = std::chrono::seconds(10)) noexcept
        : turn_bytes_(turn_bytes), log_interval_(log_interval) {}

    /// Whether a spool frame of `bytes` may be written now by a guest that has
    /// written `written` bytes this turn (the first one always goes); a refusal
    /// is counted and, at most once per log_interval per guest, logged.
    bool admit(const proto::Userid& userid, std::size_t written, std::size_t bytes,
               Clock::time_point now);
    /// Forgets a guest that logged off.
    void forget(const proto::Userid& userid) { guests_.erase(userid); }
    /// Turns cut short by the bound, all guests together.
    std::uint64_t deferred() const noexcept { return deferred_; }

  private:
    struct PerGuest {
        Clock::time_point last_log{};
        bool logged = false;
        std::uint64_t deferred = 0;        ///< turns cut short in all
        std::uint64_t deferred_at_log = 0; ///< `deferred` at the last log line
    };
    std::size_t turn_bytes_;
    std::chrono::milliseconds log_interval_;
    std::uint64_t deferred_ = 0;
    std::map<proto::Userid, PerGuest> guests_;
};

} // namespace cpd::daemon
