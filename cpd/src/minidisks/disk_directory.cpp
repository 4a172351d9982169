// SPDX-License-Identifier: MIT
// open_disk_directory: mkdir -p with explicit modes, component by component
// below the state directory. Guests may write inside a disk directory (a link
// there could name /etc), and earlier releases gave every directory below
// $STATE to the guests' account, so the walk never resolves a path by name:
// it holds a descriptor of each directory and creates and opens (O_NOFOLLOW)
// the next component relative to it. A link anywhere below $STATE fails the
// walk instead of handing the link's target to a guest.
#include "minidisks/disk_directory.hpp"

#include "minidisks/disk_seed.hpp"

#include "config/directory/directory.hpp"

#include "cpd/ipc/log.hpp"

#include "cpd/ipc/unique_fd.hpp"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <string_view>
#include <sys/stat.h>
#include <unistd.h>

namespace cpd::daemon {

namespace {

using ipc::UniqueFd;

// Makes `name` a directory with `mode` inside the directory `parent` (shown as
// `path` in messages), owned by cpd; sets `out` to it; "" or why not.
std::string ensure_dir(int parent, const std::string& name, const std::string& path, mode_t mode,
                       UniqueFd& out, bool* created = nullptr) {
    const bool made = ::mkdirat(parent, name.c_str(), mode) == 0;
    if (!made && errno != EEXIST) {
        return "unable to create " + path + ": " + std::strerror(errno);
    }
    if (created != nullptr) {
        *created = made;
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
    // A directory an earlier release gave to the guests' account comes back
    // to cpd; fchown acts on the directory just opened, never on a name.
    if ((st.st_uid != ::geteuid() || st.st_gid != ::getegid()) &&
        ::fchown(out.get(), ::geteuid(), ::getegid()) != 0) {
        return "unable to take over " + path + ": " + std::strerror(errno);
    }
    if ((st.st_mode & 07777) != mode && ::fchmod(out.get(), mode) != 0) {
        return "unable to set the mode of " + path + ": " + std::strerror(errno);
    }
    return "";
}

/// True for the system's own trees, which no MDISK may name: cpd would put
/// its ACL on them and give guests Landlock rules there.
bool is_system_path(std::string_view path) {
    static constexpr std::string_view system_trees[] = {
        "/bin",  "/boot", "/dev", "/etc",  "/lib", "/lib32", "/lib64",       "/libx32",
        "/proc", "/root", "/run", "/sbin", "/sys", "/usr",   "/var/lib/dpkg"};
    if (path == "/" || path.empty()) {
        return true;
    }
    for (std::string_view tree : system_trees) {
        if (path == tree || (path.starts_with(tree) && path[tree.size()] == '/')) {
            return true;
        }
    }
    return false;
}

/// Opens an administrator's absolute disk directory as it is. It must be
/// cpd's own: cpd rewrites its ACL and mode.
DiskDirectory open_absolute(const std::string& path) {
    DiskDirectory d;
    d.path = path;
    // Judged by where it really is: "//etc", "/srv/../etc" and links to /etc
    // are /etc; and opened as that, never through a link again.
    char real[PATH_MAX];
    const bool resolved = ::realpath(path.c_str(), real) != nullptr;
    if (is_system_path(path) || (resolved && is_system_path(real))) {
        d.error = path + " is a system directory and cannot be a minidisk";
        return d;
    }
    if (!resolved) {
        d.error = "unable to open " + path + ": " + std::strerror(errno);
        return d;
    }
    d.fd.reset(::open(real, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!d.fd) {
        d.error = "unable to open " + path + ": " + std::strerror(errno);
        return d;
    }
    struct stat st {};
    if (::fstat(d.fd.get(), &st) != 0 || st.st_uid != ::geteuid()) {
        d.error = path + " belongs to uid " + std::to_string(st.st_uid) + ", not to cpd's user (" +
                  std::to_string(::geteuid()) + "): chown it to make it a minidisk";
        d.fd.reset();
    }
    return d;
}

} // namespace

std::string prepare_disk_area(const std::string& state_dir, bool guests_have_own_uids) {
    // Missing parents too (~/.local/state for a personal cpd), private to its
    // user as the XDG base directory rules want them.
    for (std::size_t slash = state_dir.find('/', 1); slash != std::string::npos;
         slash = state_dir.find('/', slash + 1)) {
        const std::string parent = state_dir.substr(0, slash);
        // Guests under uids of their own must pass through to their disks.
        if (::mkdir(parent.c_str(), guests_have_own_uids ? 0711 : 0700) != 0 && errno != EEXIST) {
            return "unable to create " + parent +
                   " for the state directory: " + std::strerror(errno);
        }
    }
    if (::mkdir(state_dir.c_str(), 0711) != 0 && errno != EEXIST) {
        return "unable to create state directory " + state_dir + ": " + std::strerror(errno);
    }
    UniqueFd state(::open(state_dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!state) {
        return "unable to open state directory " + state_dir + ": " + std::strerror(errno);
    }
    // Guests pass through the state directory to their disks.
    struct stat st {};
    if (::fstat(state.get(), &st) == 0 && (st.st_mode & 0711) != 0711 &&
        ::fchmod(state.get(), (st.st_mode & 07777) | 0711) != 0) {
        return "unable to let guests through " + state_dir + ": " + std::strerror(errno);
    }
    if (guests_have_own_uids) {
        for (std::size_t slash = state_dir.find('/', 1); slash != std::string::npos;
             slash = state_dir.find('/', slash + 1)) {
            const std::string parent = state_dir.substr(0, slash);
            struct stat up {};
            if (::stat(parent.c_str(), &up) == 0 && (up.st_mode & S_IXOTH) == 0) {
                // A warning, not an error: guests without minidisks still run.
                CPD_LOG(warn, "cpd: ", parent,
                        " is not searchable by others: guests under uids of their own "
                        "cannot reach their minidisks below it (chmod o+x it or choose "
                        "another state_dir)");
                break;
            }
        }
    }
    UniqueFd area;
    return ensure_dir(state.get(), "disks", state_dir + "/disks", 0711, area);
}

DiskDirectory open_disk_directory(const std::string& host_path, const std::string& state_dir,
                                  const std::string& seed_root) {
    if (!host_path.starts_with(state_dir_prefix)) {
        return open_absolute(host_path);
    }
    DiskDirectory d;
    d.path = resolve_host_path(host_path, state_dir);
    // The state directory only needs to be traversable by guests. It is the
    // administrator's (or systemd's StateDirectory=), so a link there is trusted.
    if (::mkdir(state_dir.c_str(), 0711) != 0 && errno != EEXIST) {
        d.error = "unable to create state directory " + state_dir + ": " + std::strerror(errno);
        return d;
    }
    UniqueFd state(::open(state_dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!state) {
        d.error = "unable to open state directory " + state_dir + ": " + std::strerror(errno);
        return d;
    }
    const std::string_view rest = std::string_view(host_path).substr(state_dir_prefix.size());
    std::string path = d.path.substr(0, d.path.size() - rest.size());
    if (!path.empty() && path.back() == '/') {
        path.pop_back();
    }
    int parent = state.get();
    UniqueFd dir;
    bool created = false;
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
            d.error = "minidisk path " + host_path + " leaves the state directory";
            return d;
        }
        const bool is_disk = start >= rest.size();
        UniqueFd next;
        if (auto problem = ensure_dir(parent, name, path, is_disk ? 0770 : 0711, next,
                                      is_disk ? &created : nullptr);
            !problem.empty()) {
            d.error = problem;
            return d;
        }
        dir = std::move(next);
        parent = dir.get();
    }
    // A disk made just now starts with its seed files; one that existed is the user's.
    if (const std::string seed = seed_dir_of(host_path, seed_root); created && !seed.empty()) {
        if (auto problem = copy_seed_files(dir.get(), seed); !problem.empty()) {
            CPD_LOG(warn, "minidisks: ", d.path, ": ", problem);
        }
    }
    d.fd = std::move(dir);
    return d;
}

} // namespace cpd::daemon
