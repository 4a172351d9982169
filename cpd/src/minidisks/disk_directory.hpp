// SPDX-License-Identifier: MIT
// Finding or making a minidisk's host directory. Directories named under
// cpd's state directory ($STATE/...) are created on first use; every one cpd
// creates belongs to cpd: the ones on the way are 0711 (guests pass through,
// nobody lists them) and the disk itself 0770 with the ACL of
// minidisks/disk_access.hpp. Absolute MDISK paths belong to the administrator
// and must exist (and be cpd's, for cpd to set their ACL).
#pragma once

#include "cpd/ipc/unique_fd.hpp"

#include <string>

namespace cpd::daemon {

/// An open disk directory, or why there is none.
struct DiskDirectory {
    ipc::UniqueFd fd; ///< O_DIRECTORY, for fsetxattr
    std::string path; ///< the resolved host path, for messages and Landlock
    std::string error;
};

/// Creates the state directory and its disk area ($STATE/disks), both 0711,
/// and missing parents (0711 when guests have uids of their own, else 0700),
/// before any guest starts: Landlock rules name the area. With own uids, an
/// ancestor others cannot search is logged (its guests could not reach their
/// disks). "" or why not.
std::string prepare_disk_area(const std::string& state_dir, bool guests_have_own_uids);

/// Opens (creating $STATE/ paths as described above) the directory of an MDISK
/// `host_path`. Symbolic links below the state directory are never followed.
/// A $STATE/disks/ disk this call creates gets the files of its seed
/// directory below `seed_root` (minidisks/disk_seed.hpp), if there is one.
DiskDirectory open_disk_directory(const std::string& host_path, const std::string& state_dir,
                                  const std::string& seed_root = {});

} // namespace cpd::daemon
