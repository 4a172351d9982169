// SPDX-License-Identifier: MIT
// How many guests cpd's descriptor limit leaves room for: what cpd logs at
// start and what a logon refused for want of descriptors (EMFILE) tells the
// operator. Reads RLIMIT_NOFILE and /proc/self/fd; changes nothing.
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
    std::size_t guests_allowed = 0; ///< guests the soft limit holds, counting those running
};

/// Measures the budget with `guests_running` guests logged on (each holding
/// descriptors_per_guest descriptors); what else is open counts as cpd's own.
DescriptorBudget descriptor_budget(std::size_t guests_running);

/// The budget from the current limit and `own`, the descriptors cpd held
/// without guests (counted at start): cheap, for a refused logon.
DescriptorBudget descriptor_budget_at(std::size_t own);

/// "cpd's descriptor limit (N) allows M guests", for a refused logon.
std::string describe_guest_room(const DescriptorBudget& budget);

} // namespace cpd::daemon
