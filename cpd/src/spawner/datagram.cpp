// SPDX-License-Identifier: MIT
#include "spawner/datagram.hpp"

#include <cerrno>
#include <cstring>

#include <sys/socket.h>

namespace cpd::daemon {

int send_datagram(int sock, std::span<const std::uint8_t> bytes, std::span<const int> fds) {
    iovec iov{const_cast<std::uint8_t*>(bytes.data()), bytes.size()};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    std::vector<char> control;
    if (!fds.empty()) {
        control.resize(CMSG_SPACE(fds.size_bytes()));
        msg.msg_control = control.data();
        msg.msg_controllen = control.size();
        cmsghdr* c = CMSG_FIRSTHDR(&msg);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(fds.size_bytes());
        std::memcpy(CMSG_DATA(c), fds.data(), fds.size_bytes());
    }
    ssize_t n = 0;
    do {
        n = ::sendmsg(sock, &msg, MSG_DONTWAIT | MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    return n < 0 ? errno : 0;
}

int receive_datagram(int sock, std::size_t max_bytes, std::size_t max_fds, Datagram& out) {
    out = Datagram{};
    out.bytes.resize(max_bytes);
    iovec iov{out.bytes.data(), out.bytes.size()};
    std::vector<char> control(CMSG_SPACE(max_fds * sizeof(int)));
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.data();
    msg.msg_controllen = control.size();
    ssize_t n = 0;
    do {
        n = ::recvmsg(sock, &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
        return errno;
    }
    // Take every descriptor that came, so none leaks whatever the bytes say.
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
            const std::size_t count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
            for (std::size_t i = 0; i < count; ++i) {
                int fd = -1;
                std::memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof fd);
                out.fds.emplace_back(fd);
            }
        }
    }
    if (n == 0 && out.fds.empty()) {
        return ECONNRESET; // SOCK_SEQPACKET: zero bytes is the peer's end of file
    }
    out.bytes.resize(static_cast<std::size_t>(n));
    out.truncated = (msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) != 0;
    return 0;
}

} // namespace cpd::daemon
