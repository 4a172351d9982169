// SPDX-License-Identifier: MIT
// Router: routing's face to the rest of cpd, wiring its three parts (in
// routing/): the Poller (readiness, spin and sleep), the FrameHandler with its
// SmsgRouter (acting on each frame), and Delivery (the one owner of pushes to
// guests' inbound rings, the must-not-lose backlog and wake-ups). It is the
// GuestPort IUCV pushes through. Holds no routing logic of its own.
#pragma once

#include "console/console_hub.hpp"
#include "service/cpu_latency_hold.hpp"
#include "guests/guest.hpp"
#include "routing/iucv/iucv_hub.hpp"
#include "routing/delivery.hpp"
#include "routing/frame_handler.hpp"
#include "routing/guest_control.hpp"
#include "routing/poller.hpp"
#include "routing/smsg_router.hpp"

#include "cpd/proto/rc.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include <boost/asio/io_context.hpp>

namespace cpd::daemon {

/// Totals kept across guests that have come and gone.
struct RouterTotals {
    std::uint64_t routed = 0;     ///< SMSGs delivered to guest rings
    std::uint64_t to_listeners = 0; ///< SMSG events handed to listening clients
    std::uint64_t dropped = 0;    ///< SMSGs dropped because the target ring was full
    std::uint64_t refused = 0;    ///< SMSGs answered with 045E / 057I / 026E
    std::uint64_t frames = 0;     ///< frames read from guest rings
    std::uint64_t wakeups = 0;    ///< doorbell wake-ups
    std::uint64_t spins_won = 0;  ///< rings that got data during the pre-sleep spin
    std::uint64_t backlogged = 0; ///< frames CP owed that waited in a guest's backlog
    std::uint64_t backlog_overflows = 0; ///< guests forced off for not draining their backlog
    std::uint64_t collapsed = 0;  ///< owed notifications cancelled by their opposite
    std::uint64_t responses_cut = 0; ///< CP responses cut to fit a guest's ring
    std::uint64_t corrupt_rings = 0; ///< guests forced off for a corrupt inbound ring
};

/// The frame-routing engine; one per daemon, on the daemon's io_context.
class Router : public GuestPort {
public:
    /// Forces and logs guests off through `control`, runs their CP commands
    /// through `commands`; all references must outlive the Router.
    Router(boost::asio::io_context& io, const GuestTable& guests, ConsoleHub& console,
           GuestControl& control, GuestCommands& commands);

    /// Replaces the console hub. Not owned.
    void set_console_hub(ConsoleHub& console) noexcept { frames_.set_console_hub(console); }
    /// Tells `hold` (or nobody, with nullptr) whenever guests are sent something. Not owned.
    void set_latency_hold(CpuLatencyHold* hold) noexcept { delivery_.set_latency_hold(hold); }
    /// Replaces the IUCV handler (default: RefusingIucvHandler). Not owned.
    void set_iucv_handler(IucvHandler* handler) noexcept;
    /// Sets who takes the spool's frames. Not owned.
    void set_spool_sink(SpoolFrameSink* sink) noexcept { frames_.set_spool_sink(sink); }
    /// Offers a spool frame to a logged-on guest (full: retry later); nullopt
    /// if `userid` is not logged on.
    std::optional<ipc::RingStatus> send_raw(const proto::Userid& userid, std::uint32_t type,
                                            std::span<const std::byte> payload) {
        Guest* g = find(userid);
        if (g == nullptr) {
            return std::nullopt;
        }
        return delivery_.offer_raw(*g, type, payload);
    }
    /// Starts watching a newly logged-on guest's outbound ring.
    void attach(const std::shared_ptr<Guest>& guest);
    /// Handles what a guest that just ended left on its ring (its last
    /// words, say a handler panic), budget or not.
    void drain_last_words(Guest& guest);
    /// Stops routing for a guest that is gone (call before erasing it from the table).
    void detach(Guest& guest);

    /// Routes one SMSG from `from` (a guest when `sender` is set, else a client) to `to`.
    /// Returns ok, not_logged_on, not_receiving, busy (dropped) or invalid_operand.
    proto::CpRc route_smsg(const proto::Userid& from, Guest* sender, const proto::Userid& to,
                           std::string_view text) {
        return smsg_.route(from, sender, to, text);
    }
    /// Registers a listener for SMSGs addressed to `userid`. Not owned.
    void add_listener(const proto::Userid& userid, SmsgListener* listener) {
        smsg_.add_listener(userid, listener);
    }
    /// Removes every registration of `listener`.
    void remove_listener(SmsgListener* listener) { smsg_.remove_listener(listener); }
    /// Tells every listener the directory was reloaded.
    void directory_reloaded() { smsg_.directory_reloaded(); }

    bool is_logged_on(const proto::Userid& userid) const override;
    ipc::RingStatus send_to_guest(const proto::Userid& userid,
                                  const proto::CpdFrame& frame) override;
    bool notify_guest(const proto::Userid& userid, const proto::CpdFrame& frame) override;

    /// Totals for QUERY STATS and the shutdown log.
    const RouterTotals& totals() const noexcept;
    /// The delivery layer (for tests and diagnostics).
    const Delivery& delivery() const noexcept { return delivery_; }
    /// The poller (for tests and diagnostics).
    const Poller& poller() const noexcept { return poller_; }

private:
    Guest* find(const proto::Userid& userid) const;

    const GuestTable& guests_;
    RefusingIucvHandler refusing_iucv_;
    IucvHandler* iucv_;
    Delivery delivery_;
    SmsgRouter smsg_;
    FrameHandler frames_;
    Poller poller_;
    mutable RouterTotals totals_; // assembled from the parts by totals()
};

} // namespace cpd::daemon
