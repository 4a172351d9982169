// SPDX-License-Identifier: MIT
#include "isolation/capabilities.hpp"

#include <cerrno>
#include <cstring>

#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace cpd::daemon {
namespace {

// Version 3 of the capability ABI carries 64 bits as two 32-bit words.
using CapData = __user_cap_data_struct[_LINUX_CAPABILITY_U32S_3];

bool raw_get(CapData& data) noexcept {
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
    return ::syscall(SYS_capget, &header, &data[0]) == 0;
}

bool raw_set(const CapabilitySets& sets) noexcept {
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
    CapData data{};
    for (int word = 0; word < 2; ++word) {
        const int shift = 32 * word;
        data[word].effective = static_cast<std::uint32_t>(sets.effective >> shift);
        data[word].permitted = static_cast<std::uint32_t>(sets.permitted >> shift);
        data[word].inheritable = static_cast<std::uint32_t>(sets.inheritable >> shift);
    }
    return ::syscall(SYS_capset, &header, &data[0]) == 0;
}

/// The highest capability number this kernel knows (CAP_LAST_CAP at run time).
int last_capability() noexcept {
    int last = CAP_LAST_CAP;
    while (last < 63 && ::prctl(PR_CAPBSET_READ, last + 1, 0, 0, 0) >= 0) {
        ++last;
    }
    return last;
}

} // namespace

bool read_capabilities(CapabilitySets& out) noexcept {
    CapData data{};
    if (!raw_get(data)) {
        return false;
    }
    out = {};
    for (int word = 0; word < 2; ++word) {
        const int shift = 32 * word;
        out.effective |= std::uint64_t{data[word].effective} << shift;
        out.permitted |= std::uint64_t{data[word].permitted} << shift;
        out.inheritable |= std::uint64_t{data[word].inheritable} << shift;
    }
    return true;
}

bool has_permitted(std::uint64_t mask) noexcept {
    CapabilitySets sets;
    return read_capabilities(sets) && (sets.permitted & mask) == mask;
}

std::string restrict_capabilities(std::uint64_t keep) {
    CapabilitySets sets;
    if (!read_capabilities(sets)) {
        return std::string("capget: ") + std::strerror(errno);
    }
    // Dropping from the bounding set needs CAP_SETPCAP, so it comes first,
    // while cpd may still hold it.
    const int last = last_capability();
    for (int cap = 0; cap <= last; ++cap) {
        if ((keep & capability_bit(cap)) == 0 && ::prctl(PR_CAPBSET_READ, cap, 0, 0, 0) == 1 &&
            ::prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 && errno != EPERM) {
            return "unable to drop capability " + std::to_string(cap) +
                   " from the bounding set: " + std::strerror(errno);
        }
    }
    if (::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 && errno != EINVAL) {
        return std::string("unable to clear the ambient capabilities: ") + std::strerror(errno);
    }
    const std::uint64_t kept = sets.permitted & keep;
    if (!raw_set(CapabilitySets{kept, kept, 0})) {
        return std::string("capset: ") + std::strerror(errno);
    }
    return "";
}

bool clear_all_capabilities() noexcept {
    // EINVAL: a kernel without ambient capabilities has nothing to clear.
    if (::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 && errno != EINVAL) {
        return false;
    }
    return raw_set(CapabilitySets{});
}

} // namespace cpd::daemon
