// SPDX-License-Identifier: MIT
// copy_seed_files: a few small files from the seed directory into a disk cpd
// has just created. Each file is opened O_NOFOLLOW and checked to be regular,
// so a link in the seed tree is skipped, never read through; each copy is
// created O_EXCL relative to the disk's descriptor, so nothing is replaced.
#include "minidisks/disk_seed.hpp"

#include "config/directory/directory.hpp"

#include "cpd/ipc/log.hpp"
#include "cpd/ipc/unique_fd.hpp"

#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <string_view>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace cpd::daemon {
namespace {

using ipc::UniqueFd;

// Reads all of `fd` (at most `limit` bytes); false on a read error.
bool read_all(int fd, std::size_t limit, std::vector<char>& out) {
    out.clear();
    char buf[16384];
    for (;;) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return n == 0;
        }
        out.insert(out.end(), buf, buf + n);
        if (out.size() > limit) {
            return false;
        }
    }
}

// Writes `data` as a new file `name` in `dir_fd`; "" or why not.
std::string write_new(int dir_fd, const std::string& name, const std::vector<char>& data) {
    UniqueFd out(
        ::openat(dir_fd, name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644));
    if (!out) {
        return errno == EEXIST ? "" : std::string(std::strerror(errno));
    }
    std::string_view rest(data.data(), data.size());
    while (!rest.empty()) {
        const ssize_t n = ::write(out.get(), rest.data(), rest.size());
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            const std::string why = n < 0 ? std::strerror(errno) : "short write";
            ::unlinkat(dir_fd, name.c_str(), 0);
            return why;
        }
        rest.remove_prefix(static_cast<std::size_t>(n));
    }
    // The umask may have narrowed 0644; guests linked R/O must read the file.
    ::fchmod(out.get(), 0644);
    return "";
}

} // namespace

std::string seed_dir_of(const std::string& host_path, const std::string& seed_root) {
    const std::string prefix = std::string(state_dir_prefix) + "disks/";
    if (seed_root.empty() || !host_path.starts_with(prefix)) {
        return "";
    }
    return seed_root + "/" + host_path.substr(prefix.size());
}

std::string copy_seed_files(int disk_fd, const std::string& seed_dir) {
    UniqueFd seed(::open(seed_dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!seed) {
        return errno == ENOENT ? "" : "unable to open " + seed_dir + ": " + std::strerror(errno);
    }
    DIR* listing = ::fdopendir(::dup(seed.get()));
    if (listing == nullptr) {
        return "unable to list " + seed_dir + ": " + std::strerror(errno);
    }
    std::size_t copied = 0;
    std::string problem;
    std::vector<char> data;
    while (const dirent* e = ::readdir(listing)) {
        const std::string name = e->d_name;
        if (name == "." || name == "..") {
            continue;
        }
        UniqueFd in(::openat(seed.get(), name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
        struct stat st {};
        if (!in || ::fstat(in.get(), &st) != 0 || !S_ISREG(st.st_mode)) {
            continue; // links, directories and the unreadable are not seed files
        }
        if (copied == seed_max_files || static_cast<std::size_t>(st.st_size) > seed_max_bytes ||
            !read_all(in.get(), seed_max_bytes, data)) {
            CPD_LOG(warn, "minidisks: seed file ", seed_dir, "/", name, " not copied: over ",
                    seed_max_files, " files or ", seed_max_bytes, " bytes, or unreadable");
            continue;
        }
        if (auto why = write_new(disk_fd, name, data); !why.empty()) {
            problem = "unable to copy " + seed_dir + "/" + name + ": " + why;
            break;
        }
        ++copied;
    }
    ::closedir(listing);
    return problem;
}

} // namespace cpd::daemon
