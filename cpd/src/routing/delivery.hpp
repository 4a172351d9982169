// SPDX-License-Identifier: MIT
// Delivery: the one place cpd pushes frames onto guests' inbound rings. Two
// paths: offer() for traffic whose sender is told of a refusal (SMSGs, IUCV
// messages, console input), and owe() for what CP must never lose (CP
// responses and messages, IUCV completions and state notifications, device
// changes), which waits in a bounded per-guest backlog while the ring is full.
// It batches publishing and wake-ups per routing round, and forces off a guest
// whose ring is corrupt or whose backlog overflows. Never blocks.
#pragma once

#include "service/cpu_latency_hold.hpp"
#include "guests/guest.hpp"
#include "routing/guest_backlog.hpp"
#include "routing/guest_control.hpp"
#include "routing/round_parts.hpp"

#include "cpd/ipc/ring_frames.hpp"
#include "cpd/proto/ring_frame.hpp"

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

namespace cpd::daemon {

/// Delivery's counters, for QUERY STATS and the shutdown log.
struct DeliveryTotals {
    std::uint64_t backlogged = 0;        ///< owed frames that had to wait in a backlog
    std::uint64_t collapsed = 0;         ///< owed notifications cancelled by their opposite
    std::uint64_t responses_cut = 0;     ///< CP responses cut to fit a ring
    std::uint64_t backlog_overflows = 0; ///< guests forced off for not draining their backlog
    std::uint64_t corrupt_rings = 0;     ///< guests forced off for a corrupt inbound ring
    std::uint64_t never_fit = 0;         ///< owed frames no ring could carry (logged, dropped)
};

/// Pushes to guests' inbound rings. Thread/process: cpd's one thread only.
class Delivery final : public RoundObserver {
  public:
    /// How often backlogs are retried while any is non-empty.
    static constexpr std::chrono::microseconds retry_interval{500};

    /// Forces guests off through `control`; both must outlive it.
    Delivery(boost::asio::io_context& io, const GuestTable& guests, GuestControl& control,
             BacklogBounds bounds = {});

    /// Tells `hold` (or nobody, with nullptr) whenever guests are sent something. Not owned.
    void set_latency_hold(CpuLatencyHold* hold) noexcept { hold_ = hold; }

    /// Pushes a frame its sender may lose: ok, full (also while the guest has a
    /// backlog, so nothing overtakes what CP owes it), too_big, or corrupt (the
    /// guest is being forced off).
    template <class Frame> ipc::RingStatus offer(Guest& guest, const Frame& frame) noexcept {
        if (!backlogs_.empty() && backlogs_.contains(guest.userid) && !flush_backlog(guest)) {
            return ipc::RingStatus::full;
        }
        guest.inbound.set_deferred_publish(in_round_);
        return settle(guest, ipc::push_frame(guest.inbound, frame));
    }
    /// Pushes a frame CP owes the guest, after whatever it owes already; on a full
    /// ring it waits in the guest's backlog. A CpResponse too large for the ring is
    /// cut to fit and marked. False only if the guest is gone (nothing to owe).
    bool owe(Guest& guest, const proto::CpdFrame& frame);
    /// Offers a frame of another contract (spool_frame.hpp) by type and
    /// payload, as offer() does: full means the caller keeps it and retries.
    ipc::RingStatus offer_raw(Guest& guest, std::uint32_t type,
                              std::span<const std::byte> payload) noexcept {
        if (!backlogs_.empty() && backlogs_.contains(guest.userid) && !flush_backlog(guest)) {
            return ipc::RingStatus::full;
        }
        guest.inbound.set_deferred_publish(in_round_);
        return settle(guest, guest.inbound.push(type, payload));
    }

    /// A routing round begins: pushes are published once, at its end; backlogs are retried.
    void begin_round() override;
    /// The round ends: publishes what was pushed and wakes each guest once.
    void end_round() override;
    /// True between begin_round() and end_round().
    bool in_round() const noexcept { return in_round_; }
    /// Drops the backlog of a guest that is gone.
    void forget(const Guest& guest);

    /// Frames waiting for `userid`'s ring (0 without a backlog).
    std::size_t backlog_frames(const proto::Userid& userid) const;
    const DeliveryTotals& totals() const noexcept { return totals_; }

  private:
    ipc::RingStatus settle(Guest& guest, ipc::RingStatus status) noexcept;
    bool push_owed(Guest& guest, const proto::CpdFrame& frame);
    bool flush_backlog(Guest& guest);
    void retry_backlogs();
    void arm_retry();
    void queue(Guest& guest, const proto::CpdFrame& frame);
    void on_corrupt(Guest& guest);
    void touch(Guest& guest);
    void flush_wakeups();

    const GuestTable& guests_;
    GuestControl& control_;
    BacklogBounds bounds_;
    CpuLatencyHold* hold_ = nullptr;
    std::vector<std::shared_ptr<Guest>> touched_;    // owed a publish and a wake-up
    std::map<proto::Userid, GuestBacklog> backlogs_; // non-empty ones only
    boost::asio::steady_timer retry_timer_;
    bool retry_armed_ = false;
    bool in_round_ = false;
    DeliveryTotals totals_;
};

} // namespace cpd::daemon
