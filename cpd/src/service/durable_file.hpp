// SPDX-License-Identifier: MIT
// Files cpd keeps across crashes (LOGMSG, spool metadata) are replaced whole:
// written under a temporary name, synced, renamed over the old one, and the
// directory synced, so a crash at any point leaves the old file or the new
// one, never a part of either.
#pragma once

#include <span>
#include <string>

namespace cpd::daemon {

/// Writes all of `bytes` to the regular file `fd`, going on after a short
/// write or EINTR. False with errno set on failure.
bool write_whole(int fd, std::span<const std::byte> bytes) noexcept;

/// Replaces `path` (in directory `dir`) by `bytes` as described above; the
/// temporary file is `path` + ".tmp", mode 0600, and a link there is never
/// followed. "" once the new file is in place (a failed directory sync after
/// the rename is logged as a warning), else what failed: the old file is
/// untouched and the temporary one removed.
std::string replace_durably(const std::string& dir, const std::string& path,
                            std::span<const std::byte> bytes);

} // namespace cpd::daemon
