// SPDX-License-Identifier: MIT
// What cpd does to its own process at start, for the guests' sake: not
// dumpable (a guest under cpd's uid must not read or trace it), a child
// subreaper (what a guest forks and leaves comes to cpd to be reaped), its
// soft descriptor limit at the hard one (thousands of guests), and, when
// started as root, every capability dropped but the few it uses.
#pragma once

#include <string>

namespace cpd::daemon {

/// Non-dumpable, subreaper, descriptor limit raised. Call first thing.
void prepare_daemon_process() noexcept;

/// Narrows a root cpd's capabilities to what separating guests and taking
/// over old minidisk directories need (SETUID, SETGID, KILL, CHOWN, FOWNER,
/// DAC_READ_SEARCH); a cpd with fewer keeps what it has. "" or why not.
std::string drop_unneeded_capabilities();

} // namespace cpd::daemon
