// SPDX-License-Identifier: MIT
// An abstract socket as a lock between processes: bind() succeeds for one
// holder at a time, and the kernel releases it when the holder dies, so a
// killed holder never leaves it taken. Raw system calls only: the callers
// are a forked child and a vfork'd helper (std::to_chars is plain arithmetic).
#include "isolation/sweep_lock.hpp"

#include <cerrno>
#include <charconv>
#include <cstddef>
#include <ctime>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace cpd::daemon {

int take_sweep_lock(uid_t sweeper) noexcept {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    constexpr char prefix[] = "cpd-sweep-";
    std::size_t n = 1; // sun_path[0] = '\0': abstract
    for (char c : prefix) {
        if (c != '\0') {
            addr.sun_path[n++] = c;
        }
    }
    n = static_cast<std::size_t>(
        std::to_chars(addr.sun_path + n, addr.sun_path + sizeof addr.sun_path, sweeper).ptr -
        addr.sun_path);
    const auto len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + n);
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return -1;
    }
    const timespec pause{0, 200000}; // 0.2 ms: a sweep is two kill(-1) calls
    for (int attempt = 0; attempt < 25000; ++attempt) {
        if (::bind(fd, reinterpret_cast<const sockaddr*>(&addr), len) == 0) {
            return fd;
        }
        if (errno != EADDRINUSE) {
            break;
        }
        ::nanosleep(&pause, nullptr);
    }
    const int error = errno;
    ::close(fd);
    errno = error;
    return -1;
}

} // namespace cpd::daemon
