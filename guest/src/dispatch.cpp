// SPDX-License-Identifier: MIT
// The dispatcher: one overload per cpd->guest frame. IUCV frames for paths
// this guest no longer knows (it severed them meanwhile) are dropped, so a
// handler never hears about a path after it let go of it.
#include "dispatch.hpp"

#include "cpd/ipc/log.hpp"

namespace cpd::guest::detail {
namespace {

/// How long an IUCV answer may wait for outbound ring space before it is given up.
constexpr int answer_budget_ms = 100;

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
        if (!ctx.push_patiently(proto::IucvAnswer{f.path, accept, {}}, answer_budget_ms)) {
            CPD_LOG(warn, "iucv: path ", f.path, ": unable to answer: outbound ring full");
        }
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
    Outcome operator()(const proto::IucvSendFailed& f) {
        if (Path* p = ctx.paths().find(f.path)) {
            p->awaiting_reply.erase(f.msgid);
            h.on_iucv_send_failed(ctx, f.path, f.msgid, f.rc);
        }
        return Outcome::carry_on;
    }
};

} // namespace

Outcome dispatch(Handler& handler, ContextImpl& ctx, const proto::CpdFrame& frame) {
    return std::visit(Dispatcher{handler, ctx}, frame);
}

} // namespace cpd::guest::detail
