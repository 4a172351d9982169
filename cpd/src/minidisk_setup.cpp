// SPDX-License-Identifier: MIT
// prepare_minidisks: mkdir -p with explicit modes and owners, component by
// component below the state directory, so a guest running as the service
// user can reach its own disks and nobody else can read them.
#include "minidisk_setup.hpp"

#include <cerrno>
#include <cstring>
#include <sys/stat.h>
#include <unistd.h>

namespace cpd::daemon {

namespace {

// Makes `path` a directory with `mode`, owned by run_as if given; "" or why not.
std::string ensure_dir(const std::string& path, mode_t mode, const std::optional<RunAs>& run_as) {
    if (::mkdir(path.c_str(), mode) != 0 && errno != EEXIST) {
        return "unable to create " + path + ": " + std::strerror(errno);
    }
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
        return path + " is not a directory";
    }
    if (run_as && (st.st_uid != run_as->uid) && ::chown(path.c_str(), run_as->uid, run_as->gid) != 0) {
        return "unable to give " + path + " to " + run_as->name + ": " + std::strerror(errno);
    }
    return "";
}

} // namespace

std::string prepare_minidisks(const DirectoryEntry& entry, const std::string& state_dir,
                              const std::optional<RunAs>& run_as) {
    bool state_ready = false;
    for (const Minidisk& disk : entry.minidisks) {
        if (!disk.host_path.starts_with(state_dir_prefix)) {
            continue;
        }
        if (!state_ready) {
            // The state directory only needs to be traversable by the guest user.
            if (::mkdir(state_dir.c_str(), 0711) != 0 && errno != EEXIST) {
                return "unable to create state directory " + state_dir + ": " + std::strerror(errno);
            }
            state_ready = true;
        }
        const std::string full = resolve_host_path(disk.host_path, state_dir);
        // Create each component below the state directory, private to the guest user.
        for (std::size_t pos = state_dir.size() + 1; pos <= full.size(); ++pos) {
            if (pos == full.size() || full[pos] == '/') {
                if (auto problem = ensure_dir(full.substr(0, pos), 0700, run_as); !problem.empty()) {
                    return problem;
                }
            }
        }
    }
    return "";
}

} // namespace cpd::daemon
