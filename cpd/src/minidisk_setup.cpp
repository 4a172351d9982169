// SPDX-License-Identifier: MIT
// prepare_minidisks: mkdir -p with explicit modes and owners, component by
// component below the state directory, so a guest running as the service
// user can reach its own disks and nobody else can read them.
//
// The directories below $STATE belong to the service user, and guests run as
// that user: a guest can replace any of them with a symbolic link (to /etc,
// say). cpd runs as root, so the walk never resolves a path by name. It holds
// a descriptor of each directory and creates, opens (O_NOFOLLOW) and chowns
// the next component relative to it; a link anywhere below $STATE fails the
// preparation instead of handing the link's target to the service user.
#include "minidisk_setup.hpp"

#include "cpd/ipc/unique_fd.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <string_view>
#include <sys/stat.h>
#include <unistd.h>

namespace cpd::daemon {

namespace {

using ipc::UniqueFd;

// Makes `name` a directory with `mode` inside the directory `parent` (shown as
// `path` in messages), owned by run_as if given; sets `out` to it; "" or why not.
std::string ensure_dir(int parent, const std::string& name, const std::string& path, mode_t mode,
                       const std::optional<RunAs>& run_as, UniqueFd& out) {
    if (::mkdirat(parent, name.c_str(), mode) != 0 && errno != EEXIST) {
        return "unable to create " + path + ": " + std::strerror(errno);
    }
    // An existing name may be a link planted by a guest: O_NOFOLLOW refuses a
    // link (ELOOP), O_DIRECTORY anything else that is not a directory (ENOTDIR).
    out.reset(::openat(parent, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!out) {
        const int err = errno;
        if (err == ELOOP || err == ENOTDIR) {
            return path +
                   " is not a directory (symbolic links are not followed): " + std::strerror(err);
        }
        return "unable to open " + path + ": " + std::strerror(err);
    }
    struct stat st {};
    if (::fstat(out.get(), &st) != 0 || !S_ISDIR(st.st_mode)) {
        return path + " is not a directory";
    }
    // fchown acts on the directory just opened, never on whatever the name
    // points to by now.
    if (run_as && (st.st_uid != run_as->uid) &&
        ::fchown(out.get(), run_as->uid, run_as->gid) != 0) {
        return "unable to give " + path + " to " + run_as->name + ": " + std::strerror(errno);
    }
    return "";
}

} // namespace

std::string prepare_minidisks(const DirectoryEntry& entry, const std::string& state_dir,
                              const std::optional<RunAs>& run_as) {
    UniqueFd state;
    for (const Minidisk& disk : entry.minidisks) {
        if (!disk.host_path.starts_with(state_dir_prefix)) {
            continue;
        }
        if (!state) {
            // The state directory only needs to be traversable by the guest user.
            // It is the administrator's (not chowned), so a link there is trusted.
            if (::mkdir(state_dir.c_str(), 0711) != 0 && errno != EEXIST) {
                return "unable to create state directory " + state_dir + ": " +
                       std::strerror(errno);
            }
            state.reset(::open(state_dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
            if (!state) {
                return "unable to open state directory " + state_dir + ": " + std::strerror(errno);
            }
        }
        const std::string full = resolve_host_path(disk.host_path, state_dir);
        // Walk the components after "$STATE/", each below the previous one's
        // descriptor, private to the guest user.
        const std::string_view rest =
            std::string_view(disk.host_path).substr(state_dir_prefix.size());
        std::string path = full.substr(0, full.size() - rest.size());
        if (!path.empty() && path.back() == '/') {
            path.pop_back();
        }
        int parent = state.get();
        UniqueFd dir;
        for (std::size_t start = 0; start < rest.size();) {
            const std::size_t end = std::min(rest.find('/', start), rest.size());
            const std::string name(rest.substr(start, end - start));
            start = end + 1;
            if (name.empty()) {
                continue;
            }
            path += "/" + name;
            // The parser rejects these; refuse them here too rather than leave $STATE.
            if (name == "." || name == "..") {
                return "minidisk path " + disk.host_path + " leaves the state directory";
            }
            UniqueFd next;
            if (auto problem = ensure_dir(parent, name, path, 0700, run_as, next);
                !problem.empty()) {
                return problem;
            }
            dir = std::move(next);
            parent = dir.get();
        }
    }
    return "";
}

} // namespace cpd::daemon
