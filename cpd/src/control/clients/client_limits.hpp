// SPDX-License-Identifier: MIT
// ClientLimits: the budget of every control-socket client, as cpd.conf sets
// it (max_clients, max_clients_per_uid, client_output_kib and the four
// client_*_seconds timeouts), fitted to the descriptors cpd may open.
#pragma once

#include "config/options.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>

namespace cpd::daemon {

/// What one client may cost cpd, and how long it may take.
struct ClientLimits {
    std::size_t max_clients = 1024;        ///< sessions open at once, all users
    std::size_t max_clients_per_uid = 64;  ///< sessions open at once per host uid
    std::size_t output_bytes = 128 * 1024; ///< unsent output held per session
    /// A request payload over this is refused before any of it is read: the
    /// largest valid one is a 4,096-byte console line, so 16 KiB leaves room
    /// for a text that is merely too long to be answered with HCPMSG026E.
    std::uint32_t max_request = 16 * 1024;
    std::chrono::milliseconds hello{10'000}; ///< connect to first whole request (0: never)
    std::chrono::milliseconds frame{10'000}; ///< first byte of a request to its last (0: never)
    std::chrono::milliseconds idle{300'000}; ///< a command session without requests (0: never)
    std::chrono::milliseconds write{30'000}; ///< unsent output without progress (0: never)
};

/// The limits cpd.conf asks for.
ClientLimits client_limits(const Options& options);

/// Lowers max_clients (and the per-uid cap with it) to half of `descriptor_limit`,
/// leaving the other half for guests, logs and listeners; true if it did.
bool fit_to_descriptors(ClientLimits& limits, std::uint64_t descriptor_limit);

/// The soft RLIMIT_NOFILE of this process (0 if unknown).
std::uint64_t descriptor_limit();

} // namespace cpd::daemon
