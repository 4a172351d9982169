// SPDX-License-Identifier: MIT
// Wording of guest deaths for the supervisor's log lines. Every status the
// guest runtime sets on purpose gets its meaning in parentheses. (A failure of
// spawn's child before exec never shows here: spawn reports it and the logon
// fails, so 125-127 can only be the guest program's own choice.)
#include "spawner/exit_status.hpp"

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

namespace {
/// What an exit status set by the guest runtime means, or nullptr for one the
/// guest program chose itself.
const char* exit_meaning(int code) noexcept {
    switch (code) {
    case guest_exit_ipc_failure: return "ring failure";
    case guest_exit_not_a_guest: return "not started as a guest";
    }
    return nullptr;
}
} // namespace

std::string describe_exit(int status, bool panicked) {
    if (WIFEXITED(status)) {
        int code = WEXITSTATUS(status);
        if (code == guest_exit_panic || panicked) {
            return "crashed: handler panic";
        }
        std::string out = "exited with status " + std::to_string(code);
        if (const char* meaning = exit_meaning(code)) {
            out += std::string(" (") + meaning + ")";
        }
        return out;
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
