// SPDX-License-Identifier: MIT
// launch_guest: the parent prepares every descriptor and reads the descriptor
// limit before fork; the child only calls async-signal-safe functions (prctl,
// sigaction, dup2, close_range or close, the sandbox's system calls, execve,
// write, _exit).
#include "spawner/guest_launch.hpp"

#include "isolation/blocked_fork.hpp"

#include "cpd/proto/guest_launch.hpp"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <csignal>
#include <cstdint>
#include <cstring>

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace cpd::daemon {
namespace {

/// Sets PR_SET_PDEATHSIG and exits if the parent is already gone.
void die_with_parent(pid_t parent) noexcept {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) {
        ::_exit(exit_parent_gone);
    }
}

/// Closes every descriptor from `first` on but `keep_a` and `keep_b` (each
/// > first, or -1). Without close_range (kernels before 5.9, seccomp filters)
/// it closes them one by one below the descriptor limit read beforehand:
/// no other guest's output pipe, and nothing of cpd's, may reach a guest.
void close_from(int first, int keep_a, int keep_b, int fd_limit) noexcept {
    int keeps[2] = {keep_a < keep_b ? keep_a : keep_b, keep_a < keep_b ? keep_b : keep_a};
    bool ranges_closed = true;
    int from = first;
    for (int keep : keeps) {
        if (keep < first) {
            continue;
        }
        if (keep > from &&
            ::close_range(static_cast<unsigned>(from), static_cast<unsigned>(keep - 1), 0) != 0) {
            ranges_closed = false;
        }
        from = keep + 1;
    }
    if (ranges_closed && ::close_range(static_cast<unsigned>(from), ~0U, 0) == 0) {
        return;
    }
    for (int fd = first; fd < fd_limit; ++fd) {
        if (fd != keep_a && fd != keep_b) {
            ::close(fd);
        }
    }
}

/// What a child whose set-up failed before exec writes on the report pipe.
struct ChildFailure {
    std::int32_t status; ///< the exit status it leaves with: which step failed
    std::int32_t error;  ///< errno of that step
};

/// Reports the failed step and errno, then exits with `status`.
[[noreturn]] void child_failed(int report_fd, int status) noexcept {
    const ChildFailure failure{status, errno};
    [[maybe_unused]] const ssize_t n = ::write(report_fd, &failure, sizeof failure);
    ::_exit(status);
}

/// What the child needs, prepared before fork.
struct ChildArgs {
    pid_t parent;
    /// The segment, the two bells, /dev/null and the output pipe, all above 9.
    int fds[5];
    int report_fd;
    int fd_limit;
    const LaunchPlan* plan;
};

/// The child side: async-signal-safe only. Never returns. `report_fd` is
/// close-on-exec: the parent reads end-of-file once execve succeeded.
[[noreturn]] void child_exec(const ChildArgs& a) {
    const int report_fd = a.report_fd;
    die_with_parent(a.parent);
    // Its own session first, while every signal is still blocked: no terminal
    // signal (Ctrl-C at cpd's terminal) reaches the guest, and it is one
    // process group cpd can kill whole. One the terminal sent before this is
    // pending here: ignoring it discards it (POSIX), so the guest waits for
    // cpd's orderly logoff instead of dying of it.
    if (::setsid() < 0) {
        child_failed(report_fd, exit_session_failed);
    }
    struct sigaction ign {};
    ign.sa_handler = SIG_IGN;
    for (int sig : {SIGINT, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU, SIGHUP, SIGWINCH}) {
        ::sigaction(sig, &ign, nullptr);
    }
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    for (int sig = 1; sig < NSIG; ++sig) {
        if (sig != SIGKILL && sig != SIGSTOP) {
            ::sigaction(sig, &dfl, nullptr);
        }
    }
    sigset_t none;
    ::sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    // fds[] are all >= 10, so dup2 never hits one of its own sources.
    const int(&fds)[5] = a.fds;
    if (::dup2(fds[0], proto::guest_segment_fd) < 0 ||
        ::dup2(fds[1], proto::guest_inbound_bell_fd) < 0 ||
        ::dup2(fds[2], proto::guest_outbound_bell_fd) < 0 || ::dup2(fds[3], STDIN_FILENO) < 0 ||
        ::dup2(fds[4], STDOUT_FILENO) < 0 || ::dup2(fds[4], STDERR_FILENO) < 0) {
        child_failed(report_fd, exit_descriptors_failed);
    }
    const SandboxPlan* sandbox = a.plan->sandbox;
    // Into its cgroups first: all it allocates or forks from here on counts.
    bool uid_clean = false; // its uid has nothing left to sweep
    if (sandbox != nullptr && join_cgroups(*sandbox, uid_clean) != 0) {
        child_failed(report_fd, exit_cgroup_failed);
    }
    // Nothing else (other guests' pipes, cpd's sockets) stays while the child
    // takes the guest's uid, but the report pipe and the Landlock ruleset,
    // which the sandbox uses and exec closes.
    const int ruleset_fd =
        sandbox != nullptr && sandbox->landlock.fd ? sandbox->landlock.fd.get() : -1;
    close_from(proto::guest_outbound_bell_fd + 1, report_fd, ruleset_fd, a.fd_limit);
    if (sandbox != nullptr) {
        if (const int failed = enter_sandbox(*sandbox, a.parent, uid_clean); failed != 0) {
            child_failed(report_fd, failed);
        }
    }
    ::execve(a.plan->program, a.plan->argv, a.plan->envp);
    child_failed(report_fd, exit_exec_failed);
}

/// The RLIMIT_NOFILE soft limit, or -1. Linux caps it at fs.nr_open, below INT_MAX.
int descriptor_limit() noexcept {
    rlimit nofile{};
    if (::getrlimit(RLIMIT_NOFILE, &nofile) != 0) {
        return -1;
    }
    return nofile.rlim_cur > static_cast<rlim_t>(INT_MAX) ? INT_MAX
                                                          : static_cast<int>(nofile.rlim_cur);
}

/// True when close_range(CLOSE_RANGE_UNSHARE) works here (Linux 5.9, and no
/// seccomp filter refusing it). Probed on nothing: an unshared table is not
/// copied, and the range ~0U holds no descriptor.
bool can_unshare_low_descriptors() noexcept {
    static const bool works = ::close_range(~0U, ~0U, CLOSE_RANGE_UNSHARE) == 0;
    return works;
}

/// Forks a child that shares the caller's descriptor table only until its
/// first step, which gives it a table of its own holding the descriptors
/// below `low_fd_end` alone: the kernel then neither copies nor closes the
/// caller's other descriptors (the helper's output pipe per guest), so a
/// fork costs the same at 10 guests as at 10,000. Returns once the child has
/// its own table (or died before), so the caller may close what it lent.
/// Signals are blocked around it, as fork_with_signals_blocked does. -1 with
/// errno when it cannot (then the caller forks as usual).
pid_t fork_with_low_descriptors(int low_fd_end, int report_fd) noexcept {
    int ready[2] = {-1, -1};
    if (::pipe2(ready, O_CLOEXEC) != 0) {
        return -1;
    }
    if (ready[1] >= low_fd_end) {
        ::close(ready[0]);
        ::close(ready[1]);
        errno = EMFILE;
        return -1;
    }
    sigset_t all;
    sigset_t saved;
    ::sigfillset(&all);
    ::sigprocmask(SIG_SETMASK, &all, &saved);
    const long pid = ::syscall(SYS_clone, CLONE_FILES | SIGCHLD, 0, nullptr, nullptr, 0);
    if (pid == 0) {
        // Nothing but this call may touch the shared table: the caller's
        // descriptors are its own.
        if (::close_range(static_cast<unsigned>(low_fd_end), ~0U, CLOSE_RANGE_UNSHARE) != 0) {
            child_failed(report_fd, exit_descriptors_failed); // the caller then hears why
        }
        [[maybe_unused]] const ssize_t n = ::write(ready[1], "u", 1);
        ::close(ready[0]);
        ::close(ready[1]);
        return 0;
    }
    const int clone_errno = errno;
    ::sigprocmask(SIG_SETMASK, &saved, nullptr);
    if (pid > 0) {
        // The child's one system call, or its death: its pidfd is readable,
        // or (no pidfd) waitid sees it exited without reaping it.
        const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, static_cast<pid_t>(pid), 0));
        pollfd watch[2] = {{ready[0], POLLIN, 0}, {pidfd, POLLIN, 0}};
        for (;;) {
            const int n = ::poll(watch, pidfd >= 0 ? 2 : 1, pidfd >= 0 ? -1 : 10);
            siginfo_t info{};
            if (n > 0 || (n == 0 && ::waitid(P_PID, static_cast<id_t>(pid), &info,
                                             WEXITED | WNOHANG | WNOWAIT) == 0 &&
                                        info.si_pid != 0)) {
                break;
            }
        }
        if (pidfd >= 0) {
            ::close(pidfd);
        }
    }
    ::close(ready[0]);
    ::close(ready[1]);
    errno = clone_errno;
    return static_cast<pid_t>(pid);
}

/// Forks the child. Where every descriptor it uses sits below low_fd_end
/// (the spawn helper keeps its long-lived ones above), it copies only those.
pid_t fork_child(const LaunchPlan& plan, const ipc::UniqueFd (&dups)[5], int report_fd,
                 int fd_limit) noexcept {
    int highest = report_fd;
    for (const ipc::UniqueFd& d : dups) {
        highest = std::max(highest, d.get());
    }
    if (const SandboxPlan* s = plan.sandbox) {
        highest = std::max(highest, s->landlock.fd.get());
        for (const ipc::UniqueFd& procs : s->cgroups) {
            highest = std::max(highest, procs.get());
        }
    }
    if (highest < low_fd_end && fd_limit > low_fd_end && can_unshare_low_descriptors()) {
        if (const pid_t pid = fork_with_low_descriptors(low_fd_end, report_fd); pid >= 0) {
            return pid;
        }
    }
    return fork_with_signals_blocked();
}

/// Records a failed step (errno is still that step's).
Launched failure(const char* what) {
    Launched out;
    out.error_number = errno;
    out.error = std::string(what) + ": " + std::strerror(errno);
    return out;
}

} // namespace

Launched launch_guest(const LaunchPlan& plan) {
    // The guest's stdout and stderr: a pipe of its own, read by its parent
    // and logged as the guest's, so a guest can never write into cpd's own
    // log; a flood blocks in the guest's write.
    int output[2] = {-1, -1};
    if (::pipe2(output, O_CLOEXEC) != 0) {
        return failure("unable to create a pipe");
    }
    ipc::UniqueFd output_read(output[0]);
    ipc::UniqueFd output_write(output[1]);
    ipc::UniqueFd devnull(::open("/dev/null", O_RDONLY | O_CLOEXEC));
    if (!devnull) {
        return failure("unable to open /dev/null");
    }
    // Above 9, so no dup2 onto 0-5 in the child overwrites another's source.
    const int sources[5] = {plan.segment, plan.inbound_bell, plan.outbound_bell, devnull.get(),
                            output_write.get()};
    ipc::UniqueFd dups[5];
    for (int i = 0; i < 5; ++i) {
        dups[i].reset(::fcntl(sources[i], F_DUPFD_CLOEXEC, 10));
        if (!dups[i]) {
            return failure("unable to duplicate descriptors");
        }
    }
    int report[2] = {-1, -1};
    if (::pipe2(report, O_CLOEXEC) != 0) {
        return failure("unable to create a pipe");
    }
    ipc::UniqueFd report_read(report[0]);
    ipc::UniqueFd report_write(::fcntl(report[1], F_DUPFD_CLOEXEC, 10));
    ::close(report[1]);
    if (!report_write) {
        return failure("unable to duplicate descriptors");
    }
    const int fd_limit = descriptor_limit();
    if (fd_limit < 0) {
        return failure("unable to read the descriptor limit");
    }
    const ChildArgs args{
        ::getpid(),
        {dups[0].get(), dups[1].get(), dups[2].get(), dups[3].get(), dups[4].get()},
        report_write.get(),
        fd_limit,
        &plan};
    // The child resets every disposition, then unblocks. Not vfork: the
    // parent must not wait for an execve that may hang.
    const pid_t pid = fork_child(plan, dups, report_write.get(), fd_limit);
    if (pid == 0) {
        child_exec(args);
    }
    if (pid < 0) {
        return failure("unable to fork");
    }
    Launched out;
    out.pid = pid;
    ::fcntl(output_read.get(), F_SETFL, O_NONBLOCK);
    ::fcntl(report_read.get(), F_SETFL, O_NONBLOCK);
    out.output = std::move(output_read);
    out.exec_report = std::move(report_read);
    return out; // the write ends close here: the child's copies alone keep them open
}

ChildReport read_child_report(int report_fd) {
    ChildFailure failure{};
    ssize_t n = 0;
    do {
        n = ::read(report_fd, &failure, sizeof failure);
    } while (n < 0 && errno == EINTR);
    ChildReport report;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        return report;
    }
    if (n != static_cast<ssize_t>(sizeof failure)) { // a report is one write below PIPE_BUF
        report.status = ChildReport::Status::exec_ok;
        return report;
    }
    report.status = ChildReport::Status::failed;
    report.step = failure.status;
    report.error_number = failure.error;
    return report;
}

std::string describe_launch_failure(int step, int error_number, const std::string& program) {
    const std::string why = std::strerror(error_number);
    std::string out;
    if (const char* name = sandbox_step_name(step)) {
        out = name;
    } else if (step == exit_descriptors_failed) {
        out = "unable to set up the guest's descriptors";
    } else {
        out = program;
    }
    out += ": ";
    out += why;
    return out;
}

} // namespace cpd::daemon
