// SPDX-License-Identifier: MIT
// Poller: decides when each guest's outbound ring is looked at. A guest's
// doorbell puts it in the ready queue; a round gives every ready guest one
// batch (FrameDrainer), re-posting itself while work remains so sockets and
// timers get their turn. Before sleeping, cpd spins briefly over the guests
// that were recently active (and only those: an idle guest costs the loop
// nothing), then arms each ring's sleep flag and doorbell. Never blocks.
#pragma once

#include "guests/guest.hpp"
#include "routing/round_parts.hpp"
#include "cpd/ipc/spin_budget.hpp"
#include "cpd/ipc/spin_presence.hpp"

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <vector>

#include <boost/asio/io_context.hpp>

namespace cpd::daemon {

/// The Poller's counters.
struct PollerTotals {
    std::uint64_t wakeups = 0;   ///< doorbell wake-ups
    std::uint64_t spins_won = 0; ///< rings that got data during the pre-sleep spin
    std::uint64_t rounds = 0;    ///< routing rounds run
};

/// Readiness, spin and sleep of guests' outbound rings. Thread/process: cpd's one thread only.
class Poller {
  public:
    /// Longest spin, across the active rings, before arming the doorbells.
    static constexpr std::chrono::nanoseconds spin_time{60'000};
    /// How recently a guest must have written to be spun over.
    static constexpr std::chrono::milliseconds active_window{10};
    /// Most guests spun over (the most recently active are kept).
    static constexpr std::size_t active_max = 32;

    /// Drains through `drainer` and brackets each round with `rounds`; both must outlive it.
    Poller(boost::asio::io_context& io, FrameDrainer& drainer, RoundObserver& rounds);

    /// Starts watching a newly logged-on guest (it may have written already).
    void attach(const std::shared_ptr<Guest>& guest);
    /// Stops watching a guest that is gone.
    void detach(Guest& guest);

    /// Guests the pre-sleep spin watches now (for tests and QUERY STATS).
    std::size_t active_guests() const noexcept { return active_.size(); }
    const PollerTotals& totals() const noexcept { return totals_; }

  private:
    struct Active {
        std::shared_ptr<Guest> guest;
        std::chrono::steady_clock::time_point last; ///< when it last had frames
        ipc::Presence seen{}; ///< its presence stamp at the spin's last look
    };
    void arm(const std::shared_ptr<Guest>& guest);
    void enqueue(const std::shared_ptr<Guest>& guest);
    void schedule_pump();
    void pump_now();
    void pump();
    void note_active(const std::shared_ptr<Guest>& guest,
                     std::chrono::steady_clock::time_point now);
    void forget_inactive(std::chrono::steady_clock::time_point now);
    void spin_over_active();
    void stamp_active(std::uint32_t cpu) noexcept;
    bool look_at_presence(std::uint32_t cpu, bool& yield) noexcept;
    void spin_then_sleep(std::vector<std::shared_ptr<Guest>>& idle);
    /// Looks at a throttled guest again when its budget allows.
    void defer(const std::shared_ptr<Guest>& guest);

    boost::asio::io_context& io_;
    FrameDrainer& drainer_;
    RoundObserver& rounds_;
    std::deque<std::shared_ptr<Guest>> ready_;
    std::vector<Active> active_;
    PollerTotals totals_;
    /// No spin for a while after one gave the CPU away.
    ipc::SpinPolicy spin_policy_{static_cast<std::uint64_t>(spin_time.count())};
    bool pump_scheduled_ = false;
    bool in_pump_ = false;
};

} // namespace cpd::daemon
