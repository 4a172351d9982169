// SPDX-License-Identifier: MIT
#include "isolation/sandbox.hpp"

#include "isolation/capabilities.hpp"
#include "isolation/sweep_lock.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <csignal>
#include <cstring>

#include <fcntl.h>
#include <grp.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

namespace cpd::daemon {
namespace {

bool set_limit(int resource, std::uint64_t soft, std::uint64_t hard) noexcept {
    const rlimit limit{static_cast<rlim_t>(soft), static_cast<rlim_t>(hard)};
    return ::setrlimit(resource, &limit) == 0;
}

/// A guest's descriptor budget: `soft`, and at most four times that if it
/// raises its own soft limit (cpd raised its own to a hard limit meant for
/// thousands of guests).
bool lower_open_files(std::uint64_t soft) noexcept {
    rlimit current{};
    if (::getrlimit(RLIMIT_NOFILE, &current) != 0) {
        return false;
    }
    const std::uint64_t hard = std::min<std::uint64_t>(current.rlim_max, 4 * soft);
    return set_limit(RLIMIT_NOFILE, std::min<std::uint64_t>(soft, hard), hard);
}

/// Kills every process that still runs under this uid: whatever an earlier
/// incarnation of this guest forked and left behind. kill(-1) reaches exactly
/// the processes the caller may signal (the same uid, as the child now has no
/// capabilities) and never the caller itself, and is atomic with respect to
/// fork. Its result says nothing (0 whenever any other process exists), so
/// only EINVAL or EPERM-free failures count; a second pass is belt and braces.
bool sweep_own_uid() noexcept {
    for (int pass = 0; pass < 2; ++pass) {
        if (::kill(-1, SIGKILL) != 0 && errno != ESRCH && errno != EPERM) {
            return false;
        }
    }
    return true;
}

/// True when the child's own cgroup, which every process of the guest's uid
/// runs in (sandbox.hpp, SandboxPlan::cgroups), holds no process but the
/// child: nothing an earlier incarnation forked is left, so the uid needs no
/// sweep. Only the group is read, not every process on the host. The
/// descriptor was opened for this logon and is read once: cgroup v1 lists the
/// group afresh at the first read of an open file and caches the list for
/// later ones. Anything unexpected (unreadable, more than one line) is
/// "not alone", which costs a sweep, never a leftover.
bool alone_in_own_group(const SandboxPlan& plan) noexcept {
    const int procs = plan.cgroups[0].get();
    if (!plan.cgroups_confine_uid || procs < 0) {
        return false;
    }
    char listed[64];
    const ssize_t n = ::pread(procs, listed, sizeof listed, 0);
    char own[24];
    // std::to_chars neither allocates nor locks: safe in the forked child.
    char* end = std::to_chars(own, own + sizeof own - 1, ::getpid()).ptr;
    *end++ = '\n';
    const auto length = static_cast<std::size_t>(end - own);
    return n == static_cast<ssize_t>(length) && std::memcmp(listed, own, length) == 0;
}

/// Makes the kernel's OOM killer pick a guest before cpd (raising one's own
/// score needs no privilege). Best effort: /proc may be mounted otherwise.
void prefer_for_oom_kill() noexcept {
    const int fd = ::open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
    if (fd >= 0) {
        [[maybe_unused]] const ssize_t n = ::write(fd, "500", 3);
        ::close(fd);
    }
}

} // namespace

int join_cgroups(const SandboxPlan& plan, bool& uid_clean) noexcept {
    uid_clean = false;
    for (const ipc::UniqueFd& procs : plan.cgroups) {
        if (procs && ::write(procs.get(), "0", 1) != 1) {
            return exit_cgroup_failed;
        }
    }
    uid_clean = alone_in_own_group(plan);
    return 0;
}

int enter_sandbox(const SandboxPlan& plan, pid_t parent, bool uid_clean) noexcept {
    // The session of its own (no terminal signals) is child_exec's, made
    // before any signal is unblocked and whether or not there is a plan.
    // Before the uid change: afterwards the process is not dumpable and its
    // /proc files belong to root.
    prefer_for_oom_kill();
    if (plan.credentials) {
        const GuestCredentials& c = *plan.credentials;
        // A group holding only this child: the guest's uid is known clean and
        // the child takes it at once, never looking like a sweeper, so it
        // needs no sweep lock either. A logon then costs the same whatever
        // runs on the host. Otherwise the kill(-1) sweep, as without groups.
        const bool sweep = !uid_clean;
        // Held from before this child looks like a sweeper until it is the guest.
        const int sweep_lock = sweep ? take_sweep_lock(c.sweeper) : -1;
        if (sweep && sweep_lock < 0) {
            return exit_sweep_failed;
        }
        const uid_t real = sweep ? c.sweeper : c.uid;
        if (::setgroups(0, nullptr) != 0 || ::setresgid(c.gid, c.gid, c.gid) != 0 ||
            ::setresuid(real, c.uid, real) != 0) {
            return exit_credentials_failed;
        }
        if (!clear_all_capabilities()) {
            return exit_capabilities_failed;
        }
        if (sweep) {
            if (!sweep_own_uid()) {
                return exit_sweep_failed;
            }
            // No capability is needed: the uid is already one of ours.
            if (::setresuid(c.uid, c.uid, c.uid) != 0) {
                return exit_credentials_failed;
            }
            ::close(sweep_lock);
        }
    }
    if (!clear_all_capabilities() || ::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
        return exit_capabilities_failed;
    }
    ::prctl(PR_SET_PDEATHSIG, SIGKILL); // a credential change cleared it
    if (::getppid() != parent) {
        ::_exit(1); // cpd is gone; nobody but init will see this
    }
    ::umask(022); // files on shared minidisks readable by the guests linked to them
    if (!lower_open_files(plan.open_files) || !set_limit(RLIMIT_CORE, 0, 0) ||
        (plan.data_limit != 0 && !set_limit(RLIMIT_DATA, plan.data_limit, plan.data_limit)) ||
        (plan.credentials && plan.process_limit != 0 &&
         !set_limit(RLIMIT_NPROC, plan.process_limit, plan.process_limit))) {
        return exit_limits_failed;
    }
    if (plan.landlock.fd && !landlock_restrict_self(plan.landlock.fd.get())) {
        return exit_landlock_failed;
    }
    if (!install_seccomp_filter(plan.seccomp)) {
        return exit_seccomp_failed;
    }
    return 0;
}

const char* sandbox_step_name(int status) noexcept {
    switch (status) {
    case exit_credentials_failed:
        return "unable to switch to the guest's uid";
    case exit_capabilities_failed:
        return "unable to drop capabilities";
    case exit_limits_failed:
        return "unable to set the guest's limits";
    case exit_sweep_failed:
        return "unable to end processes left under the guest's uid";
    case exit_landlock_failed:
        return "unable to enter the Landlock sandbox";
    case exit_seccomp_failed:
        return "unable to install the seccomp filter";
    case exit_session_failed:
        return "unable to start a session";
    case exit_cgroup_failed:
        return "unable to join the guest's cgroups";
    default:
        return nullptr;
    }
}

} // namespace cpd::daemon
