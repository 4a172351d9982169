// SPDX-License-Identifier: MIT
// descriptor_budget_at under a soft limit set here: eventfds (two per guest)
// while every user of the directory fits beside the clients and a full queue
// of waiting logons, one per guest from the next user on; the clients count
// at most half the limit; a refused logon's figure counts one logon in flight.
#include "guests/descriptor_budget.hpp"
#include "guests/spawn.hpp"

#include <doctest/doctest.h>

#include <sys/resource.h>

using namespace cpd::daemon;

namespace {

/// Sets the soft descriptor limit for one test case, and puts it back.
struct SoftLimit {
    rlimit saved{};
    bool set = false;
    explicit SoftLimit(rlim_t soft) {
        if (::getrlimit(RLIMIT_NOFILE, &saved) == 0 && saved.rlim_max >= soft) {
            const rlimit lowered{soft, saved.rlim_max};
            set = ::setrlimit(RLIMIT_NOFILE, &lowered) == 0;
        }
    }
    ~SoftLimit() {
        if (set) {
            ::setrlimit(RLIMIT_NOFILE, &saved);
        }
    }
};

} // namespace

TEST_SUITE("cpd.descriptor_budget") {

    TEST_CASE("two descriptors per guest while every user fits, one from the next user on") {
        SoftLimit limit(2000);
        if (!limit.set) {
            MESSAGE("the hard descriptor limit is below 2000; not tested");
            return;
        }
        constexpr std::size_t own = 10, clients = 100;
        // 2000 - 10 - 128 waiting logons of 7 - 100 clients = 994: 497 users at 2.
        const std::size_t reserve = own + max_spawns_waiting * descriptors_per_logon + clients;
        const std::size_t fit_at_two = (2000 - reserve) / 2;
        const DescriptorBudget two = descriptor_budget_at(own, fit_at_two, clients);
        CHECK(two.soft_limit == 2000);
        CHECK(two.per_guest == 2);
        CHECK(two.guests_allowed == (2000 - own - descriptors_per_logon) / 2);
        const DescriptorBudget one = descriptor_budget_at(own, fit_at_two + 1, clients);
        CHECK(one.per_guest == 1);
        CHECK(one.guests_allowed == 2000 - own - descriptors_per_logon);
        CHECK(describe_guest_room(one) == "cpd's descriptor limit (2000) allows 1983 guests");
    }

    TEST_CASE("clients count for at most half the limit") {
        SoftLimit limit(2000);
        if (!limit.set) {
            MESSAGE("the hard descriptor limit is below 2000; not tested");
            return;
        }
        // 5000 clients count as 1000: 2000 - 10 - 896 - 1000 = 94, 47 users at 2.
        CHECK(descriptor_budget_at(10, 47, 5000).per_guest == 2);
        CHECK(descriptor_budget_at(10, 48, 5000).per_guest == 1);
    }
}
