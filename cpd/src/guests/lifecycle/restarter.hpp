// SPDX-License-Identifier: MIT
// Restarter: each guest's last end and restart count, and the restart
// policies of the directory's RESTART statements. When a guest with a policy
// crashes or CP kills it, it logs the guest on again after a backoff, at most
// LIMIT times within WITHIN, then gives up; every decision is logged with its
// reason and the operator is told of crashes and give-ups. Knows nothing of
// processes: the Daemon reports logons and ends and does the logon.
#pragma once

#include "control/cp_outcome.hpp"
#include "config/directory/directory.hpp"
#include "guests/lifecycle/guest_end.hpp"
#include "guests/lifecycle/restart_window.hpp"

#include "cpd/proto/userid.hpp"

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

namespace cpd::daemon {

/// What the Restarter needs from the daemon.
class RestartTarget {
  public:
    virtual ~RestartTarget() = default;
    /// The RESTART policy the directory now gives `userid`, or nullptr.
    virtual const RestartPolicy* restart_policy(const proto::Userid& userid) const = 0;
    /// Logs `userid` on again (as AUTOLOG does, by CP).
    virtual CpOutcome restart_logon(const proto::Userid& userid) = 0;
    /// Writes a CP message on the consoles of those who asked for crash messages.
    virtual void operator_message(const std::string& text) = 0;
};

/// Last ends, restart counts and pending restarts, by userid.
class Restarter {
  public:
    using Clock = std::chrono::steady_clock;

    Restarter(boost::asio::io_context& io, RestartTarget& target);
    Restarter(const Restarter&) = delete;
    Restarter& operator=(const Restarter&) = delete;

    /// A session of `userid` began. One the Restarter did not start (XAUTOLOG,
    /// autolog) cancels a pending restart and starts the limit afresh.
    void on_logon(const proto::Userid& userid);
    /// A session of `userid` ended as `end`: recorded, and answered by its policy.
    void on_end(const proto::Userid& userid, const GuestEnd& end);
    /// FORCE of a guest that is waiting for its restart: cancels it; false if none was pending.
    bool cancel(const proto::Userid& userid, std::string_view by);
    /// cpd is shutting down: cancels every pending restart and makes no more.
    void stop();

    /// "last session ended: ...; restarts N; restarting in T" (or "; not
    /// restarted: why"), or "" if `userid` never ended a session.
    std::string status(const proto::Userid& userid) const;
    /// Times cpd restarted `userid` since it started.
    std::uint64_t restarts(const proto::Userid& userid) const;
    /// status() of every userid that ended a session without its "last
    /// session ended: " (QUERY STATS' ENDED lines), by userid.
    std::vector<std::pair<proto::Userid, std::string>> summaries() const;

  private:
    struct Record {
        std::optional<GuestEnd> last_end;
        std::uint64_t restarts = 0;
        RestartWindow window;
        bool session_is_restart = false; ///< the latest session was a restart
        bool pending = false;            ///< a restart waits for its timer
        Clock::time_point restart_at;
        std::string given_up; ///< why it is not restarted any more ("": it is not)
        std::unique_ptr<boost::asio::steady_timer> timer;
    };

    void answer(const proto::Userid& userid, Record& r, const GuestEnd& end,
                const RestartPolicy& policy);
    void schedule(const proto::Userid& userid, Record& r, std::chrono::milliseconds delay);
    void do_restart(const proto::Userid& userid);
    void give_up(const proto::Userid& userid, Record& r, const std::string& why);
    std::string summary(const proto::Userid& userid, const Record& r) const;

    boost::asio::io_context& io_;
    RestartTarget& target_;
    std::map<proto::Userid, Record> records_; ///< directory users only, so bounded
    std::optional<proto::Userid> restarting_; ///< set while do_restart logs it on
    bool stopped_ = false;
};

/// "250 ms", "2 s": a duration as the log and QUERY show it.
std::string duration_text(std::chrono::milliseconds d);

} // namespace cpd::daemon
