// SPDX-License-Identifier: MIT
// Prepares a guest's minidisks before it starts: directories named under
// cpd's state directory ($STATE/...) are created on first logon, private to
// the account the guest runs as (mode 0700), so other host users cannot read
// them. Absolute MDISK paths belong to the administrator and are left alone.
#pragma once

#include "directory.hpp"
#include "spawn.hpp"

#include <optional>
#include <string>

namespace cpd::daemon {

/// Creates the $STATE/ minidisk directories of `entry` (and the state directory
/// itself), owned by `run_as` when cpd runs as root. Returns "" or a problem.
std::string prepare_minidisks(const DirectoryEntry& entry, const std::string& state_dir,
                              const std::optional<RunAs>& run_as);

} // namespace cpd::daemon
