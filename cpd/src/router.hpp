// SPDX-License-Identifier: MIT
// Router: drains every guest's outbound ring fairly (bounded batches,
// round-robin, a short time-bounded spin before sleeping on doorbells) and
// acts on each frame: SMSG routing with the sender stamped from the ring,
// SET SMSG, CP commands, console lines, IUCV hand-off (SEND and REPLY data go
// ring to ring in one copy), and a bounded per-guest backlog for IUCV
// notifications that found a full ring. Never blocks; a guest that corrupts
// its ring is reported to the supervisor and nobody else notices.
#pragma once

#include "console_hub.hpp"
#include "cpu_latency_hold.hpp"
#include "guest.hpp"
#include "iucv_hub.hpp"

#include "cpd/proto/rc.hpp"
#include "cpd/proto/version.hpp"

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

namespace cpd::daemon {

/// A control connection that listens for SMSGs addressed to its identity.
class SmsgListener {
public:
    virtual ~SmsgListener() = default;
    /// An SMSG for the listener's identity arrived.
    virtual void on_smsg_event(const proto::Userid& from, std::string_view text) = 0;
    /// The directory was reloaded: the identity a listener acts as may have changed.
    virtual void on_directory_reloaded() {}
};

/// Totals kept across guests that have come and gone.
struct RouterTotals {
    std::uint64_t routed = 0;     ///< SMSGs delivered to guest rings
    std::uint64_t to_listeners = 0; ///< SMSG events handed to listening clients
    std::uint64_t dropped = 0;    ///< SMSGs dropped because the target ring was full
    std::uint64_t refused = 0;    ///< SMSGs answered with 045E / 057I / 026E
    std::uint64_t frames = 0;     ///< frames read from guest rings
    std::uint64_t wakeups = 0;    ///< doorbell wake-ups
    std::uint64_t spins_won = 0;  ///< rings that got data during the pre-sleep spin
    std::uint64_t backlogged = 0; ///< notifications that waited in a guest's backlog
    std::uint64_t backlog_overflows = 0; ///< guests forced off for not draining their backlog
};

/// Outcome of a CP command a guest issued.
struct GuestCommandResult {
    proto::CpRc rc = proto::CpRc::ok;
    std::string text;
};

/// The frame-routing engine; one per daemon, on the daemon's io_context.
class Router : public GuestPort {
public:
    /// What the Router asks of the rest of the daemon.
    struct Hooks {
        std::function<void(Guest&, const std::string& reason)> on_fault; ///< kill it
        std::function<void(Guest&)> on_logoff_request;
        std::function<void(Guest&, std::string_view what)> on_panic;
        std::function<GuestCommandResult(Guest&, std::string_view text)> on_cp_command;
    };

    Router(boost::asio::io_context& io, const GuestTable& guests, ConsoleHub& console, Hooks hooks);

    /// Replaces the console hub. Not owned.
    void set_console_hub(ConsoleHub& console) noexcept { console_ = &console; }
    /// Tells `hold` (or nobody, with nullptr) whenever guests are sent something. Not owned.
    void set_latency_hold(CpuLatencyHold* hold) noexcept { hold_ = hold; }
    /// Replaces the IUCV handler (default: RefusingIucvHandler). Not owned.
    void set_iucv_handler(IucvHandler* handler) noexcept;
    /// Starts watching a newly logged-on guest's outbound ring.
    void attach(const std::shared_ptr<Guest>& guest);
    /// Stops routing for a guest that is gone (call before erasing it from the table).
    void detach(Guest& guest);

    /// Routes one SMSG from `from` (a guest when `sender` is set, else a client) to `to`.
    /// Returns ok, not_logged_on, not_receiving, busy (dropped) or invalid_operand.
    proto::CpRc route_smsg(const proto::Userid& from, Guest* sender, const proto::Userid& to,
                           std::string_view text);
    /// Registers a listener for SMSGs addressed to `userid`. Not owned.
    void add_listener(const proto::Userid& userid, SmsgListener* listener);
    /// Removes every registration of `listener`.
    void remove_listener(SmsgListener* listener);
    /// Tells every listener the directory was reloaded.
    void directory_reloaded();

    bool is_logged_on(const proto::Userid& userid) const override;
    ipc::RingStatus send_to_guest(const proto::Userid& userid,
                                  const proto::CpdFrame& frame) override;
    bool notify_guest(const proto::Userid& userid, const proto::CpdFrame& frame) override;
    /// Pushes to a known guest and schedules its wake-up.
    ipc::RingStatus send_to(Guest& guest, const proto::CpdFrame& frame);

    /// Totals for QUERY STATS and the shutdown log.
    const RouterTotals& totals() const noexcept { return totals_; }

    /// Largest valid SmsgSend payload: target, text length, text.
    static constexpr std::size_t smsg_send_max_payload =
        proto::Userid::max_length + sizeof(std::uint32_t) + proto::smsg_max_text;
    /// Frames drained from one ring before moving on to the next.
    static constexpr int batch_frames = 64;
    /// Longest spin, across all idle rings, before arming the doorbells.
    static constexpr std::int64_t spin_ns = 60'000;
    /// Notifications one guest may have waiting before it is forced off.
    static constexpr std::size_t backlog_max = 4096;
    /// How often backlogs are retried while any is non-empty.
    static constexpr std::int64_t backlog_retry_us = 500;

private:
    enum class Drain { empty, more, dead };
    /// An encoded notification waiting for ring space.
    struct PendingFrame {
        std::uint32_t type;
        std::vector<std::byte> payload;
    };
    void arm(const std::shared_ptr<Guest>& guest);
    void enqueue(const std::shared_ptr<Guest>& guest);
    void schedule_pump();
    void pump_now();
    void spin_over_sleepers();
    void pump();
    void spin_then_sleep(std::vector<std::shared_ptr<Guest>>& idle);
    /// route_smsg for text the ring decoder has already checked.
    proto::CpRc route_checked_smsg(const proto::Userid& from, Guest* sender,
                                   const proto::Userid& to, std::string_view text);
    /// Counts a refused SMSG (totals and the sender's counters); returns `rc`.
    proto::CpRc refuse(Guest* sender, proto::CpRc rc);
    Drain drain_batch(Guest& guest);
    bool route_fast(Guest& guest, const ipc::RecordView& record);
    template <class Frame>
    bool route_iucv_data(Guest& guest, const proto::Result<Frame>& frame, std::uint32_t type);
    bool route_decoded(Guest& guest, const ipc::RecordView& record);
    void on_guest_smsg(Guest& guest, const proto::SmsgSend& m);
    bool flush_backlog(Guest& guest);
    void flush_backlogs();
    void arm_backlog_timer();
    void dispatch(Guest& guest, const proto::GuestFrame& frame);
    void fault(Guest& guest, const std::string& reason);
    /// fault() for a frame the decoder refused, naming its type and the error.
    void fault_frame(Guest& guest, std::uint32_t type, proto::errc error);
    void touch(Guest& guest);
    void flush_wakeups();

    boost::asio::io_context& io_;
    const GuestTable& guests_;
    ConsoleHub* console_;
    Hooks hooks_;
    RefusingIucvHandler refusing_iucv_;
    IucvHandler* iucv_;
    CpuLatencyHold* hold_ = nullptr;
    std::deque<std::shared_ptr<Guest>> ready_;
    std::vector<std::shared_ptr<Guest>> touched_;
    std::multimap<proto::Userid, SmsgListener*> listeners_;
    std::map<proto::Userid, std::deque<PendingFrame>> backlogs_; // non-empty ones only
    boost::asio::steady_timer backlog_timer_;
    bool backlog_timer_armed_ = false;
    std::vector<std::byte> buffer_; // reused copy-out buffer
    RouterTotals totals_;
    bool pump_scheduled_ = false;
    bool in_pump_ = false;
};

/// The CP message a refused SMSG earns, e.g. "HCPMSG045E ECHO not logged on".
std::string smsg_refusal_text(proto::CpRc rc, const proto::Userid& to);

} // namespace cpd::daemon
