// SPDX-License-Identifier: MIT
// Notifier: an unbound, non-blocking, close-on-exec datagram socket and the
// manager's address; each message is one sendto(). Abstract addresses ("@x")
// are passed with their exact length, as the protocol requires.
#include "service/notify.hpp"

#include <cerrno>
#include <cstddef>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace cpd::daemon {
namespace {

/// Parses a decimal environment value; 0 if absent or malformed.
std::uint64_t env_u64(const char* name) {
    const char* v = std::getenv(name);
    std::uint64_t out = 0;
    if (v == nullptr) {
        return 0;
    }
    auto [p, ec] = std::from_chars(v, v + std::strlen(v), out);
    return ec == std::errc{} && *p == '\0' ? out : 0;
}

} // namespace

Notifier Notifier::from_environment() {
    Notifier n;
    const char* path = std::getenv("NOTIFY_SOCKET");
    std::uint64_t wd_pid = env_u64("WATCHDOG_PID");
    if (wd_pid == 0 || wd_pid == static_cast<std::uint64_t>(::getpid())) {
        n.watchdog_usec_ = env_u64("WATCHDOG_USEC");
    }
    if (path != nullptr && (path[0] == '/' || path[0] == '@') &&
        std::strlen(path) < sizeof(sockaddr_un::sun_path)) {
        n.address_ = path;
        if (n.address_[0] == '@') {
            n.address_[0] = '\0';
        }
        n.fd_.reset(::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
    }
    ::unsetenv("NOTIFY_SOCKET");
    ::unsetenv("WATCHDOG_USEC");
    ::unsetenv("WATCHDOG_PID");
    return n;
}

bool Notifier::send(std::string_view message) const noexcept {
    if (!enabled()) {
        return false;
    }
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::memcpy(addr.sun_path, address_.data(), address_.size());
    auto len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + address_.size() +
                                      (address_[0] == '\0' ? 0 : 1));
    ssize_t n;
    do {
        n = ::sendto(fd_.get(), message.data(), message.size(), MSG_NOSIGNAL,
                     reinterpret_cast<const sockaddr*>(&addr), len);
    } while (n < 0 && errno == EINTR);
    return n == static_cast<ssize_t>(message.size());
}

void Notifier::ready(std::string_view status) const {
    send("READY=1\nSTATUS=" + std::string(status));
}

void Notifier::status(std::string_view status) const { send("STATUS=" + std::string(status)); }

void Notifier::reloading() const {
    timespec ts{};
    ::clock_gettime(CLOCK_MONOTONIC, &ts);
    auto usec = static_cast<std::uint64_t>(ts.tv_sec) * 1000000u +
                static_cast<std::uint64_t>(ts.tv_nsec) / 1000u;
    send("RELOADING=1\nMONOTONIC_USEC=" + std::to_string(usec));
}

void Notifier::stopping(std::string_view status) const {
    send("STOPPING=1\nSTATUS=" + std::string(status));
}

void Notifier::watchdog() const { send("WATCHDOG=1"); }

} // namespace cpd::daemon
