// SPDX-License-Identifier: MIT
// Session: the state of one logged-on CMS guest that commands act on: its
// userid, the minidisks of its directory entry, the accessed disks and the
// GLOBALV store, plus persistence of the LASTING GLOBALV file on the A-disk.
#pragma once

#include "cpd/cms/command_host.hpp"
#include "cpd/cms/disk_config.hpp"
#include "cpd/cms/filesystem.hpp"
#include "cpd/cms/globalv.hpp"

#include <cstddef>
#include <map>
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
    /// Outside the guest, for programs that run for a while (EXECs); null
    /// when nobody can serve them (unit tests without a fake host): EXEC
    /// then runs with its output collected into its CommandResult and no CP.
    CommandHost* host = nullptr;
    int exec_depth = 0;                 ///< EXECs running now (nested calls)
    /// EXECIO DISKR files left open (no FINIS): "FN FT M" -> next line (0-based).
    std::map<std::string, std::size_t> execio_open;

    /// Reads LASTING GLOBALV from the A-disk, if there; returns messages for problems.
    std::vector<std::string> load_lasting();
    /// Writes LASTING GLOBALV to the A-disk (a new file renamed over the old)
    /// if a lasting variable changed since the last load or save, else does
    /// nothing; not_accessed if there is no A-disk, read_only or io_error if it
    /// failed (the change then stays pending for the next save).
    FsStatus save_lasting();
};

} // namespace cpd::cms
