// SPDX-License-Identifier: MIT
// Who may reach a minidisk's directory, kept by the kernel: the directory
// belongs to cpd (mode 0770, nothing for "other") and carries a POSIX access
// ACL with one entry per guest uid linked to it, rwx for a write link and r-x
// for a read link. Files on the disk are written 0644 (the guest's umask) and
// replaced by rename, so a read link can read every file and write none, and
// dropping an entry (DETACH, logoff) closes the disk to that guest at once.
// The ACL is written whole from cpd's link table each time, so an entry left
// by a crash never outlives the next change.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <sys/types.h>

namespace cpd::daemon {

/// One guest uid's access to a disk directory.
struct DiskGrant {
    uid_t uid = 0;
    bool write = false;
};

/// The system.posix_acl_access value for `grants` (version 2, entries sorted
/// by tag then id, as the kernel requires). Pure; unit-tested.
std::vector<unsigned char> encode_disk_acl(std::vector<DiskGrant> grants);

/// Sets the ACL of the directory open as `dir_fd` to `grants` (and its mode to
/// 0770, the mask). "" or why not.
std::string set_disk_grants(int dir_fd, const std::vector<DiskGrant>& grants);

} // namespace cpd::daemon
