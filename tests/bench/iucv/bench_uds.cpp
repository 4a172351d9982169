// SPDX-License-Identifier: MIT
// The socket baseline: each message is a 4-byte length and the payload on a
// SOCK_STREAM socket. The hub is a single-threaded poll() loop that, like cpd,
// reads one whole frame (header, then payload into its own buffer) and writes
// it to the other side; the receiver acks as the IUCV receiver does.
#include "bench_uds.hpp"

#include "bench_checksum.hpp"

#include <chrono>
#include <functional>
#include <cstring>
#include <vector>

#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

namespace cpd::bench {
namespace {

bool read_all(int fd, void* buf, std::size_t size) {
    auto* p = static_cast<char*>(buf);
    while (size > 0) {
        const ssize_t n = ::read(fd, p, size);
        if (n <= 0) {
            return false;
        }
        p += n;
        size -= static_cast<std::size_t>(n);
    }
    return true;
}

bool write_all(int fd, const void* buf, std::size_t size) {
    const auto* p = static_cast<const char*>(buf);
    while (size > 0) {
        const ssize_t n = ::write(fd, p, size);
        if (n <= 0) {
            return false;
        }
        p += n;
        size -= static_cast<std::size_t>(n);
    }
    return true;
}

/// Reads one frame from `from` into `buf` and writes it to `to`.
bool relay(int from, int to, std::vector<char>& buf) {
    std::uint32_t len = 0;
    if (!read_all(from, &len, sizeof len) || len > buf.size() - sizeof len) {
        return false;
    }
    std::memcpy(buf.data(), &len, sizeof len);
    return read_all(from, buf.data() + sizeof len, len) &&
           write_all(to, buf.data(), len + sizeof len);
}

[[noreturn]] void hub(int a, int b) {
    std::vector<char> buf(1 << 17);
    pollfd fds[2] = {{a, POLLIN, 0}, {b, POLLIN, 0}};
    for (;;) {
        if (::poll(fds, 2, -1) < 0) {
            ::_exit(1);
        }
        if ((fds[0].revents & (POLLHUP | POLLERR)) != 0 && (fds[0].revents & POLLIN) == 0) {
            ::_exit(0);
        }
        if ((fds[0].revents & POLLIN) != 0 && !relay(a, b, buf)) {
            ::_exit(0);
        }
        if ((fds[1].revents & POLLIN) != 0 && !relay(b, a, buf)) {
            ::_exit(0);
        }
    }
}

[[noreturn]] void receiver(int fd, std::uint64_t count, std::uint64_t ack_every) {
    std::vector<char> buf(1 << 17);
    std::uint64_t sum = 0;
    for (std::uint64_t got = 1; got <= count; ++got) {
        std::uint32_t len = 0;
        if (!read_all(fd, &len, sizeof len) || len > buf.size() || !read_all(fd, buf.data(), len)) {
            ::_exit(1);
        }
        sum += checksum(reinterpret_cast<const std::byte*>(buf.data()), len);
        if (got % ack_every == 0 || got == count) {
            const std::uint32_t frame[2] = {4, static_cast<std::uint32_t>(got)};
            if (!write_all(fd, frame, sizeof frame)) {
                ::_exit(1);
            }
        }
    }
    ::_exit(sum == 1 ? 2 : 0); // use the sum so it is computed
}

pid_t spawn(const std::function<void()>& body) {
    const pid_t pid = ::fork();
    if (pid == 0) {
        body();
        ::_exit(0);
    }
    return pid;
}

} // namespace

Transfer run_uds(std::size_t size, std::uint64_t count, std::uint64_t window,
                 std::uint64_t ack_every) {
    int sh[2], hr[2]; // sender<->hub, hub<->receiver
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, sh) != 0 ||
        ::socketpair(AF_UNIX, SOCK_STREAM, 0, hr) != 0) {
        return {};
    }
    const pid_t h = spawn([&] {
        ::close(sh[0]);
        ::close(hr[1]);
        hub(sh[1], hr[0]);
    });
    const pid_t r = spawn([&] {
        ::close(sh[0]);
        ::close(sh[1]);
        ::close(hr[0]);
        receiver(hr[1], count, ack_every);
    });
    ::close(sh[1]);
    ::close(hr[0]);
    ::close(hr[1]);
    std::vector<char> msg(size + 4, 'Z');
    const auto len = static_cast<std::uint32_t>(size);
    std::memcpy(msg.data(), &len, sizeof len);
    Transfer t;
    const auto start = std::chrono::steady_clock::now();
    std::uint64_t sent = 0, acked = 0;
    bool ok = true;
    while (ok && acked < count) {
        while (ok && sent < count && sent - acked < window) {
            ok = write_all(sh[0], msg.data(), msg.size());
            ++sent;
        }
        std::uint32_t frame[2] = {0, 0};
        ok = ok && read_all(sh[0], frame, sizeof frame);
        acked = frame[1];
    }
    t.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    ::close(sh[0]);
    int status = 0;
    ::waitpid(r, &status, 0);
    const bool receiver_ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    ::waitpid(h, &status, 0);
    t.ok = ok && receiver_ok;
    t.messages = acked;
    t.bytes = acked * size;
    return t;
}

} // namespace cpd::bench
