// SPDX-License-Identifier: MIT
// Sends one byte with a descriptor attached (SCM_RIGHTS): how a hostile
// guest would try to hand cpd a descriptor through its doorbell socket.
#pragma once

#include <cstring>

#include <sys/socket.h>
#include <sys/uio.h>

namespace cpd::test {

/// sendmsg of one byte carrying `fd` on `socket`; its result (errno on -1).
inline ssize_t send_descriptor(int socket, int fd) {
    char byte = 1;
    char control[CMSG_SPACE(sizeof(int))] = {};
    iovec iov{&byte, 1};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    cmsghdr* c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    std::memcpy(CMSG_DATA(c), &fd, sizeof fd);
    return ::sendmsg(socket, &msg, MSG_NOSIGNAL);
}

} // namespace cpd::test
