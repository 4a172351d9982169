// SPDX-License-Identifier: MIT
// Restart decisions. A guest is restarted only for ends it did not choose
// (is_restartable): a LOGOFF, a user's FORCE or a shutdown never brings it
// back. A restart that cannot even start the program gives up at once, since
// the next would fail the same way. The operator's messages:
//   HCPRST001W userid ended abnormally (<end>)[; restarting in <time>]
//   HCPRST002E userid will not be restarted: <why>
#include "guests/lifecycle/restarter.hpp"

#include "cpd/ipc/log.hpp"

#include <algorithm>

namespace cpd::daemon {
namespace asio = boost::asio;
using std::chrono::milliseconds;

std::string duration_text(milliseconds d) {
    if (d.count() % 1000 == 0) {
        return std::to_string(d.count() / 1000) + " s";
    }
    return std::to_string(d.count()) + " ms";
}

Restarter::Restarter(asio::io_context& io, RestartTarget& target) : io_(io), target_(target) {}

void Restarter::on_logon(const proto::Userid& userid) {
    Record& r = records_[userid];
    if (restarting_ == userid) {
        r.session_is_restart = true;
        return;
    }
    if (r.pending) {
        CPD_LOG(info, "restart: ", userid.str(), ": logged on by a user; its restart is cancelled");
        r.timer->cancel();
        r.pending = false;
    }
    r.session_is_restart = false;
    r.given_up.clear();
    r.window.clear(); // a user's logon starts the limit afresh
}

void Restarter::on_end(const proto::Userid& userid, const GuestEnd& end) {
    Record& r = records_[userid];
    r.last_end = end;
    const RestartPolicy* policy = target_.restart_policy(userid);
    const bool crashed = is_restartable(end.kind);
    if (stopped_ || policy == nullptr) {
        if (crashed) {
            target_.operator_message("HCPRST001W " + std::string(userid.str()) +
                                     " ended abnormally (" + describe(end) + ")");
        }
        return;
    }
    answer(userid, r, end, *policy);
}

/// Applies `policy` to an end of a guest that has one.
void Restarter::answer(const proto::Userid& userid, Record& r, const GuestEnd& end,
                       const RestartPolicy& policy) {
    const std::string id(userid.str());
    if (!is_restartable(end.kind)) {
        if (end.kind == EndKind::not_started && r.session_is_restart) {
            return give_up(userid, r, "the restart could not start it: " + end.detail);
        }
        CPD_LOG(info, "restart: ", id, ": not restarted: ", describe(end),
                " (RESTART answers crashes only)");
        return;
    }
    const RestartDecision d = r.window.decide(policy, Clock::now());
    if (!d.restart) {
        target_.operator_message("HCPRST001W " + id + " ended abnormally (" + describe(end) + ")");
        return give_up(userid, r,
                       std::to_string(d.recent) + " restarts within " +
                           duration_text(policy.window) + " (LIMIT " +
                           std::to_string(policy.limit) + ")");
    }
    CPD_LOG(warn, "restart: ", id, ": ", describe(end), ": restarting in ", duration_text(d.delay),
            " (backoff for restart ", d.recent + 1, " of at most ", policy.limit, " within ",
            duration_text(policy.window), ")");
    target_.operator_message("HCPRST001W " + id + " ended abnormally (" + describe(end) +
                             "); restarting in " + duration_text(d.delay));
    schedule(userid, r, d.delay);
}

/// Arms the restart timer.
void Restarter::schedule(const proto::Userid& userid, Record& r, milliseconds delay) {
    if (!r.timer) {
        r.timer = std::make_unique<asio::steady_timer>(io_);
    }
    r.pending = true;
    r.restart_at = Clock::now() + delay;
    r.timer->expires_at(r.restart_at);
    r.timer->async_wait([this, userid](const boost::system::error_code& ec) {
        if (!ec) {
            do_restart(userid);
        }
    });
}

/// The backoff is over: logs the guest on again, unless something changed meanwhile.
void Restarter::do_restart(const proto::Userid& userid) {
    Record& r = records_[userid];
    if (!r.pending || stopped_) {
        return;
    }
    r.pending = false;
    const std::string id(userid.str());
    if (target_.restart_policy(userid) == nullptr) {
        CPD_LOG(info, "restart: ", id, ": not restarted: its RESTART statement is gone");
        return;
    }
    r.window.note_restart(Clock::now());
    ++r.restarts;
    CPD_LOG(info, "restart: ", id, ": restarting (restart ", r.restarts, " since cpd started)");
    restarting_ = userid;
    const CpOutcome out = target_.restart_logon(userid);
    restarting_.reset();
    if (out.rc != proto::CpRc::ok) {
        give_up(userid, r, "its logon failed: " + out.text);
    }
}

/// Stops restarting `userid`, and says so in the log and to the operator.
void Restarter::give_up(const proto::Userid& userid, Record& r, const std::string& why) {
    r.given_up = why;
    r.pending = false;
    CPD_LOG(error, "restart: ", userid.str(), ": giving up: ", why, "; it stays logged off");
    target_.operator_message("HCPRST002E " + std::string(userid.str()) +
                             " will not be restarted: " + why);
}

bool Restarter::cancel(const proto::Userid& userid, std::string_view by) {
    auto it = records_.find(userid);
    if (it == records_.end() || !it->second.pending) {
        return false;
    }
    Record& r = it->second;
    r.timer->cancel();
    r.pending = false;
    r.given_up = "restart cancelled by FORCE by " + std::string(by);
    CPD_LOG(info, "restart: ", userid.str(), ": ", r.given_up);
    return true;
}

void Restarter::stop() {
    stopped_ = true;
    for (auto& [userid, r] : records_) {
        if (r.pending) {
            r.timer->cancel();
            r.pending = false;
            CPD_LOG(info, "restart: ", userid.str(), ": restart cancelled: cpd is shutting down");
        }
    }
}

std::string Restarter::status(const proto::Userid& userid) const {
    auto it = records_.find(userid);
    if (it == records_.end() || !it->second.last_end) {
        return "";
    }
    return "last session ended: " + summary(userid, it->second);
}

/// "<end>; restarts N; restarting in T" or "...; not restarted: why".
std::string Restarter::summary(const proto::Userid& userid, const Record& r) const {
    std::string out = describe(*r.last_end);
    if (r.restarts > 0 || target_.restart_policy(userid) != nullptr) {
        out += "; restarts " + std::to_string(r.restarts);
    }
    if (r.pending) {
        const auto left = std::chrono::duration_cast<milliseconds>(r.restart_at - Clock::now());
        out += "; restarting in " + duration_text(std::max(left, milliseconds(0)));
    } else if (!r.given_up.empty()) {
        out += "; not restarted: " + r.given_up;
    }
    return out;
}

std::uint64_t Restarter::restarts(const proto::Userid& userid) const {
    auto it = records_.find(userid);
    return it == records_.end() ? 0 : it->second.restarts;
}

std::vector<std::pair<proto::Userid, std::string>> Restarter::summaries() const {
    std::vector<std::pair<proto::Userid, std::string>> out;
    for (const auto& [userid, r] : records_) {
        if (r.last_end) {
            out.emplace_back(userid, summary(userid, r));
        }
    }
    return out;
}

} // namespace cpd::daemon
