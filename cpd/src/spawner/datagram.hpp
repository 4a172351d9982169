// SPDX-License-Identifier: MIT
// One SOCK_SEQPACKET datagram with descriptors attached (SCM_RIGHTS), sent
// and received without blocking: what cpd and its spawn helper exchange.
// Received descriptors arrive close-on-exec; a datagram cut short (longer
// than the buffer, or with more descriptors than allowed) is reported as
// truncated, its descriptors closed.
#pragma once

#include "cpd/ipc/unique_fd.hpp"

#include <cstdint>
#include <span>
#include <vector>

namespace cpd::daemon {

/// Sends `bytes` with `fds` attached. 0, or the errno (EAGAIN: the peer's
/// queue is full, try again when writable).
int send_datagram(int sock, std::span<const std::uint8_t> bytes, std::span<const int> fds);

/// What one receive got.
struct Datagram {
    std::vector<std::uint8_t> bytes;
    std::vector<ipc::UniqueFd> fds;
    bool truncated = false; ///< cut short: bytes or descriptors are missing
};

/// Receives one datagram of at most `max_bytes` and `max_fds`. 0 with
/// `out` filled, ECONNRESET at end of file (the peer is gone), or the errno
/// (EAGAIN: nothing waiting).
int receive_datagram(int sock, std::size_t max_bytes, std::size_t max_fds, Datagram& out);

} // namespace cpd::daemon
