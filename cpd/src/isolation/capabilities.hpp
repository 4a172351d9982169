// SPDX-License-Identifier: MIT
// Linux capabilities without libcap: reading cpd's own sets, narrowing them to
// what the isolation of guests needs, and emptying every set in a guest child
// before exec. The raw capget/capset calls are async-signal-safe, so the child
// side may run between fork and execve.
#pragma once

#include <cstdint>
#include <string>

namespace cpd::daemon {

/// A capability bit (CAP_SETUID etc.) as a mask.
constexpr std::uint64_t capability_bit(int cap) noexcept {
    return std::uint64_t{1} << cap;
}

/// The three per-thread sets the kernel reports.
struct CapabilitySets {
    std::uint64_t effective = 0;
    std::uint64_t permitted = 0;
    std::uint64_t inheritable = 0;
};

/// This thread's sets; false (errno set) if capget fails.
bool read_capabilities(CapabilitySets& out) noexcept;

/// True if every capability of `mask` is permitted (and so can be made effective).
bool has_permitted(std::uint64_t mask) noexcept;

/// Narrows cpd to `keep`: drops everything else from the bounding set (so no
/// exec can bring it back), clears the ambient and inheritable sets and sets
/// effective = permitted = keep & permitted. Returns "" or what failed.
std::string restrict_capabilities(std::uint64_t keep);

/// Empties the ambient, inheritable, permitted and effective sets (child side,
/// async-signal-safe). A non-root process keeps its permitted capabilities
/// across setresuid and, through the ambient set, across execve: a guest child
/// must call this after its uid change. False (errno set) on failure.
bool clear_all_capabilities() noexcept;

} // namespace cpd::daemon
