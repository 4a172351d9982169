// SPDX-License-Identifier: MIT
// fork() with every signal blocked across it, so that no handler of cpd's
// (asio's signal_set installs some) runs in the child before the child has
// set its own dispositions; the parent's mask is restored at once.
#pragma once

#include <sys/types.h>

namespace cpd::daemon {

/// fork() with all signals blocked. In the parent the old mask is back; the
/// child starts with every signal blocked and must reset its mask itself.
/// -1 with errno on failure.
pid_t fork_with_signals_blocked() noexcept;

} // namespace cpd::daemon
