// SPDX-License-Identifier: MIT
// Spawner: cpd's end of the spawn helper (spawner/spawn_helper.hpp), on the
// io_context. Orders go out without blocking (queued while the helper's
// socket is full), answers come back as events. If the helper dies, the
// Spawner drains what it had said, tells its owner, and starts a new one;
// orders not yet sent go to the new helper.
#pragma once

#include "spawner/spawn_helper.hpp"
#include "spawner/spawn_wire.hpp"

#include "cpd/ipc/unique_fd.hpp"

#include <deque>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>

namespace cpd::daemon {

class Spawner {
  public:
    /// What the helper says, and that it was lost.
    struct Events {
        std::function<void(const Started&)> on_started;
        std::function<void(const ExecHeard&)> on_exec;
        std::function<void(const OutputLine&)> on_output;
        std::function<void(const Exited&)> on_exited;
        /// The helper ended (`why`); `unstarted` are the tags it took but never
        /// answered Started for. Its guests die with it (their parent-death
        /// signal) and are cpd's children now (cpd is their subreaper).
        std::function<void(const std::string& why, const std::vector<std::uint64_t>& unstarted)>
            on_lost;
    };

    Spawner(boost::asio::io_context& io, Events events);
    Spawner(const Spawner&) = delete;
    Spawner& operator=(const Spawner&) = delete;
    ~Spawner();

    /// Uses `helper` if it runs (forked early by main), or forks one now.
    void start(HelperProcess helper);
    /// Sends (or queues) a Spawn; takes its descriptors, closed once sent.
    void spawn(SpawnOrder order, std::vector<ipc::UniqueFd> fds);
    /// Sends (or queues) a Kill. Without a helper, signals `pid` directly
    /// (if > 0): the guests are then cpd's own children until reaped.
    void kill(std::uint64_t tag, pid_t pid, int signal);
    /// True when `pid` is the helper (reaped by cpd's SIGCHLD loop).
    bool is_helper(pid_t pid) const noexcept { return helper_pid_ > 0 && pid == helper_pid_; }
    /// The helper's pid, -1 while there is none.
    pid_t helper_pid() const noexcept { return helper_pid_; }
    /// cpd reaped the helper: drain, report, start another.
    void on_helper_reaped(int wait_status);
    /// Orders cpd still holds: the helper's socket did not take them yet.
    std::size_t queued() const noexcept { return queue_.size(); }
    /// Orders waiting for the helper's socket or for its Started.
    std::size_t outstanding() const noexcept { return queue_.size() + awaiting_start_.size(); }

  private:
    struct Queued {
        std::vector<std::uint8_t> bytes;
        std::vector<ipc::UniqueFd> fds;
        std::uint64_t spawn_tag = 0; ///< 0 for a Kill
    };
    void adopt(HelperProcess helper);
    void send(Queued q);
    void do_flush();
    void do_receive();
    void drain();
    void dispatch(const FromHelper& m);
    void lose(const std::string& why);
    void do_restart();

    boost::asio::io_context& io_;
    Events events_;
    boost::asio::posix::stream_descriptor socket_;
    boost::asio::steady_timer restart_timer_;
    pid_t helper_pid_ = -1;
    bool connected_ = false;
    bool writing_ = false;
    std::deque<Queued> queue_;
    std::set<std::uint64_t> awaiting_start_; ///< sent, no Started yet
    std::uint64_t malformed_ = 0;
};

} // namespace cpd::daemon
