// SPDX-License-Identifier: MIT
// FrameHandler: the frames that are most of the traffic take direct paths
// without the GuestFrame variant (building and visiting it was a fifth of
// cpd's time per SMSG): an SmsgSend is copied out whole and decoded; an IUCV
// SEND or REPLY has its fixed prefix copied out and checked, and its data goes
// on as a view of the guest's ring, copied once, into the target's ring (the
// data is not inspected). Every other frame is copied out, decoded, dispatched.
#include "routing/frame_handler.hpp"

#include "cpd/ipc/log.hpp"
#include "cpd/proto/spool_frame.hpp"

#include <array>
#include <cstdio>
#include <cstring>
#include <ctime>

namespace cpd::daemon {

FrameHandler::FrameHandler(Delivery& delivery, SmsgRouter& smsg, GuestControl& control,
                           GuestCommands& commands, ConsoleHub& console, IucvHandler& iucv)
    : delivery_(delivery), smsg_(smsg), control_(control), commands_(commands), console_(&console),
      iucv_(&iucv) {
    buffer_.reserve(64 * 1024);
}

DrainResult FrameHandler::drain(Guest& g) {
    DrainResult result;
    std::size_t spool_written = 0; // punch and printer bytes this turn (SpoolMeter)
    for (; result.frames < batch_frames; ++result.frames) {
        ipc::RecordView record;
        const ipc::RingStatus st = g.outbound.peek(record);
        if (st == ipc::RingStatus::empty) {
            return result;
        }
        if (st != ipc::RingStatus::ok) {
            fault(g, "corrupt ring");
            result.state = Drain::dead;
            return result;
        }
        if (!unmetered_ && !within_budget(g, record.type)) {
            result.state = Drain::throttled; // left on the ring, in order, for later
            return result;
        }
        if (!unmetered_ && is_held_console_output(g, record.type)) {
            g.console_held = true;
            result.state = Drain::throttled; // Poller::defer looks again shortly
            return result;
        }
        if (record.type == static_cast<std::uint32_t>(proto::SpoolFrameType::ring_write)) {
            if (!unmetered_ && !spool_meter_.admit(g.userid, spool_written, record.payload.size(),
                                                   SpoolMeter::Clock::now())) {
                result.state = Drain::more; // its next turn, after the other guests'
                return result;
            }
            spool_written += record.payload.size();
        }
        ++g.counters.frames_out;
        ++frames_;
        if ((!route_fast(g, record) && !route_decoded(g, record)) || g.faulted ||
            g.state == GuestState::gone) {
            ++result.frames;
            result.state = Drain::dead;
            return result;
        }
    }
    result.state = g.outbound.is_empty() ? Drain::empty : Drain::more;
    return result;
}

void FrameHandler::drain_last_words(Guest& g) {
    unmetered_ = true;
    for (int round = 0;
         round < 64 && !g.faulted && g.state != GuestState::gone && drain(g).state == Drain::more;
         ++round) {
    }
    unmetered_ = false;
}

bool FrameHandler::within_budget(Guest& g, std::uint32_t type) {
    using T = proto::RingFrameType;
    BudgetKind kind;
    switch (static_cast<T>(type)) {
    case T::cp_command: kind = BudgetKind::cp_command; break;
    case T::console_output: kind = BudgetKind::console_line; break;
    default: return true;
    }
    const BudgetVerdict verdict = g.budget.spend(kind, GuestBudget::Clock::now());
    if (verdict.log) {
        log_throttle(g.userid, g.budget, kind);
    }
    return verdict.go;
}

/// A console line while the guest's writer console is behind (holds_output):
/// it stays on the ring, in order, and the guest waits for room.
bool FrameHandler::is_held_console_output(const Guest& g, std::uint32_t type) const {
    return type == static_cast<std::uint32_t>(proto::RingFrameType::console_output) &&
           console_ != nullptr && console_->holds_output(g.userid);
}

/// The direct paths; true if the record was handled (and consumed), false for
/// other types and for an SmsgSend too long to be valid (the general path refuses it).
bool FrameHandler::route_fast(Guest& g, const ipc::RecordView& record) {
    using T = proto::RingFrameType;
    switch (static_cast<T>(record.type)) {
    case T::smsg_send:
        return route_smsg(g, record);
    case T::iucv_send:
        return route_iucv_data<proto::IucvSend>(g, record);
    case T::iucv_reply:
        return route_iucv_data<proto::IucvReply>(g, record);
    default:
        return proto::is_spool_ring_type(record.type) && route_spool(g, record);
    }
}

/// A spool frame (punch/print data, a reader read): copied out, then handed
/// to the spool, which checks it. False (the general path refuses the type)
/// where this cpd has no spool.
bool FrameHandler::route_spool(Guest& g, const ipc::RecordView& record) {
    if (spool_ == nullptr) {
        return false;
    }
    try {
        buffer_.assign(record.payload.begin(), record.payload.end());
    } catch (const std::bad_alloc&) {
        g.outbound.consume();
        fault(g, "out of memory copying a frame");
        return true;
    }
    g.outbound.consume();
    if (!spool_->on_spool_frame(g, record.type, buffer_)) {
        fault(g, "corrupt spool frame");
    }
    return true;
}

/// An SmsgSend, copied out whole: its text is checked, so the check must see
/// bytes the guest can no longer change.
bool FrameHandler::route_smsg(Guest& g, const ipc::RecordView& record) {
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

/// An IucvSend or IucvReply: the fixed prefix (path, msgid, flag, length) is
/// copied out before it is checked; the data stays a view of the guest's ring
/// until the target's push has copied it, and only then is the record consumed.
template <class Frame> bool FrameHandler::route_iucv_data(Guest& g, const ipc::RecordView& record) {
    constexpr std::size_t n = proto::iucv_data_prefix<Frame>;
    std::array<std::byte, n> prefix{};
    if (record.payload.size() < n) {
        g.outbound.consume();
        fault_frame(g, record.type, proto::errc::truncated);
        return true;
    }
    std::memcpy(prefix.data(), record.payload.data(), n);
    const auto frame = proto::decode_iucv_split<Frame>(prefix, record.payload.subspan(n));
    if (!frame) {
        g.outbound.consume();
        fault_frame(g, record.type, frame.error());
        return true;
    }
    iucv_->on_guest_frame(g.userid, proto::GuestFrame{*frame});
    g.outbound.consume();
    return true;
}

/// Any other frame: copied out of shared memory, decoded, dispatched. False if
/// the guest was faulted.
bool FrameHandler::route_decoded(Guest& g, const ipc::RecordView& record) {
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

/// Routes an SMSG a guest sent; a refusal goes back to it as a CP error
/// message (EMSG), shown as its SET EMSG says (not at all when OFF).
void FrameHandler::on_guest_smsg(Guest& g, const proto::SmsgSend& m) {
    const proto::CpRc rc = smsg_.route_checked(g.userid, &g, m.to, m.text);
    if (rc != proto::CpRc::ok && rc != proto::CpRc::busy) {
        if (const auto shown = shape_emsg(g.messages.emsg, smsg_refusal_text(rc, m.to))) {
            delivery_.owe(g, proto::MessageDeliver{cp_sender(), proto::MessageKind::emsg,
                                                   std::time(nullptr), *shown});
        }
    }
}

/// Acts on one decoded frame from a guest.
void FrameHandler::dispatch(Guest& g, const proto::GuestFrame& frame) {
    if (const auto* m = std::get_if<proto::SmsgSend>(&frame)) {
        on_guest_smsg(g, *m);
    } else if (const auto* s = std::get_if<proto::SetSmsg>(&frame)) {
        g.smsg_on = s->on;
    } else if (std::holds_alternative<proto::LogoffRequest>(frame)) {
        control_.logoff_requested(g);
    } else if (const auto* c = std::get_if<proto::CpCommand>(&frame)) {
        GuestCommandResult r = commands_.run_for_guest(g, c->text);
        delivery_.owe(g, proto::CpResponse{c->tag, r.rc, r.text}); // CMS waits for it
    } else if (const auto* o = std::get_if<proto::ConsoleOutput>(&frame)) {
        console_->on_console_output(g.userid, o->line);
    } else if (const auto* e = std::get_if<proto::ConsoleEnd>(&frame)) {
        console_->on_console_end(g.userid, e->rc, e->mode);
    } else if (const auto* p = std::get_if<proto::HandlerPanic>(&frame)) {
        control_.panicked(g, p->what);
    } else {
        iucv_->on_guest_frame(g.userid, frame);
    }
}

void FrameHandler::fault_frame(Guest& g, std::uint32_t type, proto::errc error) {
    char hex[16];
    std::snprintf(hex, sizeof hex, "0x%04x", type);
    fault(g,
          std::string("corrupt frame: type ") + hex + ": " + std::string(proto::describe(error)));
}

void FrameHandler::fault(Guest& g, const std::string& reason) {
    CPD_LOG(error, "router: ", g.userid.str(), ": corrupt frame/ring: ", reason);
    g.faulted = true;
    control_.force_off(g, "corrupt frame/ring: " + reason);
}

} // namespace cpd::daemon
