// SPDX-License-Identifier: MIT
// descriptor_budget: counting /proc/self/fd is O(open descriptors), so it runs
// at start only; a refused logon uses descriptor_budget_at with that count.
#include "guests/descriptor_budget.hpp"

#include "guests/spawn.hpp"

#include <algorithm>

#include <dirent.h>
#include <sys/resource.h>

namespace cpd::daemon {
namespace {

/// Descriptors open in this process (0 if /proc is not there).
std::size_t count_open_descriptors() {
    DIR* dir = ::opendir("/proc/self/fd");
    if (dir == nullptr) {
        return 0;
    }
    std::size_t n = 0;
    while (const dirent* e = ::readdir(dir)) {
        n += e->d_name[0] != '.' ? 1 : 0;
    }
    ::closedir(dir);
    return n > 0 ? n - 1 : 0; // opendir's own
}

} // namespace

DescriptorBudget descriptor_budget(std::size_t users, std::size_t max_clients) {
    const std::size_t open_now = count_open_descriptors();
    DescriptorBudget b = descriptor_budget_at(open_now, users, max_clients);
    b.open_now = open_now;
    return b;
}

DescriptorBudget descriptor_budget_at(std::size_t own, std::size_t users, std::size_t max_clients) {
    DescriptorBudget b;
    rlimit nofile{};
    if (::getrlimit(RLIMIT_NOFILE, &nofile) != 0) {
        return b;
    }
    b.soft_limit = nofile.rlim_cur == RLIM_INFINITY ? UINT64_MAX : nofile.rlim_cur;
    b.hard_limit = nofile.rlim_max == RLIM_INFINITY ? UINT64_MAX : nofile.rlim_max;
    // A logon needs its transient descriptors on top of the ones it keeps;
    // eventfds for all, only if every user fits beside the clients and a full
    // queue of waiting logons.
    const auto room_beside = [&](std::uint64_t logons, std::uint64_t clients) -> std::uint64_t {
        const std::uint64_t reserved = own + logons * descriptors_per_logon + clients;
        return b.soft_limit > reserved ? b.soft_limit - reserved : 0;
    };
    const std::uint64_t clients = std::min<std::uint64_t>(max_clients, b.soft_limit / 2);
    b.per_guest = room_beside(max_spawns_waiting, clients) / descriptors_per_guest >= users
                      ? descriptors_per_guest
                      : 1;
    b.guests_allowed =
        static_cast<std::size_t>(room_beside(1, 0) / static_cast<std::uint64_t>(b.per_guest));
    return b;
}

std::string describe_guest_room(const DescriptorBudget& b) {
    std::string text = "cpd's descriptor limit (";
    text += std::to_string(b.soft_limit);
    text += ") allows ";
    text += std::to_string(b.guests_allowed);
    text += " guests";
    return text;
}

} // namespace cpd::daemon
