// SPDX-License-Identifier: MIT
// ClientBudget and its parts: admission against the total and per-uid caps,
// places given back, the rate-limited log's bucket and summary, and the fit
// of max_clients to the descriptor limit.
#include "control/clients/client_budget.hpp"

#include <doctest/doctest.h>

using namespace cpd::daemon;

TEST_SUITE("cpd.client_budget") {

    TEST_CASE("admission stops at the per-uid cap and at the total cap") {
        ClientLimits l;
        l.max_clients = 3;
        l.max_clients_per_uid = 2;
        ClientBudget b(l);
        CHECK(b.refusal(1000).empty());
        b.admit(1000);
        b.admit(1000);
        CHECK(b.refusal(1000) == "uid 1000 has 2 clients, its max_clients_per_uid");
        CHECK(b.refusal(1001).empty());
        b.admit(1001);
        CHECK(b.refusal(1002) == "cpd has 3 clients, its max_clients");
        b.release(1000);
        CHECK(b.refusal(1000).empty());
        CHECK(b.clients() == 2);
        b.release(4242); // never admitted: nothing changes
        CHECK(b.clients() == 2);
    }

    TEST_CASE("the log bucket lets a burst through, then counts, and reports once") {
        using Clock = RateLimitedLog::Clock;
        RateLimitedLog log(2, std::chrono::seconds(10));
        const Clock::time_point t0 = Clock::now();
        CHECK(log.allow(t0));
        CHECK(log.allow(t0));
        CHECK_FALSE(log.allow(t0));
        CHECK_FALSE(log.allow(t0 + std::chrono::seconds(1)));
        CHECK(log.take_suppressed(t0 + std::chrono::seconds(2)) == 0); // window still open
        CHECK(log.take_suppressed(t0 + std::chrono::seconds(11)) == 2);
        CHECK(log.take_suppressed(t0 + std::chrono::seconds(12)) == 0);
        CHECK(log.allow(t0 + std::chrono::seconds(12)));
    }

    TEST_CASE("max_clients is fitted to half the descriptor limit") {
        ClientLimits l;
        l.max_clients = 1024;
        l.max_clients_per_uid = 1000;
        CHECK_FALSE(fit_to_descriptors(l, 4096));
        CHECK(l.max_clients == 1024);
        CHECK(fit_to_descriptors(l, 1024));
        CHECK(l.max_clients == 512);
        CHECK(l.max_clients_per_uid == 512);
        CHECK_FALSE(fit_to_descriptors(l, 0)); // unknown: left alone
    }

} // TEST_SUITE
