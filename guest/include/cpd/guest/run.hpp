// SPDX-License-Identifier: MIT
// The entry point of every guest program: adopt the rings cpd handed over,
// then run the event loop that calls the handler until logoff.
#pragma once

#include "cpd/guest/handler.hpp"

namespace cpd::guest {

/// Exit status after a clean logoff.
inline constexpr int exit_logoff = 0;
/// Exit status when the guest was not started by cpd (missing fds or environment).
inline constexpr int exit_not_a_guest = 78;
/// Exit status when a handler threw (cpd logs the machine as crashed).
inline constexpr int exit_panic = 86;
/// Exit status when the rings were found corrupt or cpd vanished.
inline constexpr int exit_ipc_failure = 87;

/// Runs `handler` as this guest until it is logged off; returns the exit status.
/// Expects to have been started by cpd (see docs: fds 3-5, CPD_GUEST_* variables).
int run(Handler& handler) noexcept;

/// Convenience main body: builds H with no arguments and runs it.
template <class H> int run_guest() noexcept {
    H handler;
    return run(handler);
}

} // namespace cpd::guest
