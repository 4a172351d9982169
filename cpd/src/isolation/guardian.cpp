// SPDX-License-Identifier: MIT
#include "isolation/guardian.hpp"

#include "isolation/blocked_fork.hpp"
#include "isolation/guest_cgroups.hpp"
#include "isolation/capabilities.hpp"
#include "isolation/process_sweep.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>

#include <cstddef>

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <unistd.h>

namespace cpd::daemon {
namespace {

[[noreturn]] void guard(int lifeline, int range_lock, uid_t first, std::uint32_t count,
                        const std::vector<std::string>& cgroups) {
    // Nothing of cpd's but the pipe and the range lock: no socket, no guest
    // descriptor. Both are moved to 0 and 1 first.
    // Above every low number first, so neither dup2 overwrites the other.
    const int high_lifeline = ::fcntl(lifeline, F_DUPFD, 10);
    const int high_lock = ::fcntl(range_lock, F_DUPFD, 10);
    if (high_lifeline < 0 || high_lock < 0 || ::dup2(high_lifeline, 0) < 0 ||
        ::dup2(high_lock, 1) < 0) {
        ::_exit(1);
    }
    lifeline = 0;
    ::close_range(2, ~0U, 0);
    ::setsid(); // no terminal signals: Ctrl-C at cpd's terminal is cpd's to handle
    for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGPIPE}) {
        ::signal(sig, SIG_IGN);
    }
    sigset_t none;
    ::sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    restrict_capabilities(capability_bit(CAP_KILL));
    ::prctl(PR_SET_NAME, "cpd-guardian", 0, 0, 0);
    char byte = 0;
    ssize_t n = 0;
    do {
        n = ::read(lifeline, &byte, 1);
    } while (n > 0 || (n < 0 && errno == EINTR));
    kill_processes_in_uid_range(first, count);
    // A killed process leaves its cgroup when it has exited (v1's cpu
    // hierarchy: when it has been reaped): a busy group is retried briefly,
    // as the range stays locked meanwhile; the next cpd on the range removes
    // whatever is left.
    for (const std::string& parent : cgroups) {
        for (int attempt = 0; attempt < 25 && !remove_cgroup_tree(parent); ++attempt) {
            ::usleep(20'000);
        }
    }
    ::_exit(0);
}

} // namespace

ipc::UniqueFd lock_uid_range(uid_t first, std::string& error) {
    ipc::UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!fd) {
        error = std::string("unable to create a socket: ") + std::strerror(errno);
        return fd;
    }
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    const std::string name = "cpd-guest-uid-range-" + std::to_string(first);
    std::memcpy(addr.sun_path + 1, name.data(), name.size()); // sun_path[0] = 0: abstract
    const auto len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + name.size());
    if (::bind(fd.get(), reinterpret_cast<const sockaddr*>(&addr), len) != 0) {
        const int bind_errno = errno;
        error =
            bind_errno == EADDRINUSE
                ? "guest uid range " + std::to_string(first) +
                      " is in use by another cpd (or its guardian, still ending its guests); "
                      "give each cpd its own guest_uid_base"
                : std::string("unable to claim the guest uid range: ") + std::strerror(bind_errno);
        fd.reset();
        errno = bind_errno;
    }
    return fd;
}

Guardian start_guardian(uid_t first, std::uint32_t count, int range_lock,
                        const std::vector<std::string>& cgroups, std::string& error) {
    int fds[2] = {-1, -1};
    Guardian g;
    if (::pipe2(fds, O_CLOEXEC) != 0) {
        error = std::string("unable to create a pipe: ") + std::strerror(errno);
        return g;
    }
    ipc::UniqueFd read_end(fds[0]);
    g.lifeline.reset(fds[1]);
    const pid_t pid = fork_with_signals_blocked(); // guard() sets its own mask
    if (pid == 0) {
        g.lifeline.reset();
        guard(read_end.get(), range_lock, first, count, cgroups);
    }
    if (pid < 0) {
        error = std::string("unable to fork: ") + std::strerror(errno);
        g.lifeline.reset();
        return g;
    }
    g.pid = pid;
    return g;
}

} // namespace cpd::daemon
