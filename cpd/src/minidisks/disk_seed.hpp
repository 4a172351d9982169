// SPDX-License-Identifier: MIT
// The first files of a new minidisk: when cpd creates a $STATE disk directory,
// it copies into it the regular files of the matching seed directory (the
// "disks/" tree beside the user directory file), so a sample or an
// administrator can give new users a PROFILE EXEC. Never touches a disk that
// already existed; never follows a link; bounded in count and size.
#pragma once

#include <cstddef>
#include <string>

namespace cpd::daemon {

/// At most this many files are copied into one new disk.
inline constexpr std::size_t seed_max_files = 64;
/// A seed file larger than this is skipped (and logged).
inline constexpr std::size_t seed_max_bytes = 1024 * 1024;

/// The seed directory of a $STATE minidisk path: `seed_root` + the part below
/// "$STATE/disks/" ("$STATE/disks/MAINT/191" -> "<seed_root>/MAINT/191"), or ""
/// if the path is not below $STATE/disks/ or `seed_root` is "".
std::string seed_dir_of(const std::string& host_path, const std::string& seed_root);

/// Copies the regular files of `seed_dir` (if it exists) into the directory
/// open as `disk_fd`, mode 0644, skipping names already there. "" or why not;
/// a missing seed directory is no error.
std::string copy_seed_files(int disk_fd, const std::string& seed_dir);

} // namespace cpd::daemon
