// SPDX-License-Identifier: MIT
// Landlock, best effort, without relying on the installed headers (Debian 12's
// stop at ABI 2; the kernels we run on speak ABI 7). cpd builds a guest's
// ruleset in the daemon before fork, so the child only has to call
// restrict_self: every open of a rule's path happens where errors can be
// reported and nothing needs to be async-signal-safe.
#pragma once

#include "cpd/ipc/unique_fd.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace cpd::daemon {

/// What a guest may do beneath one path.
enum class PathAccess {
    execute,    ///< read and execute files (programs, libraries)
    read,       ///< read files and list directories
    read_write, ///< also create, write, truncate, rename and remove files
    device,     ///< read and write an existing file such as /dev/null
};

/// One rule: `path` (a file or a directory and everything beneath it).
struct PathRule {
    std::string path;
    PathAccess access;
};

/// What the ruleset handles and allows.
struct LandlockPolicy {
    std::vector<PathRule> paths;
    bool allow_tcp = false; ///< false: TCP bind and connect are denied (ABI >= 4)
};

/// A ruleset ready for restrict_self, or why there is none.
struct LandlockRuleset {
    ipc::UniqueFd fd;    ///< empty: Landlock unavailable (see `missing`)
    int abi = 0;         ///< the kernel's Landlock ABI, 0 if none
    std::string missing; ///< "": everything enforced; else what is not (for one log line)
    std::vector<std::string> skipped; ///< rule paths that do not exist (not an error)
};

/// The running kernel's Landlock ABI version, 0 if Landlock is off or absent.
int landlock_abi() noexcept;

/// Builds the ruleset: every right the ABI knows is handled, the policy's
/// paths are allowed, TCP is denied unless allowed, and abstract Unix sockets
/// and signals are scoped to the domain (ABI >= 6). A path that cannot be
/// opened is skipped (named in `skipped`); other failures leave `fd` empty and
/// say why in `missing`.
LandlockRuleset build_landlock_ruleset(const LandlockPolicy& policy);

/// Child side (async-signal-safe): enforces `ruleset_fd` on the calling
/// process. NO_NEW_PRIVS must already be set. False (errno set) on failure.
bool landlock_restrict_self(int ruleset_fd) noexcept;

} // namespace cpd::daemon
