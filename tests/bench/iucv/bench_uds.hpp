// SPDX-License-Identifier: MIT
// The Unix-domain-socket baseline of bench_iucv: the same traffic (one-way
// messages of a given size, a window, a 4-byte ack every N messages) through
// a hub process, so both transports make two hops: sender -> hub -> receiver.
#pragma once

#include <cstddef>
#include <cstdint>

namespace cpd::bench {

/// One transfer's outcome.
struct Transfer {
    std::uint64_t messages = 0;
    std::uint64_t bytes = 0;
    double seconds = 0;
    bool ok = false;
};

/// Runs sender, hub and receiver as three processes over SOCK_STREAM socket pairs.
Transfer run_uds(std::size_t size, std::uint64_t count, std::uint64_t window,
                 std::uint64_t ack_every);

} // namespace cpd::bench
