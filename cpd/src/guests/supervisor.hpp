// SPDX-License-Identifier: MIT
// Supervisor: the guest table and each guest's lifecycle (logging_on ->
// running -> logging_off -> gone). Logs guests on (a segment and bells here,
// the fork by the spawn helper, whose answers say it was forked, exec'd and
// exited), logs them off (Logoff frame, grace timer, SIGKILL through the
// helper), ends the guests of a helper that died (then cpd's own children,
// reaped by the SIGCHLD loop), and shuts down.
#pragma once

#include "control/cp_outcome.hpp"
#include "config/directory/directory.hpp"
#include "guests/guest.hpp"
#include "isolation/guest_isolation.hpp"
#include "minidisks/minidisk_links.hpp"
#include "config/options.hpp"
#include "guests/spawn.hpp"
#include "spawner/spawner.hpp"

#include "cpd/proto/rc.hpp"
#include "cpd/proto/ring_frame.hpp"
#include "cpd/proto/socket_frame.hpp"

#include <functional>
#include <unordered_map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/io_context.hpp>

namespace cpd::daemon {

/// Owns the guest table and every guest's process.
class Supervisor {
public:
    /// What the Supervisor tells the rest of the daemon.
    struct Hooks {
        std::function<void(const std::shared_ptr<Guest>&)> on_logged_on;
        std::function<void(Guest&, proto::CloseReason, const std::string& why)> on_gone;
        std::function<void()> on_count_changed;
        /// Its process is reaped: what it wrote last (a handler panic saying
        /// why it ended) is read before its end is decided.
        std::function<void(Guest&)> on_reaped;
    };

    /// `helper`: the spawn helper main forked early; none: one is forked now.
    Supervisor(boost::asio::io_context& io, const Options& options, GuestIsolation& isolation,
               MinidiskLinks& links, Hooks hooks, HelperProcess helper = {});

    /// Logs `userid` on as `by` asked: 53 not in directory, 54 already on, 64 NOLOG,
    /// 71 could not fork it, 99 shutting down. Answers once the child is forked;
    /// the guest is logging_on until the loop hears of its exec, and a child
    /// that cannot exec ends that session (its end: not_started).
    CpOutcome logon(const proto::Userid& userid, const Directory& directory, std::string_view by);
    /// Sends Logoff(reason) and starts the grace timer: 45 if not logged on.
    CpOutcome logoff(const proto::Userid& userid, proto::LogoffReason reason, std::string_view by);
    /// Kills a guest at once (corrupt ring); it is removed when reaped.
    void kill_guest(Guest& guest, const std::string& reason);
    /// Records that a guest's handler threw (its exit is then logged as a crash).
    void note_panic(Guest& guest, std::string_view what);
    /// Logs everyone off with reason shutdown; calls `done` once the table is empty.
    void shutdown(std::function<void()> done);
    /// Calls `done` (posted on the loop) once no guest is logging_on: start-up
    /// says READY when the autolog guests run, as it did when spawn waited.
    void when_all_started(std::function<void()> done);
    /// Reaps any exited child: the spawn helper, the guardian, and guests
    /// whose helper died (cpd is their subreaper).
    void reap_children();
    /// Logons the spawn helper has not yet answered Started for.
    std::size_t spawns_outstanding() const noexcept { return spawner_.outstanding(); }
    /// The spawn helper's pid (-1 while there is none), for tests.
    pid_t helper_pid() const noexcept { return spawner_.helper_pid(); }
    /// The table (for the Router, commands and STATUS).
    const GuestTable& guests() const noexcept { return guests_; }
    /// The guest with this userid, or nullptr.
    std::shared_ptr<Guest> find(const proto::Userid& userid) const;

private:
    Spawner::Events spawner_events();
    void on_started(const Started& started);
    void on_exec(const ExecHeard& heard);
    void on_exec_report(const std::shared_ptr<Guest>& guest, const ExecReport& report);
    void on_helper_lost(const std::string& why, const std::vector<std::uint64_t>& unstarted);
    void kill_process(const Guest& guest);
    std::shared_ptr<Guest> by_tag(std::uint64_t tag) const;
    void on_exit(const std::shared_ptr<Guest>& guest, int wait_status);
    GuestEnd end_of(const Guest& guest, int wait_status, const std::string& why) const;
    void send_logoff(const std::shared_ptr<Guest>& guest);
    void start_grace(const std::shared_ptr<Guest>& guest);
    void check_done();
    void check_started();
    /// Marks `guest` as no longer logging_on (once), for check_started.
    void end_logging_on(Guest& guest);

    boost::asio::io_context& io_;
    const Options& options_;
    GuestIsolation& isolation_;
    MinidiskLinks& links_;
    Hooks hooks_;
    GuestTable guests_;
    /// The same guests by pid: a reaped child is found without a walk of the
    /// table (10,000 guests ending at SHUTDOWN would make that quadratic).
    std::unordered_map<pid_t, std::shared_ptr<Guest>> by_pid_;
    /// The same guests by the tag the spawn helper knows them by.
    std::unordered_map<std::uint64_t, std::shared_ptr<Guest>> by_tag_;
    std::uint64_t next_tag_ = 1;
    std::size_t logging_on_ = 0; ///< guests whose exec is not yet heard
    std::size_t own_descriptors_ = 0; ///< open at start: what is not the guests'
    bool one_descriptor_bells_ = false; ///< no room for two per user at the last logon
    bool shutting_down_ = false;
    std::function<void()> shutdown_done_;
    std::function<void()> started_;
    Spawner spawner_; ///< last: its destructor ends the helper before the table goes
};

} // namespace cpd::daemon
