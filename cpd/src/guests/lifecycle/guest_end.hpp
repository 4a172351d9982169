// SPDX-License-Identifier: MIT
// GuestEnd: how one session of a guest ended, in the words QUERY, the log and
// the operator's messages use ("crash: killed by signal SIGKILL", "FORCE by
// OPERATOR", ...), and whether a restart policy applies to that kind of end.
// Pure data and wording; who decides to restart is restart_policy.hpp.
#pragma once

#include <string>

namespace cpd::daemon {

/// The kinds of end QUERY distinguishes.
enum class EndKind {
    logoff,       ///< the guest's own LOGOFF, or it exited with status 0
    force,        ///< FORCE by a user (the grace kill that may follow included)
    shutdown,     ///< cpd shut down
    crash,        ///< non-zero exit, a signal or a handler panic it did not ask for
    storage,      ///< it ran out of its USER storage
    corrupt_ring, ///< CP found its ring or a frame corrupt and killed it
    cp_force,     ///< CP forced it for another reason (e.g. it stopped reading its ring)
    not_started,  ///< its program never ran: a step before or at exec failed
};

/// How one session ended.
struct GuestEnd {
    EndKind kind = EndKind::logoff;
    std::string detail; ///< what happened: the exit status, the reason, who forced
};

/// "clean logoff", "FORCE by OPERATOR", "crash: killed by signal SIGSEGV",
/// "storage exceeded (16M)", "corrupt ring: ...", "forced by CP: ...",
/// "could not be started: ...".
std::string describe(const GuestEnd& end);

/// True for the ends a restart policy answers: the guest did not choose to
/// stop and no user stopped it.
bool is_restartable(EndKind kind) noexcept;

/// The kind of end for a guest CP killed with kill_guest(reason): the router
/// words ring faults "corrupt ...", and a second SIGTERM "shutdown ...".
EndKind kind_of_cp_kill(const std::string& reason) noexcept;

} // namespace cpd::daemon
