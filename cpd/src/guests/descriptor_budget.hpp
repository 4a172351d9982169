// SPDX-License-Identifier: MIT
// How many guests cpd's descriptor limit leaves room for: what cpd logs at
// start, what a logon refused for want of descriptors (EMFILE) tells the
// operator, and how many descriptors a new guest's bells may take. A guest
// gets two eventfds while the limit holds two for every user of the
// directory; past that, one socket pair end (a wake-up about 2 µs dearer),
// so that every user can still log on. Reads RLIMIT_NOFILE and
// /proc/self/fd; changes nothing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace cpd::daemon {

/// cpd's descriptor limit and what is left of it for guests.
struct DescriptorBudget {
    std::uint64_t soft_limit = 0; ///< RLIMIT_NOFILE soft (0: unknown)
    std::uint64_t hard_limit = 0;
    std::size_t open_now = 0;       ///< descriptors open in cpd now
    int per_guest = 2;              ///< descriptors a new guest's bells take: 2, or 1 (a pair end)
    std::size_t guests_allowed = 0; ///< guests the soft limit holds at per_guest each
};

/// Measures the budget at start, before any guest, for a directory of
/// `users`: everything open counts as cpd's own.
DescriptorBudget descriptor_budget(std::size_t users, std::size_t max_clients);

/// The budget from the current limit and `own`, the descriptors cpd held
/// without guests (counted at start), for a directory of `users` and up to
/// `max_clients` clients (at most half the limit, as cpd fits them): cheap
/// (one getrlimit), for each logon and a refused one. Eventfds need room for
/// every user beside the clients and a full queue of waiting logons;
/// guests_allowed counts one logon in flight, as a refused logon sees it.
DescriptorBudget descriptor_budget_at(std::size_t own, std::size_t users, std::size_t max_clients);

/// "cpd's descriptor limit (N) allows M guests", for a refused logon.
std::string describe_guest_room(const DescriptorBudget& budget);

} // namespace cpd::daemon
