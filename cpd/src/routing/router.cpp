// SPDX-License-Identifier: MIT
// Router: the wiring of routing's parts and the GuestPort entry points. A
// guest's life as routing sees it: attach (watched by the Poller), frames
// (FrameHandler), pushes to it (Delivery), detach (last words handled, then
// every part forgets it and IUCV severs its paths).
#include "routing/router.hpp"

namespace cpd::daemon {

Router::Router(boost::asio::io_context& io, const GuestTable& guests, ConsoleHub& console,
               GuestControl& control, GuestCommands& commands)
    : guests_(guests), refusing_iucv_(*this), iucv_(&refusing_iucv_),
      delivery_(io, guests, control), smsg_(guests, delivery_),
      frames_(delivery_, smsg_, control, commands, console, refusing_iucv_),
      poller_(io, frames_, delivery_) {}

void Router::set_iucv_handler(IucvHandler* handler) noexcept {
    iucv_ = handler != nullptr ? handler : &refusing_iucv_;
    frames_.set_iucv_handler(*iucv_);
}

void Router::attach(const std::shared_ptr<Guest>& guest) {
    smsg_.forget_target(guest->userid); // it may have been cached as a listener only
    poller_.attach(guest);
}

void Router::drain_last_words(Guest& guest) { frames_.drain_last_words(guest); }

void Router::detach(Guest& guest) {
    frames_.drain_last_words(guest);
    guest.state = GuestState::gone;
    smsg_.forget_target(guest.userid); // the cache must not keep the Guest alive
    poller_.detach(guest);
    delivery_.forget(guest);
    frames_.spool_meter().forget(guest.userid);
    iucv_->on_guest_gone(guest.userid);
}

Guest* Router::find(const proto::Userid& userid) const {
    auto it = guests_.find(userid);
    return it == guests_.end() || it->second->state == GuestState::gone ? nullptr
                                                                         : it->second.get();
}

bool Router::is_logged_on(const proto::Userid& userid) const {
    auto it = guests_.find(userid);
    return it != guests_.end() && it->second->state == GuestState::running;
}

ipc::RingStatus Router::send_to_guest(const proto::Userid& userid, const proto::CpdFrame& frame) {
    Guest* g = find(userid);
    return g == nullptr ? ipc::RingStatus::empty : delivery_.offer(*g, frame);
}

bool Router::notify_guest(const proto::Userid& userid, const proto::CpdFrame& frame) {
    Guest* g = find(userid);
    return g != nullptr && delivery_.owe(*g, frame);
}

const RouterTotals& Router::totals() const noexcept {
    const SmsgTotals& s = smsg_.totals();
    const PollerTotals& p = poller_.totals();
    const DeliveryTotals& d = delivery_.totals();
    totals_.routed = s.routed;
    totals_.to_listeners = s.to_listeners;
    totals_.dropped = s.dropped;
    totals_.refused = s.refused;
    totals_.frames = frames_.frames();
    totals_.wakeups = p.wakeups;
    totals_.spins_won = p.spins_won;
    totals_.backlogged = d.backlogged;
    totals_.backlog_overflows = d.backlog_overflows;
    totals_.collapsed = d.collapsed;
    totals_.responses_cut = d.responses_cut;
    totals_.corrupt_rings = d.corrupt_rings;
    return totals_;
}

} // namespace cpd::daemon
