// SPDX-License-Identifier: MIT
// spawn_guest: everything that can allocate or fail for want of descriptors
// (argv, envp, paths, dups, the descriptor limit, the sandbox plan) happens
// before the child is made; the child only calls async-signal-safe functions (prctl,
// sigaction, dup2, close_range or close, the sandbox's system calls, execve,
// write, _exit). A step that fails before exec is reported on a close-on-exec
// pipe, which the caller watches on its event loop: spawning never waits for
// the guest program.
#include "guests/spawn.hpp"

#include "isolation/blocked_fork.hpp"

#include "cpd/proto/guest_launch.hpp"

#include <cctype>
#include <cerrno>
#include <climits>
#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace cpd::daemon {
namespace {

/// argv or envp storage whose char* array stays valid while it lives.
struct CStrings {
    std::vector<std::string> strings;
    std::vector<char*> pointers;
    void add(std::string s) { strings.push_back(std::move(s)); }
    char* const* finish() {
        for (auto& s : strings) {
            pointers.push_back(s.data());
        }
        pointers.push_back(nullptr);
        return pointers.data();
    }
};

/// The clean environment a guest gets.
CStrings guest_environment(const SpawnRequest& r) {
    CStrings env;
    const char* path = std::getenv("PATH");
    const char* lang = std::getenv("LANG");
    const char* home = std::getenv("HOME");
    env.add(std::string("PATH=") + (path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin"));
    env.add(std::string("LANG=") + (lang != nullptr ? lang : "C.UTF-8"));
    // A guest under a uid of its own has no home but its disks.
    const bool own_uid = r.sandbox != nullptr && r.sandbox->credentials;
    env.add("HOME=" + (own_uid ? std::string("/") : std::string(home != nullptr ? home : "/")));
    env.add(std::string(proto::guest_userid_env) + "=" + std::string(r.userid.str()));
    env.add(std::string(proto::guest_parm_env) + "=" + r.parm);
    env.add(std::string(proto::guest_log_level_env) + "=" + r.log_level);
    if (!r.disks.empty()) {
        env.add(std::string(proto::guest_disks_env) + "=" + r.disks);
    }
    return env;
}

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
/// cpd's control connections must never reach a guest.
void close_from(int first, int keep_a, int keep_b, int fd_limit) noexcept {
    int keeps[2] = {keep_a < keep_b ? keep_a : keep_b, keep_a < keep_b ? keep_b : keep_a};
    bool ranges_closed = true;
    int from = first;
    for (int keep : keeps) {
        if (keep < first) {
            continue;
        }
        if (keep > from && ::close_range(static_cast<unsigned>(from),
                                         static_cast<unsigned>(keep - 1), 0) != 0) {
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

/// Reports the failed step and errno to cpd, then exits with `status`.
[[noreturn]] void child_failed(int report_fd, int status) noexcept {
    const ChildFailure failure{status, errno};
    [[maybe_unused]] const ssize_t n = ::write(report_fd, &failure, sizeof failure);
    ::_exit(status);
}

/// What the child needs, prepared by cpd before fork.
struct ChildArgs {
    pid_t parent;
    /// The segment, the two bells, /dev/null and the output pipe, all above 9.
    int fds[5];
    int report_fd;
    int fd_limit;
    const char* program;
    char* const* argv;
    char* const* envp;
    const SandboxPlan* sandbox;
};

/// The child side: async-signal-safe only. Never returns. `report_fd` is
/// close-on-exec: cpd reads end-of-file once execve succeeded.
[[noreturn]] void child_exec(const ChildArgs& a) {
    const int report_fd = a.report_fd;
    die_with_parent(a.parent);
    // Its own session first, while every signal is still blocked: no terminal
    // signal (Ctrl-C at cpd's terminal) reaches the guest, and it is one
    // process group cpd can kill whole. One the terminal sent to cpd's group
    // before this is pending here: ignoring it discards it (POSIX), so the
    // guest waits for cpd's orderly logoff instead of dying of it.
    if (::setsid() < 0) {
        child_failed(report_fd, exit_session_failed);
    }
    struct sigaction ign{};
    ign.sa_handler = SIG_IGN;
    for (int sig : {SIGINT, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU, SIGHUP, SIGWINCH}) {
        ::sigaction(sig, &ign, nullptr);
    }
    struct sigaction dfl{};
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
    const SandboxPlan* sandbox = a.sandbox;
    // Into its cgroups first: all it allocates or forks from here on counts.
    if (sandbox != nullptr && join_cgroups(*sandbox) != 0) {
        child_failed(report_fd, exit_cgroup_failed);
    }
    // Nothing of cpd's (client connections, other guests' segments) stays
    // while the child takes the guest's uid, but the report pipe and the
    // Landlock ruleset, which the sandbox uses and exec closes.
    const int ruleset_fd =
        sandbox != nullptr && sandbox->landlock.fd ? sandbox->landlock.fd.get() : -1;
    close_from(proto::guest_outbound_bell_fd + 1, report_fd, ruleset_fd, a.fd_limit);
    if (sandbox != nullptr) {
        if (const int failed = enter_sandbox(*sandbox, a.parent); failed != 0) {
            child_failed(report_fd, failed);
        }
    }
    ::execve(a.program, a.argv, a.envp);
    child_failed(report_fd, exit_exec_failed);
}

} // namespace

ExecReport read_exec_report(int report_fd, const std::string& program) {
    ChildFailure failure{};
    ssize_t n = 0;
    do {
        n = ::read(report_fd, &failure, sizeof failure);
    } while (n < 0 && errno == EINTR);
    ExecReport report;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        return report;
    }
    if (n != static_cast<ssize_t>(sizeof failure)) { // a report is one write below PIPE_BUF
        report.status = ExecReport::Status::exec_ok;
        return report;
    }
    report.status = ExecReport::Status::failed;
    const std::string why = std::strerror(failure.error);
    if (const char* step = sandbox_step_name(failure.status)) {
        report.error = step + (": " + why);
    } else if (failure.status == exit_descriptors_failed) {
        report.error = "unable to set up the guest's descriptors: " + why;
    } else {
        report.error = program + ": " + why;
    }
    return report;
}

namespace {

/// Duplicates what the child moves to fds 0-5 (segment, bells, /dev/null,
/// the output pipe) above 9, so no dup2 there overwrites another's source.
/// Returns why not, or "" (errno set).
std::string child_descriptors(const Spawned& s, int output_write, ipc::UniqueFd (&dups)[5]) {
    ipc::UniqueFd devnull(::open("/dev/null", O_RDONLY | O_CLOEXEC));
    if (!devnull) {
        return std::string("unable to open /dev/null: ") + std::strerror(errno);
    }
    const int sources[5] = {s.segment.fd(), s.inbound_bell.fd(), s.outbound_bell.fd(),
                            devnull.get(), output_write};
    for (int i = 0; i < 5; ++i) {
        dups[i].reset(::fcntl(sources[i], F_DUPFD_CLOEXEC, 10));
        if (!dups[i]) {
            return std::string("unable to duplicate descriptors: ") + std::strerror(errno);
        }
    }
    return {};
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

} // namespace

std::string resolve_program(std::string_view ipl, const std::string& guest_dir) {
    if (ipl.find('/') != std::string_view::npos) {
        return std::string(ipl);
    }
    std::string name = "cpd-guest-";
    for (char c : ipl) {
        name.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
    return guest_dir + "/" + name;
}

namespace {

/// Records a failed step of spawn_guest (errno is still that step's).
SpawnResult failure(std::string what) {
    SpawnResult out;
    out.error_number = errno;
    out.error = std::move(what);
    return out;
}

} // namespace

SpawnResult spawn_guest(const SpawnRequest& r) {
    if (::access(r.program.c_str(), X_OK) != 0) {
        return failure(r.program + ": " + std::strerror(errno));
    }
    std::error_code ec;
    Spawned s;
    s.segment = ipc::Segment::create(r.geometry, r.userid.str(), ec);
    if (!ec) {
        s.segment.skip_on_fork();
    }
    if (!ec) {
        s.inbound_bell = ipc::Doorbell::create(ec);
    }
    if (!ec) {
        s.outbound_bell = ipc::Doorbell::create(ec);
    }
    if (ec) {
        errno = ec.value();
        return failure("unable to create segment or doorbells: " + ec.message());
    }
    // The guest's stdout and stderr: cpd reads them and logs each line as the
    // guest's, so a guest can never write into cpd's own log. A pipe of its
    // own, not shared with the inbound bell: the guest's runtime makes its
    // bell non-blocking, and a flood must block in the guest's write.
    int output[2] = {-1, -1};
    if (::pipe2(output, O_CLOEXEC) != 0) {
        return failure(std::string("unable to create a pipe: ") + std::strerror(errno));
    }
    s.output.reset(output[0]);
    ipc::UniqueFd output_write(output[1]);
    ::fcntl(s.output.get(), F_SETFL, O_NONBLOCK);
    ipc::UniqueFd dups[5];
    if (std::string error = child_descriptors(s, output_write.get(), dups); !error.empty()) {
        return failure(std::move(error));
    }
    output_write.reset();
    int report[2] = {-1, -1};
    if (::pipe2(report, O_CLOEXEC) != 0) {
        return failure(std::string("unable to create a pipe: ") + std::strerror(errno));
    }
    ipc::UniqueFd report_read(report[0]);
    ipc::UniqueFd report_write(report[1]);
    report_write.reset(::fcntl(report[1], F_DUPFD_CLOEXEC, 10)); // above the dup2 targets
    if (!report_write) {
        return failure(std::string("unable to duplicate descriptors: ") + std::strerror(errno));
    }
    const int fd_limit = descriptor_limit();
    if (fd_limit < 0) {
        return failure(std::string("unable to read the descriptor limit: ") +
                       std::strerror(errno));
    }
    CStrings argv;
    argv.add("cpd:" + std::string(r.userid.str()));
    CStrings envp = guest_environment(r);
    const ChildArgs args{::getpid(),
                         {dups[0].get(), dups[1].get(), dups[2].get(), dups[3].get(),
                          dups[4].get()},
                         report_write.get(),
                         fd_limit,
                         r.program.c_str(),
                         argv.finish(),
                         envp.finish(),
                         r.sandbox};
    // The child resets every disposition, then unblocks. Not vfork: cpd
    // must not wait for an execve that may hang (docs/design.md, "Ten
    // thousand guests"); what fork copies is kept small instead: no guest's
    // segment mapping (skip_on_fork) and three descriptors per guest.
    const pid_t pid = fork_with_signals_blocked();
    if (pid == 0) {
        child_exec(args);
    }
    if (pid < 0) {
        return failure(std::string("unable to fork: ") + std::strerror(errno));
    }
    report_write.reset(); // ours: the child's copy alone kept the pipe open
    ::fcntl(report_read.get(), F_SETFL, O_NONBLOCK);
    s.exec_report = std::move(report_read);
    s.pid = pid;
    s.segment.close_fd(); // the guest holds its own; cpd keeps the mapping
    s.pidfd.reset(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
    if (s.pidfd) {
        ::fcntl(s.pidfd.get(), F_SETFD, FD_CLOEXEC);
    }
    SpawnResult out;
    out.guest = std::move(s);
    return out;
}

} // namespace cpd::daemon
