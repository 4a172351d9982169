// SPDX-License-Identifier: MIT
// Session: the state of one logged-on CMS guest that commands act on: its
// userid, the minidisks of its directory entry, the accessed disks and the
// GLOBALV store, plus persistence of the LASTING GLOBALV file on the A-disk.
#pragma once

#include "cpd/cms/disk_config.hpp"
#include "cpd/cms/filesystem.hpp"
#include "cpd/cms/globalv.hpp"

#include <string>
#include <vector>

namespace cpd::cms {

/// File name and type of the file holding lasting GLOBALV variables on the A-disk.
inline constexpr std::string_view lasting_file_fn = "LASTING";
inline constexpr std::string_view lasting_file_ft = "GLOBALV";

/// Everything a CMS command may read or change.
struct Session {
    std::string userid;                 ///< upper-case userid of this guest
    std::vector<DiskConfig> configured; ///< the guest's minidisks (from the directory)
    FileSystem fs;                      ///< accessed disks
    GlobalvStore globalv;               ///< GLOBALV variables
    std::string saved_lasting;          ///< content last read or written to LASTING GLOBALV

    /// Reads LASTING GLOBALV from the A-disk, if there; returns messages for problems.
    std::vector<std::string> load_lasting();
    /// True if the lasting variables differ from what was last read or written.
    bool is_lasting_dirty() const { return globalv.serialize_lasting() != saved_lasting; }
    /// Writes LASTING GLOBALV to the A-disk if the lasting variables changed;
    /// not_accessed if there is no A-disk, read_only or io_error if it failed.
    FsStatus save_lasting();
};

} // namespace cpd::cms
