// SPDX-License-Identifier: MIT
// The transports bench_ring compares, behind one small blocking interface:
// the cpd ring (segment + doorbells), a Unix SOCK_SEQPACKET socket pair and a
// Boost.Interprocess message_queue. Each is created before fork(); side A is
// the parent, side B the child.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace cpd::bench {

/// Both directions of a channel between two processes.
class Transport {
public:
    virtual ~Transport() = default;
    /// Human-readable name for the table.
    virtual std::string name() const = 0;
    /// Chooses the side after fork (true: parent side A).
    virtual void bind(bool side_a) = 0;
    /// Sends one message, blocking while there is no room.
    virtual void send(const std::byte* data, std::size_t size) = 0;
    /// Makes sure the peer notices everything sent so far (a batch boundary).
    virtual void flush() {}
    /// Receives one message into `buf`, blocking; returns its size.
    virtual std::size_t recv(std::byte* buf, std::size_t capacity) = 0;
    /// Doorbell rings this side made so far (0 where not applicable).
    virtual std::uint64_t wakeups() const { return 0; }
};

/// The cpd ring; the consumer spins `spin_ns` before sleeping; the producer
/// checks for a sleeping consumer every `wake_batch` messages and on flush().
std::unique_ptr<Transport> make_ring(std::uint64_t spin_ns, unsigned wake_batch);
/// A Unix-domain SOCK_SEQPACKET socket pair.
std::unique_ptr<Transport> make_unix_socket();
/// Two Boost.Interprocess message_queues (removed from /dev/shm at once after opening).
std::unique_ptr<Transport> make_message_queue();

} // namespace cpd::bench
