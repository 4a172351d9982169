// SPDX-License-Identifier: MIT
// Wording of guest deaths for the supervisor's log lines.
#include "exit_status.hpp"

#include <csignal>
#include <cstring>

#include <sys/wait.h>

namespace cpd::daemon {

std::string signal_name(int sig) {
    const char* abbrev = ::sigabbrev_np(sig);
    if (abbrev == nullptr) {
        return "signal " + std::to_string(sig);
    }
    return std::string("SIG") + abbrev;
}

std::string describe_exit(int status, bool panicked) {
    if (WIFEXITED(status)) {
        int code = WEXITSTATUS(status);
        if (code == guest_exit_panic || panicked) {
            return "crashed: handler panic";
        }
        if (code == guest_exit_ipc_failure) {
            return "exited with status " + std::to_string(code) + " (ring failure)";
        }
        if (code == 127) {
            return "exited with status 127 (could not execute the guest program)";
        }
        if (code == guest_exit_not_a_guest) {
            return "exited with status 78 (not started as a guest)";
        }
        return "exited with status " + std::to_string(code);
    }
    if (WIFSIGNALED(status)) {
        std::string s = "killed by signal " + signal_name(WTERMSIG(status));
        if (WCOREDUMP(status)) {
            s += " (core dumped)";
        }
        return s;
    }
    return "ended with wait status " + std::to_string(status);
}

bool is_crash(int status, bool panicked) noexcept {
    return panicked || !WIFEXITED(status) || WEXITSTATUS(status) != 0;
}

} // namespace cpd::daemon
