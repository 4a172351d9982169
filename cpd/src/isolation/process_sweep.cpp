// SPDX-License-Identifier: MIT
#include "isolation/process_sweep.hpp"

#include "isolation/capabilities.hpp"
#include "isolation/sweep_lock.hpp"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include <dirent.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace cpd::daemon {
namespace {

/// What the helper reports through its exit status: 0, or which step failed.
constexpr int helper_setuid_failed = 100;
constexpr int helper_caps_failed = 101;
constexpr int helper_kill_failed = 102;
constexpr int helper_lock_failed = 103;

/// The vfork'd helper: raw system calls only, as it shares cpd's memory. Its
/// real and saved uid are `sweeper`, its effective uid `uid`: kill(-1)
/// reaches every process whose real or saved uid is `uid`, and none of them
/// can signal the helper back (stop it, and so cpd with it, or kill it).
[[noreturn]] void sweep_as(uid_t uid, uid_t sweeper) noexcept {
    if (take_sweep_lock(sweeper) < 0) { // released by _exit
        ::_exit(helper_lock_failed);
    }
    if (::syscall(SYS_setresuid, sweeper, uid, sweeper) != 0) {
        ::_exit(helper_setuid_failed);
    }
    if (!clear_all_capabilities()) {
        ::_exit(helper_caps_failed);
    }
    // kill(-1) is atomic with respect to fork, and its result says nothing
    // (0 whenever any other process exists): two passes, errors but ESRCH
    // and EPERM count.
    for (int pass = 0; pass < 2; ++pass) {
        if (::kill(-1, SIGKILL) != 0 && errno != ESRCH && errno != EPERM) {
            ::_exit(helper_kill_failed);
        }
    }
    ::_exit(0);
}

/// The owner of /proc/<pid>: the process's effective uid. Readable even under
/// the unit's ProtectProc=noaccess, where /proc/<pid>/status is not.
long uid_of_process(const char* pid) {
    struct stat st {};
    if (::stat(("/proc/" + std::string(pid)).c_str(), &st) != 0) {
        return -1;
    }
    return static_cast<long>(st.st_uid);
}

} // namespace

bool kill_processes_of_uid(uid_t uid, uid_t sweeper, std::string& error) noexcept {
    sigset_t all;
    sigset_t saved;
    ::sigfillset(&all);
    ::sigprocmask(SIG_SETMASK, &all, &saved);
    const pid_t pid = ::vfork();
    if (pid == 0) {
        sweep_as(uid, sweeper);
    }
    const int fork_errno = errno;
    ::sigprocmask(SIG_SETMASK, &saved, nullptr);
    if (pid < 0) {
        error = std::string("unable to fork: ") + std::strerror(fork_errno);
        return false;
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    const int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    switch (code) {
    case 0:
        return true;
    case helper_setuid_failed:
        error = "unable to take the guest's uid";
        return false;
    case helper_caps_failed:
        error = "unable to drop capabilities";
        return false;
    case helper_kill_failed:
        error = "kill(-1) failed";
        return false;
    case helper_lock_failed:
        error = "unable to take the sweep lock";
        return false;
    default:
        error = "the helper died";
        return false;
    }
}

std::size_t kill_processes_in_uid_range(uid_t first, std::uint32_t count, int max_scans) {
    auto in_range = [&](long uid) {
        return uid >= static_cast<long>(first) && uid - static_cast<long>(first) < count;
    };
    std::size_t killed = 0;
    for (int scan = 0; scan < max_scans; ++scan) {
        std::size_t found = 0;
        DIR* proc = ::opendir("/proc");
        if (proc == nullptr) {
            return killed;
        }
        while (const dirent* e = ::readdir(proc)) {
            const std::string_view name = e->d_name;
            if (name.empty() || name.find_first_not_of("0123456789") != std::string_view::npos ||
                !in_range(uid_of_process(e->d_name))) {
                continue;
            }
            // Through a pidfd, with the owner checked again once it is held:
            // a pid reused since the scan is never signalled.
            const auto pid = static_cast<pid_t>(std::strtol(e->d_name, nullptr, 10));
            const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
            if (pidfd < 0) {
                continue;
            }
            if (in_range(uid_of_process(e->d_name)) &&
                ::syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, nullptr, 0) == 0) {
                ++found;
            }
            ::close(pidfd);
        }
        ::closedir(proc);
        killed += found;
        if (found == 0) {
            break;
        }
    }
    return killed;
}

} // namespace cpd::daemon
