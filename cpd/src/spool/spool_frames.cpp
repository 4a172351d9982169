// SPDX-License-Identifier: MIT
// SpoolFrames (spool_frames.hpp). A guest's frame that does not decode ends
// the guest, as any corrupt frame does; a client's gets an error answer.
#include "spool/spool_frames.hpp"

#include "cpd/ipc/log.hpp"
#include "cpd/proto/spool_frame.hpp"

#include <chrono>

namespace cpd::daemon {
namespace {

using T = proto::SpoolFrameType;
constexpr std::uint32_t type_of(T t) {
    return static_cast<std::uint32_t>(t);
}
/// Frames waiting for full rings, all guests together; past it the oldest go.
constexpr std::size_t max_pending = 256;

} // namespace

SpoolFrames::SpoolFrames(boost::asio::io_context& io, SpoolService& spool, Router& router)
    : spool_(spool), router_(router), retry_(io) {}

bool SpoolFrames::on_spool_frame(Guest& g, std::uint32_t type, std::span<const std::byte> payload) {
    const SpoolCaller caller{g.userid, false, true, &g};
    if (type == type_of(T::ring_write)) {
        const auto w = proto::decode_spool_write(payload);
        if (!w) {
            return false;
        }
        const CpOutcome r = spool_.write(caller, *w);
        if (r.rc != proto::CpRc::ok) {
            router_.notify_guest(g.userid, proto::CpMessage{r.text});
        }
        return true;
    }
    if (type == type_of(T::ring_read)) {
        const auto rd = proto::decode_spool_read(payload);
        if (!rd) {
            return false;
        }
        const auto r = spool_.read(caller, rd->spoolid, rd->offset, chunk_);
        const std::string& text = r.outcome.text;
        const std::span<const std::byte> body = r.outcome.rc == proto::CpRc::ok
                                                    ? std::span<const std::byte>(chunk_)
                                                    : std::as_bytes(std::span(text));
        send(g.userid, type_of(T::ring_data),
             proto::encode(proto::SpoolData{rd->tag, r.outcome.rc, r.next, r.eof, body}));
        return true;
    }
    return false; // a cpd->guest type on the outbound ring
}

bool SpoolFrames::on_client_frame(ControlSession& session, const Caller& caller, std::uint16_t type,
                                  std::span<const std::byte> payload) {
    const SpoolCaller who{caller.userid, caller.has_any_class("D"), false, &session};
    if (type == type_of(T::socket_write)) {
        const auto w = proto::decode_spool_write(payload);
        if (!w) {
            session.send(proto::ServerCpResponse{proto::CpRc::invalid_operand,
                                                 "HCPSPL026E Spool data invalid: " +
                                                     std::string(proto::describe(w.error()))});
            return true;
        }
        const CpOutcome r = spool_.write(who, *w);
        session.send(proto::ServerCpResponse{r.rc, r.text});
        return true;
    }
    if (type == type_of(T::socket_read)) {
        const auto rd = proto::decode_spool_read(payload);
        if (!rd) {
            session.send(proto::ServerCpResponse{proto::CpRc::invalid_operand,
                                                 "HCPSPL026E Spool read invalid"});
            return true;
        }
        const auto r = spool_.read(who, rd->spoolid, rd->offset, chunk_);
        const std::string& text = r.outcome.text;
        const std::span<const std::byte> body = r.outcome.rc == proto::CpRc::ok
                                                    ? std::span<const std::byte>(chunk_)
                                                    : std::as_bytes(std::span(text));
        const auto frame =
            proto::encode(proto::SpoolData{rd->tag, r.outcome.rc, r.next, r.eof, body});
        session.send_raw(static_cast<std::uint16_t>(T::socket_data), frame);
        return true;
    }
    return false;
}

void SpoolFrames::on_arrival(const SpoolFile& f, const std::string& message, bool show_message) {
    if (!router_.is_logged_on(f.owner)) {
        return; // it waits in the reader; QUERY RDR shows it
    }
    if (show_message) {
        router_.notify_guest(f.owner, proto::CpMessage{message});
    } else {
        CPD_LOG(info, "spool: ", f.owner.str(), ": arrival message of reader file ", f.spoolid,
                " not shown: IMSG OFF");
    }
    const std::string name = f.type.empty() ? f.name : f.name + " " + f.type;
    send(f.owner, type_of(T::ring_reader_file),
         proto::encode(proto::ReaderFileArrived{f.spoolid, f.origin, f.made_on, f.spool_class,
                                                f.records, f.hold, name}));
}

void SpoolFrames::send(const proto::Userid& to, std::uint32_t type,
                       std::vector<std::byte> payload) {
    if (pending_.empty()) {
        const auto st = router_.send_raw(to, type, payload);
        if (!st || *st != ipc::RingStatus::full) {
            if (st && *st != ipc::RingStatus::ok) {
                CPD_LOG(warn, "spool: ", to.str(), ": frame dropped: its ring cannot carry it");
            }
            return;
        }
    }
    if (pending_.size() >= max_pending) {
        CPD_LOG(warn, "spool: ", pending_.front().to.str(),
                ": frame dropped: too many frames wait for full rings");
        pending_.pop_front();
    }
    pending_.push_back({to, type, std::move(payload)});
    do_retry();
}

/// Retries the waiting frames in order, every millisecond while any wait.
void SpoolFrames::do_retry() {
    if (retrying_) {
        return;
    }
    retrying_ = true;
    retry_.expires_after(std::chrono::milliseconds(1));
    retry_.async_wait([this](const boost::system::error_code& ec) {
        retrying_ = false;
        if (ec) {
            return;
        }
        while (!pending_.empty()) {
            Pending& p = pending_.front();
            const auto st = router_.send_raw(p.to, p.type, p.payload);
            if (st && *st == ipc::RingStatus::full) {
                do_retry();
                return;
            }
            pending_.pop_front(); // sent, or its guest is gone
        }
    });
}

} // namespace cpd::daemon
