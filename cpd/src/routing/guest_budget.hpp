// SPDX-License-Identifier: MIT
// GuestBudget: how much of cpd's one thread a guest may take for the work it
// can cause at will: CP commands, doorbell wake-ups that find nothing on its
// ring, and console lines. Each kind is a token bucket (kept as GCRA: one
// "theoretical arrival time" per kind, no refill arithmetic), with the same
// rate and burst for every guest, so the bound is fair by construction.
// The budget never drops anything: a refused spend tells the router to leave
// the frame on the ring (or the doorbell unwatched) until ready_at(), so a
// throttled guest's frames are handled later and its ring fills, which is the
// back-pressure its own sends see as "busy". Deterministic: the caller passes
// the time, so tests inject a clock.
#pragma once

#include "cpd/proto/userid.hpp"

#include <array>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace cpd::daemon {

/// What a guest spends from its budget.
enum class BudgetKind : std::uint8_t {
    cp_command,   ///< a CpCommand frame (QUERY STATS and the like)
    empty_wakeup, ///< its outbound doorbell woke cpd and its ring was empty
    console_line, ///< a ConsoleOutput frame
};
inline constexpr std::size_t budget_kind_count = 3;

/// A readable name for log lines ("CP commands", ...).
std::string_view describe(BudgetKind kind) noexcept;

/// A sustained rate and the burst allowed on top of it; per_second 0 = unlimited.
struct BudgetRate {
    std::uint32_t per_second = 0;
    std::uint32_t burst = 1;
};

/// The limits every guest gets. The defaults are far above what a CMS user,
/// a chatty IUCV pair or a program writing its console causes, and far below
/// what takes a noticeable share of cpd's thread (a QUERY STATS costs tens of
/// microseconds; an empty wake-up an epoll round and a spin).
struct BudgetLimits {
    BudgetRate cp_command{500, 100};
    BudgetRate empty_wakeup{1000, 200};
    BudgetRate console_line{20000, 4000}; // TYPE of a large file stays quick
    /// At most one throttle log line per guest and kind this often.
    std::chrono::milliseconds log_interval{10'000};

    const BudgetRate& of(BudgetKind kind) const noexcept;
};

/// What a guest's budget did, per kind (QUERY STATS material).
struct BudgetCounters {
    std::uint64_t spent = 0;    ///< units allowed
    std::uint64_t deferred = 0; ///< units that had to wait (each counted once)
};

/// The answer to one spend().
struct BudgetVerdict {
    bool go = true;   ///< do the work now; otherwise leave it until ready_at()
    bool log = false; ///< a deferral is due a log line (see throttle_text)
};

class GuestBudget {
  public:
    using Clock = std::chrono::steady_clock;

    explicit GuestBudget(const BudgetLimits& limits = {}) noexcept : limits_(limits) {}

    /// Takes one unit of `kind` at `now`, or refuses. Asking again for the same
    /// waiting unit is not counted as another deferral.
    BudgetVerdict spend(BudgetKind kind, Clock::time_point now) noexcept;
    /// The earliest time spend(kind) succeeds (in the past if it would now).
    Clock::time_point ready_at(BudgetKind kind) const noexcept;
    /// True while a unit of `kind` waits.
    bool is_throttled(BudgetKind kind) const noexcept { return lane(kind).waiting; }
    const BudgetCounters& counters(BudgetKind kind) const noexcept { return lane(kind).counters; }
    /// For the log line a spend() asked for: units deferred since the line
    /// before it, this one included (those in between were not logged).
    std::uint64_t deferred_for_log(BudgetKind kind) const noexcept {
        return lane(kind).deferred_for_log;
    }
    const BudgetLimits& limits() const noexcept { return limits_; }

  private:
    struct Lane {
        Clock::time_point tat{};            ///< GCRA theoretical arrival time
        Clock::time_point last_log{};       ///< when a throttle line was last due
        bool logged = false;                ///< any line yet
        bool waiting = false;               ///< a unit was refused and not yet spent
        std::uint64_t deferred_at_log = 0;  ///< counters.deferred when a line was last due
        std::uint64_t deferred_for_log = 0; ///< what that line reports
        BudgetCounters counters;
    };
    Lane& lane(BudgetKind k) noexcept { return lanes_[static_cast<std::size_t>(k)]; }
    const Lane& lane(BudgetKind k) const noexcept { return lanes_[static_cast<std::size_t>(k)]; }
    bool log_due(Lane& l, Clock::time_point now) const noexcept;

    BudgetLimits limits_;
    std::array<Lane, budget_kind_count> lanes_{};
};

/// The log line of a throttle, e.g. "router: SPAM: throttled: CP commands over
/// 500/s (burst 100); its frames wait on its ring (1 deferred since the last
/// line, 7 in all, 2300 allowed)". Call just after a spend() said log.
std::string throttle_text(const proto::Userid& userid, const GuestBudget& budget, BudgetKind kind);

/// Logs throttle_text at warn level.
void log_throttle(const proto::Userid& userid, const GuestBudget& budget, BudgetKind kind);

} // namespace cpd::daemon
