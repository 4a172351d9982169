// SPDX-License-Identifier: MIT
#include "isolation/blocked_fork.hpp"

#include <cerrno>
#include <csignal>

#include <unistd.h>

namespace cpd::daemon {

pid_t fork_with_signals_blocked() noexcept {
    sigset_t all;
    sigset_t saved;
    ::sigfillset(&all);
    ::sigprocmask(SIG_SETMASK, &all, &saved);
    const pid_t pid = ::fork();
    if (pid != 0) {
        const int fork_errno = errno;
        ::sigprocmask(SIG_SETMASK, &saved, nullptr);
        errno = fork_errno;
    }
    return pid;
}

} // namespace cpd::daemon
