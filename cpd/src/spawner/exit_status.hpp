// SPDX-License-Identifier: MIT
// How cpd words a guest's death in its log: "exited with status N", "killed by
// signal SIGKILL", "crashed: handler panic". Pure functions over wait statuses.
#pragma once

#include <string>

namespace cpd::daemon {

/// Exit status of a guest whose handler threw: cpd::guest::exit_panic in
/// guest/include/cpd/guest/run.hpp. Repeated here so cpd need not link the SDK.
inline constexpr int guest_exit_panic = 86;
/// Exit status of a guest that found its rings corrupt or lost cpd (guest::exit_ipc_failure).
inline constexpr int guest_exit_ipc_failure = 87;
/// Exit status of a program started outside cpd (guest::exit_not_a_guest).
inline constexpr int guest_exit_not_a_guest = 78;

/// The name of a signal, e.g. "SIGKILL" (or "signal 42").
std::string signal_name(int sig);

/// Describes a waitpid() status; `panicked` when the guest sent HandlerPanic.
std::string describe_exit(int wait_status, bool panicked);

/// True if the status means the guest crashed rather than logged off.
bool is_crash(int wait_status, bool panicked) noexcept;

} // namespace cpd::daemon
