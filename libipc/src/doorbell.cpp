// SPDX-License-Identifier: MIT
// Doorbell over an eventfd: ring() adds 1, drain() reads the counter back to
// zero, wait() polls for readability. The descriptor is non-blocking so a
// stray drain() never hangs; a failed write can only mean the counter is
// saturated, which still leaves the fd readable, so ring() ignores it.
// Over a socket pair end: ring() sends one byte (MSG_NOSIGNAL: a peer that is
// gone must not kill the ringer with SIGPIPE; a full buffer is already
// readable at the other end), drain() reads what is there, bounded.
#include "cpd/ipc/doorbell.hpp"

#include <cerrno>
#include <cstdint>

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

namespace cpd::ipc {

Doorbell Doorbell::create(std::error_code& ec) noexcept {
    int fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (fd < 0) {
        ec.assign(errno, std::system_category());
        return Doorbell{};
    }
    ec.clear();
    return Doorbell{UniqueFd{fd}, false};
}

bool Doorbell::create_pair(Doorbell& one, Doorbell& other, std::error_code& ec) noexcept {
    int fds[2] = {-1, -1};
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds) != 0) {
        ec.assign(errno, std::system_category());
        return false;
    }
    ec.clear();
    for (const int fd : fds) {
        const int smallest = 1; // the kernel rounds it up to its minimum
        ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &smallest, sizeof smallest);
    }
    one = Doorbell{UniqueFd{fds[0]}, true};
    other = Doorbell{UniqueFd{fds[1]}, true};
    return true;
}

Doorbell Doorbell::adopt(int fd) noexcept {
    struct stat st {};
    const bool pair_end = ::fstat(fd, &st) == 0 && S_ISSOCK(st.st_mode);
    return Doorbell{UniqueFd{fd}, pair_end};
}

void Doorbell::ring() const noexcept {
    ssize_t n;
    if (pair_end_) {
        const char byte = 1;
        do {
            n = ::send(fd_.get(), &byte, 1, MSG_DONTWAIT | MSG_NOSIGNAL);
        } while (n < 0 && errno == EINTR);
        return;
    }
    const std::uint64_t one = 1;
    do {
        n = ::write(fd_.get(), &one, sizeof one);
    } while (n < 0 && errno == EINTR);
}

std::uint64_t Doorbell::drain() const noexcept {
    if (pair_end_) {
        // Rings are single bytes; 16 reads of 256 bound the work of one call.
        std::uint64_t total = 0;
        char bytes[256];
        for (int i = 0; i < 16; ++i) {
            const ssize_t n = ::recv(fd_.get(), bytes, sizeof bytes, MSG_DONTWAIT);
            if (n < 0 && errno == EINTR) {
                continue;
            }
            if (n == 0 && total == 0) {
                return peer_closed;
            }
            if (n <= 0) {
                break;
            }
            total += static_cast<std::uint64_t>(n);
            if (static_cast<std::size_t>(n) < sizeof bytes) {
                break;
            }
        }
        return total;
    }
    std::uint64_t count = 0;
    ssize_t n;
    do {
        n = ::read(fd_.get(), &count, sizeof count);
    } while (n < 0 && errno == EINTR);
    return n == static_cast<ssize_t>(sizeof count) ? count : 0;
}

bool Doorbell::wait(int timeout_ms) const noexcept {
    pollfd p{fd_.get(), POLLIN, 0};
    int r;
    do {
        r = ::poll(&p, 1, timeout_ms);
    } while (r < 0 && errno == EINTR);
    return r > 0 && (p.revents & POLLIN) != 0;
}

} // namespace cpd::ipc
