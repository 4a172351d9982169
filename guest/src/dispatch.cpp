// SPDX-License-Identifier: MIT
// The dispatcher: one overload per cpd->guest frame. IUCV frames for paths
// this guest no longer knows (it severed them meanwhile) are dropped, so a
// handler never hears about a path after it let go of it.
#include "dispatch.hpp"

#include "cpd/ipc/log.hpp"
#include "cpd/proto/spool_frame.hpp"

#include <chrono>

namespace cpd::guest::detail {
namespace {

/// How often an IUCV answer that found the outbound ring full is retried.
constexpr std::chrono::microseconds answer_retry{200};

/// Sends an IUCV answer. An unanswered connection would stay pending in CP, so
/// while the outbound ring is full the answer is retried from the event loop
/// (never by waiting here) until it goes out or the guest logs off.
void send_answer(ContextImpl& ctx, const proto::IucvAnswer& answer) {
    const ipc::RingStatus s = ctx.push(answer);
    if (s == ipc::RingStatus::ok) {
        ctx.flush();
    } else if (s == ipc::RingStatus::full) {
        ctx.call_later(answer_retry, [&ctx, answer](Context&) { send_answer(ctx, answer); });
    } else {
        CPD_LOG(error, "iucv: path ", answer.path, ": unable to answer: outbound ring unusable");
    }
}

struct Dispatcher {
    Handler& h;
    ContextImpl& ctx;

    Outcome operator()(const proto::SmsgDeliver& f) {
        h.on_smsg(ctx, f.from, f.text);
        return Outcome::carry_on;
    }
    Outcome operator()(const proto::CpMessage& f) {
        h.on_cp_message(ctx, f.text);
        return Outcome::carry_on;
    }
    Outcome operator()(const proto::MessageDeliver& f) {
        h.on_message(ctx, f.from, f.text, f.kind);
        return Outcome::carry_on;
    }
    Outcome operator()(const proto::Logoff& f) {
        CPD_LOG(debug, "runtime: logoff (reason ", static_cast<int>(f.reason), ")");
        h.on_logoff(ctx);
        return Outcome::logged_off;
    }
    Outcome operator()(const proto::CpResponse& f) {
        h.on_cp_response(ctx, f.tag, f.rc, f.text);
        return Outcome::carry_on;
    }
    Outcome operator()(const proto::ConsoleInput& f) {
        if (const std::optional<int> rc = h.on_console_input(ctx, f.line)) {
            ctx.console_end(*rc);
        }
        return Outcome::carry_on;
    }
    Outcome operator()(const proto::IucvPending& f) {
        const bool accept = h.on_connection_pending(ctx, f.path, f.from, f.user_data);
        if (accept) {
            ctx.paths().add_incoming(f.path);
        }
        send_answer(ctx, proto::IucvAnswer{f.path, accept, {}});
        return Outcome::carry_on;
    }
    Outcome operator()(const proto::IucvComplete& f) {
        if (ctx.paths().complete(f.path, f.msglimit)) {
            h.on_connection_complete(ctx, f.path, f.peer, f.user_data);
        }
        return Outcome::carry_on;
    }
    Outcome operator()(const proto::IucvFailed& f) {
        if (ctx.paths().find(f.path) != nullptr) {
            ctx.paths().erase(f.path);
            h.on_connection_failed(ctx, f.path, f.rc);
        }
        return Outcome::carry_on;
    }
    Outcome operator()(const proto::IucvSevered& f) {
        if (ctx.paths().find(f.path) != nullptr) {
            ctx.paths().erase(f.path);
            h.on_connection_severed(ctx, f.path, f.peer, f.user_data);
        }
        return Outcome::carry_on;
    }
    Outcome operator()(const proto::IucvMessage& f) {
        Path* p = ctx.paths().find(f.path);
        if (p == nullptr) {
            return Outcome::carry_on;
        }
        if (f.two_way && p->unreplied.size() < max_unreplied) {
            p->unreplied.insert(f.msgid);
        }
        h.on_iucv_message(ctx, f.path, f.msgid, f.data, f.two_way);
        return Outcome::carry_on;
    }
    Outcome operator()(const proto::IucvReplyIn& f) {
        Path* p = ctx.paths().find(f.path);
        if (p != nullptr && p->awaiting_reply.erase(f.msgid) != 0) {
            h.on_iucv_reply(ctx, f.path, f.msgid, f.data);
        }
        return Outcome::carry_on;
    }
    Outcome operator()(const proto::IucvQuiesced& f) {
        if (Path* p = ctx.paths().find(f.path)) {
            p->peer_quiesced = true;
            h.on_path_quiesced(ctx, f.path, f.user_data);
        }
        return Outcome::carry_on;
    }
    Outcome operator()(const proto::IucvResumed& f) {
        if (Path* p = ctx.paths().find(f.path)) {
            p->peer_quiesced = false;
            h.on_path_resumed(ctx, f.path, f.user_data);
        }
        return Outcome::carry_on;
    }
    Outcome operator()(const proto::DeviceChange& f) {
        h.on_device_change(ctx, f.vdev, f.attached, f.write, f.path);
        return Outcome::carry_on;
    }
    Outcome operator()(const proto::IucvSendFailed& f) {
        if (Path* p = ctx.paths().find(f.path)) {
            p->awaiting_reply.erase(f.msgid);
            h.on_iucv_send_failed(ctx, f.path, f.msgid, f.rc);
        }
        return Outcome::carry_on;
    }
};

/// Decodes a payload known to be an F with `Decode` and hands it to the dispatcher.
template <class F, proto::Result<F> (*Decode)(proto::Bytes) noexcept = proto::decode_as<F>>
proto::Result<Outcome> decode_to(Dispatcher& d, proto::Bytes payload) {
    const proto::Result<F> frame = Decode(payload);
    if (!frame) {
        return proto::Unexpected{frame.error()};
    }
    return d(*frame);
}

/// The spool's frames (spool_frame.hpp): a reader file's data, an arrival.
proto::Result<Outcome> dispatch_spool(Handler& h, ContextImpl& ctx, std::uint32_t type,
                                      proto::Bytes payload) {
    if (type == static_cast<std::uint32_t>(proto::SpoolFrameType::ring_data)) {
        const auto d = proto::decode_spool_data(payload);
        if (!d) {
            return proto::Unexpected{d.error()};
        }
        const bool ok = d->rc == proto::CpRc::ok;
        const std::string_view error =
            ok ? std::string_view{}
               : std::string_view(reinterpret_cast<const char*>(d->records.data()), d->records.size());
        h.on_spool_data(ctx, d->tag, d->rc, ok ? d->records : proto::Bytes{}, d->next, d->eof, error);
        return Outcome::carry_on;
    }
    const auto f = proto::decode_reader_file(payload);
    if (!f) {
        return proto::Unexpected{f.error()};
    }
    const std::size_t blank = f->name.find(' ');
    ReaderFile file{f->from};
    file.spoolid = f->spoolid;
    file.origin = proto::device_name(f->origin);
    file.spool_class = f->spool_class;
    file.records = f->records;
    file.hold = f->hold;
    file.name = f->name.substr(0, blank);
    file.type = blank == std::string_view::npos ? std::string_view{} : f->name.substr(blank + 1);
    h.on_reader_file(ctx, file);
    return Outcome::carry_on;
}

} // namespace

proto::Result<Outcome> decode_and_dispatch(Handler& handler, ContextImpl& ctx, std::uint32_t type,
                                           proto::Bytes payload) {
    Dispatcher d{handler, ctx};
    using T = proto::RingFrameType;
    switch (static_cast<T>(type)) {
    // cpd checked an SMSG's text before it sent it, and scanning it again was
    // about a sixth of a receiving guest's time per SMSG (perf, bench_hop).
    case T::smsg_deliver:
        return decode_to<proto::SmsgDeliver, proto::decode_as_trusted<proto::SmsgDeliver>>(d, payload);
    case T::iucv_message: return decode_to<proto::IucvMessage>(d, payload);
    case T::iucv_reply_in: return decode_to<proto::IucvReplyIn>(d, payload);
    default: break;
    }
    if (proto::is_spool_ring_type(type)) {
        return dispatch_spool(handler, ctx, type, payload);
    }
    const proto::Result<proto::CpdFrame> frame = proto::decode_cpd_frame(type, payload);
    if (!frame) {
        return proto::Unexpected{frame.error()};
    }
    return std::visit(d, *frame);
}

} // namespace cpd::guest::detail
