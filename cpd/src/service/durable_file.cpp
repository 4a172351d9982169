// SPDX-License-Identifier: MIT
#include "service/durable_file.hpp"

#include "cpd/ipc/log.hpp"
#include "cpd/ipc/unique_fd.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include <fcntl.h>
#include <unistd.h>

namespace cpd::daemon {

bool write_whole(int fd, std::span<const std::byte> bytes) noexcept {
    while (!bytes.empty()) {
        const ssize_t n = ::write(fd, bytes.data(), bytes.size());
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            errno = n == 0 ? EIO : errno;
            return false;
        }
        bytes = bytes.subspan(static_cast<std::size_t>(n));
    }
    return true;
}

std::string replace_durably(const std::string& dir, const std::string& path,
                            std::span<const std::byte> bytes) {
    std::string tmp = path;
    tmp += ".tmp";
    const char* step = "create";
    ipc::UniqueFd fd(
        ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600));
    bool ok = static_cast<bool>(fd);
    if (ok) {
        step = "write";
        ok = write_whole(fd.get(), bytes);
    }
    if (ok) {
        step = "sync";
        ok = ::fsync(fd.get()) == 0;
    }
    if (ok) {
        step = "rename";
        ok = std::rename(tmp.c_str(), path.c_str()) == 0;
    }
    if (!ok) {
        const int err = errno;
        ::unlink(tmp.c_str());
        std::string why = "unable to ";
        why += step;
        why += ' ';
        why += tmp;
        why += ": ";
        why += std::strerror(err);
        return why;
    }
    // The rename is durable only once the directory is. The new file is in
    // place either way, so a failed sync is a warning, not a failed write.
    ipc::UniqueFd d(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!d || ::fsync(d.get()) != 0) {
        CPD_LOG(warn, "cpd: unable to sync ", dir, " after replacing ", path, ": ",
                std::strerror(errno), " (a crash now may bring back the old file)");
    }
    return "";
}

} // namespace cpd::daemon
