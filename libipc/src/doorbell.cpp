// SPDX-License-Identifier: MIT
// Doorbell over an eventfd: ring() adds 1, drain() reads the counter back to
// zero, wait() polls for readability. The descriptor is non-blocking so a
// stray drain() never hangs; a failed write can only mean the counter is
// saturated, which still leaves the fd readable, so ring() ignores it.
#include "cpd/ipc/doorbell.hpp"

#include <cerrno>
#include <cstdint>

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

namespace cpd::ipc {

Doorbell Doorbell::create(std::error_code& ec) noexcept {
    int fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (fd < 0) {
        ec.assign(errno, std::system_category());
        return Doorbell{};
    }
    ec.clear();
    return Doorbell{UniqueFd{fd}};
}

Doorbell Doorbell::adopt(int fd) noexcept { return Doorbell{UniqueFd{fd}}; }

void Doorbell::ring() const noexcept {
    const std::uint64_t one = 1;
    ssize_t n;
    do {
        n = ::write(fd_.get(), &one, sizeof one);
    } while (n < 0 && errno == EINTR);
}

std::uint64_t Doorbell::drain() const noexcept {
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
