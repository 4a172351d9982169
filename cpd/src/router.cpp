// SPDX-License-Identifier: MIT
// The routing loop. A guest's outbound doorbell wakes it into the ready queue;
// pump() gives each ready guest one batch per round, re-posting itself while
// work remains so sockets and timers still get their turn; idle rings get a
// short shared spin, then prepare_sleep() and an async_wait on the doorbell.
// Wake-ups of targets are collected per round and rung once each. IUCV
// notifications that find a full ring wait in a per-guest backlog, retried on
// every round and on a short timer.
#include "router.hpp"

#include "cpd/ipc/log.hpp"
#include "cpd/proto/version.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>

#include <sched.h>
#include <cstring>

#include <boost/asio/post.hpp>

namespace cpd::daemon {
namespace asio = boost::asio;

namespace {

/// Polls every guest's outbound ring for up to `spin_ns`, yielding the CPU after
/// each round: with more processes than cores, the guest we wait for (or the one
/// we just woke) may be runnable on this very CPU, and a yield hands it the CPU at
/// once. Not yielding for the first few microseconds measured worse on both
/// latency and bulk throughput. True as soon as one ring has a frame.
bool spin_for_frames(const GuestTable& guests, std::int64_t spin_ns) {
    const auto start = std::chrono::steady_clock::now();
    for (auto now = start; now < start + std::chrono::nanoseconds(spin_ns);
         now = std::chrono::steady_clock::now()) {
        for (const auto& [id, g] : guests) {
            if (!g->outbound.is_empty()) {
                return true;
            }
        }
        ::sched_yield();
    }
    return false;
}

} // namespace

std::string smsg_refusal_text(proto::CpRc rc, const proto::Userid& to) {
    std::string id(to.str());
    switch (rc) {
    case proto::CpRc::not_logged_on: return "HCPMSG045E " + id + " not logged on";
    case proto::CpRc::not_receiving: return "HCPMSG057I " + id + " not receiving; SMSG off";
    case proto::CpRc::busy: return "HCPMSG061W " + id + " not receiving; message queue full";
    case proto::CpRc::invalid_operand: return "HCPMSG026E Text missing or invalid";
    case proto::CpRc::invalid_userid: return "HCPMSG020E Userid missing or invalid";
    default: return {};
    }
}

Router::Router(asio::io_context& io, const GuestTable& guests, ConsoleHub& console, Hooks hooks)
    : io_(io), guests_(guests), console_(&console), hooks_(std::move(hooks)),
      refusing_iucv_(*this), iucv_(&refusing_iucv_), backlog_timer_(io) {
    buffer_.reserve(64 * 1024);
}

void Router::set_iucv_handler(IucvHandler* handler) noexcept {
    iucv_ = handler != nullptr ? handler : &refusing_iucv_;
}

void Router::attach(const std::shared_ptr<Guest>& guest) {
    enqueue(guest); // the guest may have written before we watched its bell
}

void Router::detach(Guest& guest) {
    // Its last words (LOGOFF AT, a final SMSG) may still be on the ring: route them first.
    for (int round = 0; round < 64 && !guest.faulted && guest.state != GuestState::gone &&
                        drain_batch(guest) == Drain::more;
         ++round) {
    }
    guest.state = GuestState::gone;
    boost::system::error_code ignored;
    guest.bell_watch.cancel(ignored);
    backlogs_.erase(guest.userid);
    iucv_->on_guest_gone(guest.userid);
}

/// Waits for the guest's outbound doorbell, then routes what it wrote at once.
/// The bell is drained later, before the guest's ring is next put to sleep:
/// the read is a system call that need not sit between a wake-up and routing.
void Router::arm(const std::shared_ptr<Guest>& guest) {
    guest->bell_armed = true;
    guest->bell_watch.async_wait(asio::posix::stream_descriptor::wait_read,
                                 [this, guest](const boost::system::error_code& ec) {
                                     guest->bell_armed = false;
                                     if (ec || guest->state == GuestState::gone) {
                                         return;
                                     }
                                     guest->bell_rung = true;
                                     guest->outbound.cancel_sleep();
                                     ++guest->counters.wakeups;
                                     ++totals_.wakeups;
                                     enqueue(guest);
                                     pump_now();
                                 });
}

void Router::enqueue(const std::shared_ptr<Guest>& guest) {
    if (!guest->in_ready_queue && !guest->faulted && guest->state != GuestState::gone) {
        guest->in_ready_queue = true;
        ready_.push_back(guest);
        schedule_pump();
    }
}

/// Runs a round now rather than after another reactor poll (asio would run a
/// posted round only after polling epoll again), unless one is queued or running.
void Router::pump_now() {
    if (!pump_scheduled_ && !in_pump_) {
        pump();
    }
}

void Router::schedule_pump() {
    if (!pump_scheduled_) {
        pump_scheduled_ = true;
        asio::post(io_, [this] { pump(); });
    }
}

/// One round: a batch from every ready guest, then wake-ups, then spin or sleep.
void Router::pump() {
    pump_scheduled_ = false;
    in_pump_ = true;
    if (!backlogs_.empty()) {
        flush_backlogs();
    }
    std::vector<std::shared_ptr<Guest>> idle;
    for (std::size_t n = ready_.size(); n > 0 && !ready_.empty(); --n) {
        std::shared_ptr<Guest> g = std::move(ready_.front());
        ready_.pop_front();
        g->in_ready_queue = false;
        if (g->state == GuestState::gone || g->faulted) {
            continue;
        }
        Drain d = drain_batch(*g);
        if (d == Drain::more) {
            g->in_ready_queue = true;
            ready_.push_back(std::move(g));
        } else if (d == Drain::empty) {
            idle.push_back(std::move(g));
        }
    }
    flush_wakeups();
    spin_then_sleep(idle);
    in_pump_ = false;
    if (!ready_.empty()) {
        schedule_pump();
    }
}

/// Spins briefly over idle rings when nothing else is ready; sleeps the rest.
void Router::spin_then_sleep(std::vector<std::shared_ptr<Guest>>& idle) {
    if (idle.empty()) {
        return;
    }
    if (ready_.empty()) {
        spin_over_sleepers();
    }
    for (auto& g : idle) {
        if (g->state == GuestState::gone || g->faulted) {
            continue;
        }
        if (g->bell_rung) { // before prepare_sleep: a ring after it must not be lost
            g->bell_rung = false;
            g->outbound_bell.drain();
        }
        if (g->outbound.is_corrupt()) {
            fault(*g, "corrupt ring");
        } else if (!g->outbound.is_empty() || !g->outbound.prepare_sleep()) {
            ++totals_.spins_won;
            enqueue(g);
        } else if (!g->bell_armed) {
            arm(g);
        }
    }
}

/// The spin before sleeping. It watches every ring, so the guests whose
/// doorbells cpd already waits on are told cpd is awake meanwhile: an answer
/// to what was just routed then costs its sender no doorbell write and cpd no
/// epoll round. Afterwards they sleep again, or are queued if they wrote.
void Router::spin_over_sleepers() {
    for (const auto& [id, g] : guests_) {
        if (g->bell_armed) {
            g->outbound.cancel_sleep();
        }
    }
    spin_for_frames(guests_, spin_ns);
    for (const auto& [id, g] : guests_) {
        if (g->bell_armed && g->state != GuestState::gone && !g->faulted &&
            (!g->outbound.is_empty() || !g->outbound.prepare_sleep())) {
            g->outbound.cancel_sleep();
            enqueue(g);
        }
    }
}

/// Handles up to batch_frames frames of one guest. SMSGs and IUCV data take
/// the direct paths below; the rest is copied out of shared memory, decoded and
/// dispatched.
Router::Drain Router::drain_batch(Guest& g) {
    for (int i = 0; i < batch_frames; ++i) {
        ipc::RecordView record;
        ipc::RingStatus st = g.outbound.peek(record);
        if (st == ipc::RingStatus::empty) {
            return Drain::empty;
        }
        if (st != ipc::RingStatus::ok) {
            fault(g, "corrupt ring");
            return Drain::dead;
        }
        ++g.counters.frames_out;
        ++totals_.frames;
        if (!route_fast(g, record) && !route_decoded(g, record)) {
            return Drain::dead;
        }
        if (g.faulted || g.state == GuestState::gone) {
            return Drain::dead;
        }
    }
    return g.outbound.is_empty() ? Drain::empty : Drain::more;
}

/// The frames that are most of the traffic, without the frame variants (a
/// fifth of cpd's time per SMSG went to building and visiting them):
/// - SmsgSend: copied out whole (its text is checked, so the check must see
///   bytes the guest can no longer change), decoded, routed.
/// - IucvSend and IucvReply: decoded where they lie, each fixed field read once;
///   the data is handed on as a view of the guest's ring, so the target's push
///   copies it once, straight into its reservation (the data is not inspected).
/// True if the record was handled (and consumed); false for other types and
/// for an SmsgSend too long to be valid, which the general path refuses.
bool Router::route_fast(Guest& g, const ipc::RecordView& record) {
    using T = proto::RingFrameType;
    switch (static_cast<T>(record.type)) {
    case T::smsg_send: {
        std::array<std::byte, smsg_send_max_payload> copy;
        if (record.payload.size() > copy.size()) {
            return false;
        }
        const std::span<std::byte> bytes{copy.data(), record.payload.size()};
        std::memcpy(bytes.data(), record.payload.data(), bytes.size());
        g.outbound.consume();
        const auto m = proto::decode_as<proto::SmsgSend>(bytes);
        if (!m) {
            fault_frame(g, record.type, m.error());
            return true;
        }
        on_guest_smsg(g, *m);
        return true;
    }
    case T::iucv_send:
        return route_iucv_data(g, proto::decode_as<proto::IucvSend>(record.payload), record.type);
    case T::iucv_reply:
        return route_iucv_data(g, proto::decode_as<proto::IucvReply>(record.payload), record.type);
    default:
        return false;
    }
}

template <class Frame>
bool Router::route_iucv_data(Guest& g, const proto::Result<Frame>& frame, std::uint32_t type) {
    if (!frame) {
        g.outbound.consume();
        fault_frame(g, type, frame.error());
        return true;
    }
    dispatch(g, *frame); // the target's push copies the data out of this ring
    g.outbound.consume();
    return true;
}

/// Any other frame: copied out of shared memory, decoded, dispatched. False if
/// the guest was faulted.
bool Router::route_decoded(Guest& g, const ipc::RecordView& record) {
    try {
        buffer_.assign(record.payload.begin(), record.payload.end());
    } catch (const std::bad_alloc&) {
        fault(g, "out of memory copying a frame");
        return false;
    }
    g.outbound.consume();
    auto frame = proto::decode_guest_frame(record.type, buffer_);
    if (!frame) {
        fault_frame(g, record.type, frame.error());
        return false;
    }
    dispatch(g, *frame);
    return true;
}

/// Routes an SMSG a guest sent; a refusal goes back to it as a CP message.
void Router::on_guest_smsg(Guest& g, const proto::SmsgSend& m) {
    const proto::CpRc rc = route_checked_smsg(g.userid, &g, m.to, m.text);
    if (rc != proto::CpRc::ok && rc != proto::CpRc::busy) {
        send_to(g, proto::CpMessage{smsg_refusal_text(rc, m.to)});
    }
}

/// Acts on one decoded frame from a guest.
void Router::dispatch(Guest& g, const proto::GuestFrame& frame) {
    if (const auto* m = std::get_if<proto::SmsgSend>(&frame)) {
        on_guest_smsg(g, *m);
    } else if (const auto* s = std::get_if<proto::SetSmsg>(&frame)) {
        g.smsg_on = s->on;
    } else if (std::holds_alternative<proto::LogoffRequest>(frame)) {
        hooks_.on_logoff_request(g);
    } else if (const auto* c = std::get_if<proto::CpCommand>(&frame)) {
        GuestCommandResult r = hooks_.on_cp_command(g, c->text);
        send_to(g, proto::CpResponse{c->tag, r.rc, r.text});
    } else if (const auto* o = std::get_if<proto::ConsoleOutput>(&frame)) {
        console_->on_console_output(g.userid, o->line);
    } else if (const auto* e = std::get_if<proto::ConsoleEnd>(&frame)) {
        console_->on_console_end(g.userid, e->rc);
    } else if (const auto* p = std::get_if<proto::HandlerPanic>(&frame)) {
        hooks_.on_panic(g, p->what);
    } else {
        iucv_->on_guest_frame(g.userid, frame);
    }
}

void Router::fault_frame(Guest& g, std::uint32_t type, proto::errc error) {
    char hex[16];
    std::snprintf(hex, sizeof hex, "0x%04x", type);
    fault(g, std::string("corrupt frame: type ") + hex + ": " + std::string(proto::describe(error)));
}

void Router::fault(Guest& g, const std::string& reason) {
    CPD_LOG(error, "router: ", g.userid.str(), ": corrupt frame/ring: ", reason);
    g.faulted = true;
    hooks_.on_fault(g, "corrupt frame/ring: " + reason);
}

proto::CpRc Router::route_smsg(const proto::Userid& from, Guest* sender, const proto::Userid& to,
                               std::string_view text) {
    if (!proto::check_smsg_text(text)) {
        return refuse(sender, proto::CpRc::invalid_operand);
    }
    return route_checked_smsg(from, sender, to, text);
}

proto::CpRc Router::refuse(Guest* sender, proto::CpRc rc) {
    ++totals_.refused;
    if (sender != nullptr) {
        ++sender->counters.refused_out;
    }
    return rc;
}

/// route_smsg once the text is known to be within limits: the ring frame decoder
/// has checked a guest's text already, and checking it again took about 7% of
/// cpd's time per SMSG in bench_smsg (perf, windowed 64 B).
proto::CpRc Router::route_checked_smsg(const proto::Userid& from, Guest* sender,
                                       const proto::Userid& to, std::string_view text) {
    if (text.empty()) {
        return refuse(sender, proto::CpRc::invalid_operand);
    }
    auto it = guests_.find(to);
    Guest* target = it != guests_.end() && it->second->state == GuestState::running
                        ? it->second.get()
                        : nullptr;
    auto [lo, hi] = listeners_.equal_range(to);
    bool listened = lo != hi;
    if (target == nullptr && !listened) {
        return refuse(sender, proto::CpRc::not_logged_on);
    }
    if (target != nullptr && !target->smsg_on && !listened) {
        return refuse(sender, proto::CpRc::not_receiving);
    }
    bool delivered = false;
    bool dropped = false;
    if (target != nullptr && target->smsg_on) {
        // Inside a pump round the target's ring position is published once, by
        // flush_wakeups(), not per message (see RingWriter::set_deferred_publish).
        target->inbound.set_deferred_publish(in_pump_);
        if (target->push(proto::SmsgDeliver{from, text}) == ipc::RingStatus::ok) {
            ++target->counters.routed_in;
            ++totals_.routed;
            touch(*target);
            delivered = true;
        } else {
            if (!target->touched) {
                target->inbound.set_deferred_publish(false);
            }
            ++target->counters.dropped_in;
            ++totals_.dropped;
            dropped = true;
        }
    }
    if (listened) { // copy first: a listener may unregister itself while called
        std::vector<SmsgListener*> targets;
        for (; lo != hi; ++lo) {
            targets.push_back(lo->second);
        }
        for (SmsgListener* l : targets) {
            ++totals_.to_listeners;
            l->on_smsg_event(from, text);
        }
        delivered = true;
    }
    if (sender != nullptr) {
        ++(delivered ? sender->counters.routed_out : sender->counters.dropped_out);
    }
    proto::CpRc rc = delivered || !dropped ? proto::CpRc::ok : proto::CpRc::busy;
    if (!in_pump_) {
        flush_wakeups();
    }
    return rc;
}

void Router::add_listener(const proto::Userid& userid, SmsgListener* listener) {
    listeners_.emplace(userid, listener);
}

void Router::remove_listener(SmsgListener* listener) {
    std::erase_if(listeners_, [listener](const auto& kv) { return kv.second == listener; });
}

void Router::directory_reloaded() {
    std::vector<SmsgListener*> all; // copied: a listener may re-register or leave when told
    for (const auto& [id, l] : listeners_) {
        if (std::find(all.begin(), all.end(), l) == all.end()) {
            all.push_back(l);
        }
    }
    for (SmsgListener* l : all) {
        l->on_directory_reloaded();
    }
}

bool Router::is_logged_on(const proto::Userid& userid) const {
    auto it = guests_.find(userid);
    return it != guests_.end() && it->second->state == GuestState::running;
}

ipc::RingStatus Router::send_to_guest(const proto::Userid& userid, const proto::CpdFrame& frame) {
    auto it = guests_.find(userid);
    if (it == guests_.end() || it->second->state == GuestState::gone) {
        return ipc::RingStatus::empty;
    }
    if (!flush_backlog(*it->second)) {
        return ipc::RingStatus::full; // behind the backlog, to keep the order
    }
    return send_to(*it->second, frame);
}

bool Router::notify_guest(const proto::Userid& userid, const proto::CpdFrame& frame) {
    auto it = guests_.find(userid);
    if (it == guests_.end() || it->second->state == GuestState::gone) {
        return false;
    }
    Guest& g = *it->second;
    if (g.faulted) {
        return true; // being killed: its peers hear when it is gone
    }
    if (flush_backlog(g) && send_to(g, frame) == ipc::RingStatus::ok) {
        return true;
    }
    std::deque<PendingFrame>& queue = backlogs_[userid];
    if (queue.size() >= backlog_max) {
        ++totals_.backlog_overflows;
        backlogs_.erase(userid);
        CPD_LOG(error, "router: ", g.userid.str(), ": ", backlog_max,
                " IUCV notifications waiting for its ring: forcing it off");
        g.faulted = true;
        hooks_.on_fault(g, "not reading its ring (IUCV notification backlog overflow)");
        return true;
    }
    PendingFrame pending{static_cast<std::uint32_t>(proto::frame_type(frame)),
                         std::vector<std::byte>(proto::encoded_size(frame))};
    proto::encode(frame, pending.payload);
    queue.push_back(std::move(pending));
    ++totals_.backlogged;
    arm_backlog_timer();
    return true;
}

/// Pushes what waits in the guest's backlog, in order; true if nothing is left.
bool Router::flush_backlog(Guest& g) {
    auto it = backlogs_.find(g.userid);
    if (it == backlogs_.end()) {
        return true;
    }
    std::deque<PendingFrame>& queue = it->second;
    while (!queue.empty() && g.inbound.push(queue.front().type, queue.front().payload) ==
                                 ipc::RingStatus::ok) {
        queue.pop_front();
        touch(g);
    }
    if (!in_pump_) {
        flush_wakeups();
    }
    if (!queue.empty()) {
        return false;
    }
    backlogs_.erase(it);
    return true;
}

void Router::flush_backlogs() {
    std::vector<proto::Userid> ids;
    for (const auto& [id, queue] : backlogs_) {
        ids.push_back(id);
    }
    for (const proto::Userid& id : ids) {
        auto it = guests_.find(id);
        if (it == guests_.end() || it->second->state == GuestState::gone) {
            backlogs_.erase(id);
        } else {
            flush_backlog(*it->second);
        }
    }
}

/// Retries the backlogs shortly while any is non-empty (a guest drains its ring
/// without telling cpd).
void Router::arm_backlog_timer() {
    if (backlog_timer_armed_ || backlogs_.empty()) {
        return;
    }
    backlog_timer_armed_ = true;
    backlog_timer_.expires_after(std::chrono::microseconds(backlog_retry_us));
    backlog_timer_.async_wait([this](const boost::system::error_code& ec) {
        backlog_timer_armed_ = false;
        if (ec) {
            return;
        }
        flush_backlogs();
        arm_backlog_timer();
    });
}

ipc::RingStatus Router::send_to(Guest& guest, const proto::CpdFrame& frame) {
    ipc::RingStatus st = guest.push(frame);
    if (st == ipc::RingStatus::ok) {
        touch(guest);
        if (!in_pump_) {
            flush_wakeups();
        }
    }
    return st;
}

void Router::touch(Guest& guest) {
    if (!guest.touched) {
        guest.touched = true;
        auto it = guests_.find(guest.userid);
        if (it != guests_.end() && it->second.get() == &guest) {
            touched_.push_back(it->second);
        } else {
            guest.touched = false;
            guest.inbound.set_deferred_publish(false);
            guest.wake();
        }
    }
}

void Router::flush_wakeups() {
    if (hold_ != nullptr && !touched_.empty()) {
        // Before the doorbells: taking the hold kicks halted CPUs awake, so the
        // wake-ups below find them polling.
        hold_->note_traffic();
    }
    for (auto& g : touched_) {
        g->touched = false;
        g->inbound.set_deferred_publish(false); // publishes this round's frames
        if (g->state != GuestState::gone) {
            g->wake();
        }
    }
    touched_.clear();
}

} // namespace cpd::daemon
