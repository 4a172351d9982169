// SPDX-License-Identifier: MIT
// The helper's loop: one epoll over cpd's socket, a signalfd for SIGCHLD,
// and each guest's report and output pipes. Orders are carried out as they
// arrive; answers queue while cpd's socket is full, and while that queue is
// long no output pipe is read: a flooding guest then waits in its write.
#include "spawner/spawn_helper.hpp"

#include "spawner/guest_output_lines.hpp"
#include "isolation/blocked_fork.hpp"
#include "isolation/daemon_process.hpp"
#include "spawner/datagram.hpp"
#include "spawner/guest_launch.hpp"
#include "spawner/spawn_wire.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <deque>
#include <unordered_map>

#include <fcntl.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

namespace cpd::daemon {
namespace {

using Clock = std::chrono::steady_clock;

/// Answers queued beyond this stop every output pipe being read.
constexpr std::size_t backlog_high = 1024 * 1024;
/// ... until the queue is down to this.
constexpr std::size_t backlog_low = 256 * 1024;
/// Children between fork and exec at once. Their set-up is mostly serial
/// (each takes the sweep lock of the uid range for its two kill(-1) walks),
/// so more would only wait for that lock, and give up after 5 s.
constexpr std::size_t max_setting_up = 8;
/// Orders kept waiting (each with its descriptors) before the helper stops
/// reading cpd's socket: then they wait in cpd, which refuses logons beyond
/// its own bound (guests/supervisor.hpp, max_spawns_waiting).
constexpr std::size_t max_waiting = 512;

/// What the helper keeps of one guest it forked.
struct Child {
    std::uint64_t tag = 0;
    pid_t pid = -1;
    std::string program;
    ipc::UniqueFd report;
    ipc::UniqueFd output;
    GuestOutputLines lines;
    bool output_watched = false;
    Clock::time_point resume_at{}; ///< over its log budget until then
};

/// Moves `fd` to the lowest free number from `from` on (close-on-exec); left
/// where it is if that fails.
void renumber(ipc::UniqueFd& fd, int from) {
    if (const int moved = ::fcntl(fd.get(), F_DUPFD_CLOEXEC, from); moved >= 0) {
        fd.reset(moved);
    }
}

/// The helper keeps what it holds for long (each guest's pipes, waiting
/// orders) from low_fd_end on, and what a child about to be forked uses
/// below it: the child then copies only those (guest_launch.hpp).
void keep_high(ipc::UniqueFd& fd) {
    if (fd && fd.get() < low_fd_end) {
        renumber(fd, low_fd_end);
    }
}

/// Brings a descriptor a child will use below low_fd_end (see keep_high).
void bring_low(ipc::UniqueFd& fd) {
    if (fd && fd.get() >= low_fd_end) {
        renumber(fd, 3);
    }
}

// epoll data: the key of a child times 4 plus what the descriptor is.
enum Source : std::uint64_t { from_cpd = 0, from_signals = 1, from_report = 2, from_output = 3 };

class HelperLoop {
  public:
    HelperLoop(int sock, int epoll, int signals) : sock_(sock), epoll_(epoll), signals_(signals) {
        watch(sock_, EPOLLIN, from_cpd);
        watch(signals_, EPOLLIN, from_signals);
    }
    [[noreturn]] void run();

  private:
    void watch(int fd, std::uint32_t events, std::uint64_t data, int op = EPOLL_CTL_ADD) {
        epoll_event e{};
        e.events = events;
        e.data.u64 = data;
        ::epoll_ctl(epoll_, op, fd, &e);
    }
    void on_event(const epoll_event& e);
    void on_orders();
    void on_order(Datagram& d);
    void spawn(SpawnOrder& order, std::vector<ipc::UniqueFd>& fds);
    void launch(SpawnOrder& order, std::vector<ipc::UniqueFd>& fds);
    void set_up_done(Child& c);
    void launch_waiting();
    void watch_cpd();
    void on_report(std::uint64_t key);
    void on_output(std::uint64_t key);
    void on_children_exited();
    void end_child(std::uint64_t key, int wait_status);
    void set_output_watch(Child& c, std::uint64_t key);
    void resume_paused();
    int next_timeout() const;
    void answer(const FromHelper& m);
    void flush();
    [[noreturn]] void cpd_gone();

    int sock_, epoll_, signals_;
    std::uint64_t next_key_ = 1;
    std::unordered_map<std::uint64_t, Child> children_;
    std::unordered_map<std::uint64_t, std::uint64_t> by_tag_;
    std::unordered_map<pid_t, std::uint64_t> by_pid_;
    std::deque<std::vector<std::uint8_t>> queue_;
    std::size_t queued_bytes_ = 0;
    bool backlogged_ = false;
    bool paused_any_ = false;
    std::size_t setting_up_ = 0;         ///< children whose exec is not yet heard
    std::uint32_t cpd_events_ = EPOLLIN; ///< what cpd's socket is watched for
    /// Orders waiting for a child to finish its set-up, with their descriptors.
    std::deque<std::pair<SpawnOrder, std::vector<ipc::UniqueFd>>> waiting_;
};

void HelperLoop::run() {
    epoll_event events[64];
    for (;;) {
        const int n = ::epoll_wait(epoll_, events, 64, next_timeout());
        for (int i = 0; i < n; ++i) {
            on_event(events[i]);
        }
        resume_paused();
        flush();
    }
}

void HelperLoop::on_event(const epoll_event& e) {
    const std::uint64_t key = e.data.u64 >> 2;
    switch (e.data.u64 & 3) {
    case from_cpd:
        if ((e.events & EPOLLOUT) != 0) {
            flush();
        }
        if ((e.events & (EPOLLHUP | EPOLLERR)) != 0) {
            cpd_gone(); // whether or not orders are being read
        }
        if ((e.events & EPOLLIN) != 0) {
            on_orders();
        }
        break;
    case from_signals:
        on_children_exited();
        break;
    case from_report:
        on_report(key);
        break;
    case from_output:
        on_output(key);
        break;
    }
}

void HelperLoop::on_orders() {
    for (int round = 0; round < 64 && waiting_.size() < max_waiting; ++round) {
        Datagram d;
        const int error = receive_datagram(sock_, spawn_wire_max_bytes, spawn_wire_max_fds, d);
        if (error == EAGAIN || error == EWOULDBLOCK) {
            return;
        }
        if (error != 0) {
            cpd_gone();
        }
        on_order(d);
    }
}

void HelperLoop::on_order(Datagram& d) {
    std::optional<ToHelper> order = d.truncated ? std::nullopt : unpack_to_helper(d.bytes);
    if (!order) {
        return; // cpd never sends these: nothing to answer (its descriptors close)
    }
    if (auto* kill = std::get_if<KillOrder>(&*order)) {
        if (auto t = by_tag_.find(kill->tag); t != by_tag_.end()) {
            ::kill(children_.at(t->second).pid, kill->signal); // not reaped: the pid is its own
            return;
        }
        // Killed while its order waited: it never starts, and cpd hears why.
        auto w = std::find_if(waiting_.begin(), waiting_.end(),
                              [&](const auto& o) { return o.first.tag == kill->tag; });
        if (w != waiting_.end()) {
            waiting_.erase(w);
            answer(Started{kill->tag, -1, ECANCELED, "killed before the spawn helper started it"});
        }
        return;
    }
    spawn(std::get<SpawnOrder>(*order), d.fds);
}

/// Launches now, or once fewer than max_setting_up children are setting up.
void HelperLoop::spawn(SpawnOrder& o, std::vector<ipc::UniqueFd>& fds) {
    if (setting_up_ >= max_setting_up) {
        for (ipc::UniqueFd& fd : fds) {
            keep_high(fd);
        }
        waiting_.emplace_back(std::move(o), std::move(fds));
        if (waiting_.size() == max_waiting) {
            watch_cpd(); // no more orders until some have started
        }
        return;
    }
    launch(o, fds);
}

void HelperLoop::launch_waiting() {
    const bool was_full = waiting_.size() >= max_waiting;
    while (setting_up_ < max_setting_up && !waiting_.empty()) {
        auto next = std::move(waiting_.front());
        waiting_.pop_front();
        launch(next.first, next.second);
    }
    if (was_full && waiting_.size() < max_waiting) {
        watch_cpd();
    }
}

/// cpd's socket: readable while orders may be taken, writable while answers
/// wait (its end of file and errors are reported either way).
void HelperLoop::watch_cpd() {
    std::uint32_t events = waiting_.size() < max_waiting ? std::uint32_t{EPOLLIN} : 0U;
    if (!queue_.empty()) {
        events |= EPOLLOUT;
    }
    if (events != cpd_events_) {
        watch(sock_, events, from_cpd, EPOLL_CTL_MOD);
        cpd_events_ = events;
    }
}

/// Its exec is heard, or it died before: another waiting order may go.
void HelperLoop::set_up_done(Child& c) {
    if (c.report) {
        c.report.reset(); // closing removes it from the epoll set
        --setting_up_;
    }
}

void HelperLoop::launch(SpawnOrder& o, std::vector<ipc::UniqueFd>& fds) {
    Started started;
    started.tag = o.tag;
    const auto id = proto::Userid::parse(o.userid);
    if (!id || fds.size() != o.fd_count() || by_tag_.count(o.tag) != 0) {
        started.error_number = EPROTO;
        started.error = "the spawn helper got a malformed order";
        return answer(started);
    }
    for (ipc::UniqueFd& fd : fds) {
        bring_low(fd);
    }
    SandboxPlan sandbox;
    if (o.has_credentials) {
        sandbox.credentials = GuestCredentials{o.uid, o.gid, o.sweeper};
    }
    sandbox.data_limit = o.data_limit;
    sandbox.process_limit = o.process_limit;
    sandbox.open_files = o.open_files;
    sandbox.seccomp.program = std::move(o.seccomp);
    std::size_t next = 3;
    if (o.has_landlock) {
        sandbox.landlock.fd = std::move(fds[next++]);
    }
    for (std::size_t i = 0; i < o.cgroup_count; ++i) {
        sandbox.cgroups[i] = std::move(fds[next++]);
    }
    sandbox.cgroups_confine_uid = o.cgroups_confine_uid;
    std::vector<char*> argv;
    std::vector<char*> envp;
    for (auto& s : o.argv) {
        argv.push_back(s.data());
    }
    for (auto& s : o.envp) {
        envp.push_back(s.data());
    }
    argv.push_back(nullptr);
    envp.push_back(nullptr);
    LaunchPlan plan;
    plan.program = o.program.c_str();
    plan.argv = argv.data();
    plan.envp = envp.data();
    plan.segment = fds[0].get();
    plan.inbound_bell = fds[1].get();
    plan.outbound_bell = fds[2].get();
    plan.sandbox = o.has_sandbox ? &sandbox : nullptr;
    Launched l = launch_guest(plan);
    started.pid = l.pid;
    started.error_number = l.error_number;
    started.error = l.error;
    answer(started);
    if (l.pid < 0) {
        return;
    }
    keep_high(l.exec_report);
    keep_high(l.output);
    const std::uint64_t key = next_key_++;
    Child& c = children_
                   .emplace(key, Child{o.tag,
                                       l.pid,
                                       o.program,
                                       std::move(l.exec_report),
                                       std::move(l.output),
                                       GuestOutputLines(*id, OutputBudget{}),
                                       false,
                                       {}})
                   .first->second;
    by_tag_[o.tag] = key;
    by_pid_[l.pid] = key;
    ++setting_up_;
    watch(c.report.get(), EPOLLIN, key << 2 | from_report);
    set_output_watch(c, key);
}

void HelperLoop::on_report(std::uint64_t key) {
    auto it = children_.find(key);
    if (it == children_.end() || !it->second.report) {
        return;
    }
    Child& c = it->second;
    const ChildReport r = read_child_report(c.report.get());
    if (r.status == ChildReport::Status::pending) {
        return;
    }
    answer(ExecHeard{c.tag, r.status == ChildReport::Status::failed ? r.step : 0, r.error_number});
    set_up_done(c);
    launch_waiting();
}

void HelperLoop::on_output(std::uint64_t key) {
    auto it = children_.find(key);
    if (it == children_.end() || !it->second.output) {
        return;
    }
    Child& c = it->second;
    char buffer[4096];
    const ssize_t n = ::read(c.output.get(), buffer, sizeof buffer);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
        return;
    }
    if (n <= 0) { // it closed its stdout and stderr: nothing more will come
        c.output.reset();
        c.output_watched = false;
        return;
    }
    const auto now = Clock::now();
    c.lines.feed(std::string_view(buffer, static_cast<std::size_t>(n)), now,
                 [&](const std::string& line) {
                     answer(OutputLine{c.tag, line});
                 });
    if (c.lines.over_budget(now)) { // read again once lines may be logged again
        c.resume_at = now + std::chrono::milliseconds(100);
        paused_any_ = true;
    }
    set_output_watch(c, key);
}

/// Watches a child's output unless it is over its budget or cpd is behind.
void HelperLoop::set_output_watch(Child& c, std::uint64_t key) {
    const bool wanted = c.output && !backlogged_ && Clock::now() >= c.resume_at;
    if (wanted != c.output_watched) {
        watch(c.output.get(), EPOLLIN, key << 2 | from_output,
              wanted ? (c.output_watched ? EPOLL_CTL_MOD : EPOLL_CTL_ADD) : EPOLL_CTL_DEL);
        c.output_watched = wanted;
    }
}

void HelperLoop::resume_paused() {
    if (!paused_any_ || backlogged_) {
        return;
    }
    const auto now = Clock::now();
    paused_any_ = false;
    for (auto& [key, c] : children_) {
        if (c.output && !c.output_watched) {
            if (now >= c.resume_at) {
                c.lines.report_dropped(now, [&](const std::string& line) {
                    answer(OutputLine{c.tag, line});
                });
                set_output_watch(c, key);
            } else {
                paused_any_ = true;
            }
        }
    }
}

int HelperLoop::next_timeout() const {
    return paused_any_ && !backlogged_ ? 20 : -1;
}

void HelperLoop::on_children_exited() {
    signalfd_siginfo info[16];
    while (::read(signals_, info, sizeof info) > 0) {
    }
    int status = 0;
    pid_t pid = 0;
    while ((pid = ::waitpid(-1, &status, WNOHANG)) > 0) {
        if (auto p = by_pid_.find(pid); p != by_pid_.end()) {
            const std::uint64_t key = p->second;
            by_pid_.erase(p);
            end_child(key, status);
        }
    }
}

/// A reaped child: its failure report if it wrote one, what is left in its
/// output pipe, then its exit, in that order on cpd's socket.
void HelperLoop::end_child(std::uint64_t key, int wait_status) {
    Child& c = children_.at(key);
    if (c.report) {
        const ChildReport r = read_child_report(c.report.get());
        if (r.status == ChildReport::Status::failed) {
            answer(ExecHeard{c.tag, r.step, r.error_number});
        }
        set_up_done(c);
    }
    const auto now = Clock::now();
    auto emit = [&](const std::string& line) { answer(OutputLine{c.tag, line}); };
    char buffer[4096];
    for (int round = 0; c.output && round < 64; ++round) { // at most a pipe's 64 KiB
        const ssize_t n = ::read(c.output.get(), buffer, sizeof buffer);
        if (n <= 0) {
            break;
        }
        c.lines.feed(std::string_view(buffer, static_cast<std::size_t>(n)), now, emit);
    }
    c.lines.finish(now, emit);
    answer(Exited{c.tag, wait_status});
    by_tag_.erase(c.tag);
    children_.erase(key); // closing its pipes removes them from the epoll set
    launch_waiting();
}

void HelperLoop::answer(const FromHelper& m) {
    std::vector<std::uint8_t> bytes = pack(m);
    queued_bytes_ += bytes.size();
    queue_.push_back(std::move(bytes));
    if (!backlogged_ && queued_bytes_ > backlog_high) {
        backlogged_ = true; // cpd is behind: every guest's output waits in its pipe
        for (auto& [key, c] : children_) {
            set_output_watch(c, key);
        }
    }
}

void HelperLoop::flush() {
    while (!queue_.empty()) {
        const int error = send_datagram(sock_, queue_.front(), {});
        if (error == EAGAIN || error == EWOULDBLOCK || error == ENOBUFS) {
            watch_cpd();
            return;
        }
        if (error != 0) {
            cpd_gone();
        }
        queued_bytes_ -= queue_.front().size();
        queue_.pop_front();
    }
    watch_cpd();
    if (backlogged_ && queued_bytes_ <= backlog_low) {
        backlogged_ = false;
        for (auto& [key, c] : children_) {
            set_output_watch(c, key);
        }
    }
}

/// cpd closed its end: no guest may outlive it.
void HelperLoop::cpd_gone() {
    for (const auto& [pid, key] : by_pid_) {
        ::kill(pid, SIGKILL);
    }
    ::_exit(0);
}

/// The helper's start: nothing of its parent's but its socket (moved to 3)
/// and 0-2, its own session, no terminal signals, SIGCHLD through a signalfd.
[[noreturn]] void helper_main(int sock, pid_t parent) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) {
        ::_exit(1);
    }
    if (sock != 3 && (::dup2(sock, 3) < 0)) {
        ::_exit(1);
    }
    ::close_range(4, ~0U, 0);
    ::fcntl(3, F_SETFD, FD_CLOEXEC); // dup2 cleared it: no guest may inherit it
    ::setsid();
    for (int sig : {SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGPIPE, SIGTSTP, SIGTTIN, SIGTTOU}) {
        ::signal(sig, SIG_IGN);
    }
    ::prctl(PR_SET_NAME, "cpd-spawner", 0, 0, 0);
    drop_unneeded_capabilities(); // what cpd keeps, which its guests' set-up needs
    sigset_t chld;
    ::sigemptyset(&chld);
    ::sigaddset(&chld, SIGCHLD);
    const int signals = ::signalfd(-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK);
    const int epoll = ::epoll_create1(EPOLL_CLOEXEC);
    if (signals < 0 || epoll < 0) {
        ::_exit(1);
    }
    ::sigprocmask(SIG_SETMASK, &chld, nullptr); // every other signal as usual
    ::fcntl(3, F_SETFL, O_NONBLOCK);
    HelperLoop(3, epoll, signals).run();
}

} // namespace

HelperProcess start_spawn_helper() {
    HelperProcess h;
    int pair[2] = {-1, -1};
    if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) != 0) {
        h.error = std::string("unable to create a socket pair: ") + std::strerror(errno);
        return h;
    }
    ipc::UniqueFd ours(pair[0]);
    ipc::UniqueFd theirs(pair[1]);
    const pid_t parent = ::getpid();
    const pid_t pid = fork_with_signals_blocked(); // helper_main sets its own mask
    if (pid == 0) {
        helper_main(theirs.get(), parent);
    }
    if (pid < 0) {
        h.error = std::string("unable to fork: ") + std::strerror(errno);
        return h;
    }
    ::fcntl(ours.get(), F_SETFL, O_NONBLOCK);
    h.pid = pid;
    h.socket = std::move(ours);
    return h;
}

} // namespace cpd::daemon
