// SPDX-License-Identifier: MIT
// Delivery: pushes, the must-not-lose backlog, and the per-round batching of
// publishes and wake-ups. Inside a round (begin_round .. end_round) a ring's
// producer position is published once, when the round ends, not per frame
// (RingWriter::set_deferred_publish); outside one (a client's SMSG, a timer)
// every push is published and its guest woken at once. Order per guest is
// kept: while a guest has a backlog, offers to it fail and owed frames queue.
#include "routing/delivery.hpp"

#include "routing/response_cut.hpp"

#include "cpd/ipc/log.hpp"

#include <cstdio>
#include <string>
#include <variant>

namespace cpd::daemon {

namespace {

std::string hex_type(std::uint32_t type) {
    char hex[16];
    std::snprintf(hex, sizeof hex, "0x%04x", type);
    return hex;
}

} // namespace

Delivery::Delivery(boost::asio::io_context& io, const GuestTable& guests, GuestControl& control,
                   BacklogBounds bounds)
    : guests_(guests), control_(control), bounds_(bounds), retry_timer_(io) {}

/// Counts a push and batches its wake-up; a corrupt ring forces its guest off.
ipc::RingStatus Delivery::settle(Guest& guest, ipc::RingStatus status) noexcept {
    if (status == ipc::RingStatus::ok) {
        touch(guest);
        if (!in_round_) {
            flush_wakeups();
        }
        return status;
    }
    if (!guest.touched) {
        guest.inbound.set_deferred_publish(false);
    }
    if (status == ipc::RingStatus::corrupt) {
        on_corrupt(guest);
    }
    return status;
}

bool Delivery::owe(Guest& guest, const proto::CpdFrame& frame) {
    if (guest.state == GuestState::gone) {
        return false;
    }
    if (guest.faulted) {
        return true; // being killed: its peers hear when it is gone
    }
    const auto* response = std::get_if<proto::CpResponse>(&frame);
    const std::size_t max = guest.inbound.max_payload();
    if (response == nullptr || proto::encoded_size(frame) <= max) {
        return push_owed(guest, frame);
    }
    const std::size_t fixed = proto::encoded_size(frame) - response->text.size();
    const std::string text = cut_response(response->text, max > fixed ? max - fixed : 0);
    ++totals_.responses_cut;
    CPD_LOG(warn, "router: ", guest.userid.str(), ": CP response of ", response->text.size(),
            " bytes cut to ", text.size(), ": its ring carries at most ", max, " bytes a record");
    return push_owed(guest, proto::CpResponse{response->tag, response->rc, text});
}

/// Pushes behind the backlog, or joins it.
bool Delivery::push_owed(Guest& guest, const proto::CpdFrame& frame) {
    if (flush_backlog(guest)) {
        guest.inbound.set_deferred_publish(in_round_);
        const ipc::RingStatus st = settle(guest, ipc::push_frame(guest.inbound, frame));
        if (st == ipc::RingStatus::too_big) {
            ++totals_.never_fit;
            CPD_LOG(error, "router: ", guest.userid.str(), ": dropped a frame of type ",
                    hex_type(static_cast<std::uint32_t>(proto::frame_type(frame))), " (",
                    proto::encoded_size(frame), " bytes) its ring can never carry");
        }
        if (st != ipc::RingStatus::full) {
            return true;
        }
    }
    if (!guest.faulted) {
        queue(guest, frame);
    }
    return true;
}

/// Adds a frame to the guest's backlog; forces the guest off if that exceeds a bound.
void Delivery::queue(Guest& guest, const proto::CpdFrame& frame) {
    GuestBacklog& backlog = backlogs_[guest.userid];
    const auto now = std::chrono::steady_clock::now();
    if (backlog.add(frame, now) == GuestBacklog::Added::collapsed) {
        ++totals_.collapsed;
        if (backlog.empty()) {
            backlogs_.erase(guest.userid);
        }
        return;
    }
    ++totals_.backlogged;
    const GuestBacklog::Excess excess = backlog.excess(bounds_);
    if (excess == GuestBacklog::Excess::none) {
        arm_retry();
        return;
    }
    // Only frames CP owes it wait here (offers fail while it has a backlog, and
    // opposite notifications cancel), so the guest could have drained all of it.
    const auto waited =
        std::chrono::duration_cast<std::chrono::milliseconds>(now - backlog.since()).count();
    const std::string why = "not reading its ring: CP owes it " + std::to_string(backlog.frames()) +
                            " frames (" + std::to_string(backlog.bytes()) +
                            " bytes), over the bound of " + std::to_string(bounds_.frames) +
                            " frames and " + std::to_string(bounds_.bytes) + " bytes (" +
                            to_string(excess) + "), waiting " + std::to_string(waited) +
                            " ms for ring space";
    ++totals_.backlog_overflows;
    backlogs_.erase(guest.userid);
    CPD_LOG(error, "router: ", guest.userid.str(), ": forcing it off: ", why);
    guest.faulted = true;
    control_.force_off(guest, why);
}

/// Pushes what waits in the guest's backlog, in order; true if nothing is left.
bool Delivery::flush_backlog(Guest& guest) {
    auto it = backlogs_.find(guest.userid);
    if (it == backlogs_.end()) {
        return true;
    }
    GuestBacklog& backlog = it->second;
    guest.inbound.set_deferred_publish(in_round_);
    ipc::RingStatus st = ipc::RingStatus::ok;
    while (!backlog.empty()) {
        st = guest.inbound.push(backlog.front().type, backlog.front().payload);
        if (st == ipc::RingStatus::ok) {
            backlog.pop_front();
            touch(guest);
        } else if (st == ipc::RingStatus::too_big) { // cut or small when queued: not expected
            ++totals_.never_fit;
            backlog.pop_front();
        } else {
            break;
        }
    }
    const bool drained = backlog.empty();
    if (drained || st == ipc::RingStatus::corrupt) {
        backlogs_.erase(it);
    }
    if (!guest.touched) {
        guest.inbound.set_deferred_publish(false);
    }
    if (st == ipc::RingStatus::corrupt) {
        on_corrupt(guest);
    }
    if (!in_round_) {
        flush_wakeups();
    }
    return drained;
}

void Delivery::retry_backlogs() {
    std::vector<proto::Userid> ids;
    ids.reserve(backlogs_.size());
    for (const auto& [id, backlog] : backlogs_) {
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

/// Retries the backlogs shortly while any is non-empty: a guest drains its ring
/// without telling cpd.
void Delivery::arm_retry() {
    if (retry_armed_ || backlogs_.empty()) {
        return;
    }
    retry_armed_ = true;
    retry_timer_.expires_after(retry_interval);
    retry_timer_.async_wait([this](const boost::system::error_code& ec) {
        retry_armed_ = false;
        if (ec) {
            return;
        }
        retry_backlogs();
        arm_retry();
    });
}

void Delivery::begin_round() {
    in_round_ = true;
    if (!backlogs_.empty()) {
        retry_backlogs();
    }
}

void Delivery::end_round() {
    in_round_ = false;
    flush_wakeups();
}

void Delivery::forget(const Guest& guest) {
    backlogs_.erase(guest.userid);
}

std::size_t Delivery::backlog_frames(const proto::Userid& userid) const {
    auto it = backlogs_.find(userid);
    return it == backlogs_.end() ? 0 : it->second.frames();
}

/// A guest moved its consumer position somewhere impossible: it can never be
/// sent anything again, so it is forced off now rather than waited out.
void Delivery::on_corrupt(Guest& guest) {
    if (guest.faulted) {
        return;
    }
    ++totals_.corrupt_rings;
    const std::string why = "corrupt inbound ring: its consumer position is out of range "
                            "(beyond cpd's, moved back or misaligned)";
    CPD_LOG(error, "router: ", guest.userid.str(), ": forcing it off: ", why);
    backlogs_.erase(guest.userid);
    guest.faulted = true;
    control_.force_off(guest, why);
}

/// Owes the guest a publish and a wake-up at the end of the round.
void Delivery::touch(Guest& guest) {
    if (guest.touched) {
        return;
    }
    guest.touched = true;
    auto it = guests_.find(guest.userid);
    if (it != guests_.end() && it->second.get() == &guest) {
        touched_.push_back(it->second);
    } else { // not in the table (a test double, or already removed): wake it now
        guest.touched = false;
        guest.inbound.set_deferred_publish(false);
        guest.wake();
    }
}

void Delivery::flush_wakeups() {
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
