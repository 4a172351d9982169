// SPDX-License-Identifier: MIT
// Blocking frame I/O for the thin clients: connect to cpd's Unix socket, write
// whole buffers (MSG_NOSIGNAL: a dead peer is an error, not a SIGPIPE), and
// read one whole frame under an overall deadline. The header is checked by
// proto::decode_socket_header before the payload is read, so a hostile length
// never makes us allocate more than socket_max_payload.
#include "cpd/ipc/frame_io.hpp"

#include <cerrno>
#include <chrono>
#include <cstring>

#include <poll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

namespace cpd::ipc {
namespace {

class FrameCategory final : public std::error_category {
public:
    const char* name() const noexcept override { return "cpd.frame"; }
    std::string message(int value) const override {
        return value == static_cast<int>(frame_errc::eof) ? "end of stream" : "unknown frame error";
    }
};

using Clock = std::chrono::steady_clock;

std::error_code errno_code(int e) noexcept { return {e, std::system_category()}; }

/// Milliseconds left until `deadline` (-1: none), clamped at 0.
int remaining_ms(bool has_deadline, Clock::time_point deadline) noexcept {
    if (!has_deadline) {
        return -1;
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    return left.count() <= 0 ? 0 : static_cast<int>(left.count());
}

/// Waits until `fd` is readable or the deadline passes; false with `ec` set if not.
bool wait_readable(int fd, bool has_deadline, Clock::time_point deadline,
                   std::error_code& ec) noexcept {
    for (;;) {
        pollfd p{fd, POLLIN, 0};
        int r = ::poll(&p, 1, remaining_ms(has_deadline, deadline));
        if (r > 0) {
            return true;
        }
        if (r == 0) {
            ec = std::make_error_code(std::errc::timed_out);
            return false;
        }
        if (errno != EINTR) {
            ec = errno_code(errno);
            return false;
        }
    }
}

/// Reads exactly `size` bytes; `got` says how many arrived before an error or EOF.
/// recv comes first and poll only when it would block, so bytes already queued
/// (a whole answer from cpd, usually) cost one syscall; the deadline is only
/// consulted while waiting, so queued bytes are read even once it has passed.
bool read_exact(int fd, std::byte* buf, std::size_t size, std::size_t& got, bool has_deadline,
                Clock::time_point deadline, std::error_code& ec) noexcept {
    got = 0;
    while (got < size) {
        ssize_t n = ::recv(fd, buf + got, size - got, MSG_DONTWAIT);
        if (n > 0) {
            got += static_cast<std::size_t>(n);
            continue;
        }
        if (n == 0) {
            ec = got == 0 ? make_error_code(frame_errc::eof)
                          : std::make_error_code(std::errc::connection_reset);
            return false;
        }
        if (errno == EINTR) {
            continue;
        }
        if (errno != EAGAIN && errno != EWOULDBLOCK) {
            ec = errno_code(errno);
            return false;
        }
        if (!wait_readable(fd, has_deadline, deadline, ec)) {
            return false;
        }
    }
    return true;
}

} // namespace

const std::error_category& frame_category() noexcept {
    static const FrameCategory category;
    return category;
}

UniqueFd connect_unix(const std::string& path, std::error_code& ec) noexcept {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (path.empty() || path.size() >= sizeof addr.sun_path) {
        ec = std::make_error_code(path.empty() ? std::errc::invalid_argument
                                               : std::errc::filename_too_long);
        return UniqueFd{};
    }
    std::memcpy(addr.sun_path, path.data(), path.size());
    UniqueFd fd{::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)};
    if (!fd) {
        ec = errno_code(errno);
        return fd;
    }
    int r;
    do {
        r = ::connect(fd.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr);
    } while (r != 0 && errno == EINTR);
    if (r != 0) {
        ec = errno_code(errno);
        return UniqueFd{};
    }
    ec.clear();
    return fd;
}

bool write_all(int fd, std::span<const std::byte> head, std::span<const std::byte> body,
               std::error_code& ec) noexcept {
    std::span<const std::byte> parts[2] = {head, body};
    std::size_t first = 0; // the first part not fully sent
    while (first < 2) {
        iovec iov[2];
        int count = 0;
        for (std::size_t i = first; i < 2; ++i) {
            iov[count++] = iovec{const_cast<std::byte*>(parts[i].data()), parts[i].size()};
        }
        msghdr msg{};
        msg.msg_iov = iov;
        msg.msg_iovlen = static_cast<std::size_t>(count);
        const ssize_t n = ::sendmsg(fd, &msg, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            pollfd p{fd, POLLOUT, 0}; // a non-blocking socket: wait until writable
            ::poll(&p, 1, -1);
            continue;
        }
        if (n < 0) {
            ec = errno_code(errno);
            return false;
        }
        auto sent = static_cast<std::size_t>(n);
        for (; first < 2 && sent >= parts[first].size(); ++first) {
            sent -= parts[first].size();
        }
        if (first < 2) {
            parts[first] = parts[first].subspan(sent);
        }
    }
    ec.clear();
    return true;
}

bool write_all(int fd, const std::vector<std::byte>& bytes, std::error_code& ec) noexcept {
    return write_all(fd, std::span<const std::byte>(bytes), {}, ec);
}

bool read_frame(int fd, RawFrame& out, std::error_code& ec, int timeout_ms) noexcept {
    const bool has_deadline = timeout_ms >= 0;
    const auto deadline = Clock::now() + std::chrono::milliseconds(has_deadline ? timeout_ms : 0);
    std::byte head[proto::socket_header_size];
    std::size_t got = 0;
    if (!read_exact(fd, head, sizeof head, got, has_deadline, deadline, ec)) {
        return false;
    }
    auto header = proto::decode_socket_header(std::span<const std::byte>(head, sizeof head));
    if (!header) {
        ec = std::make_error_code(std::errc::protocol_error);
        return false;
    }
    try {
        out.payload.resize(header->length);
    } catch (...) {
        ec = std::make_error_code(std::errc::not_enough_memory);
        return false;
    }
    out.type = header->type;
    if (!read_exact(fd, out.payload.data(), out.payload.size(), got, has_deadline, deadline, ec)) {
        if (ec == frame_errc::eof) {
            ec = std::make_error_code(std::errc::connection_reset); // EOF inside a frame
        }
        return false;
    }
    ec.clear();
    return true;
}

} // namespace cpd::ipc
