// SPDX-License-Identifier: MIT
// this_cpu(): sched_getcpu() answers from the vDSO (or rseq) without a system
// call on Linux, so the spin loops may ask once a round.
#include "cpd/ipc/spin_presence.hpp"

#include <sched.h>

namespace cpd::ipc {

std::uint32_t this_cpu() noexcept {
    const int cpu = ::sched_getcpu();
    return cpu < 0 ? 0 : static_cast<std::uint32_t>(cpu) + 1;
}

} // namespace cpd::ipc
