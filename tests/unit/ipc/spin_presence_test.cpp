// SPDX-License-Identifier: MIT
// Presence: the producer's stamp reaches the consumer through the ring's
// control block and moves at every look; ran_on and runs_elsewhere read two
// stamps the way the spin loops do (a peer that ran on our CPU, a peer that
// runs on another one, a peer not known or not run since); and SpinBudget
// does not take a long yield that went to the peer for contention.
#include "ring_fixture.hpp"

#include "cpd/ipc/spin_budget.hpp"
#include "cpd/ipc/spin_presence.hpp"

#include <doctest/doctest.h>

#include <cstdint>

using cpd::ipc::Presence;
using cpd::ipc::ran_on;
using cpd::ipc::runs_elsewhere;
using cpd::ipc::SpinBudget;
using cpd::ipc::SpinPolicy;
using cpd::ipc::test::GuardedRing;

TEST_SUITE("ipc.spin_presence") {

    TEST_CASE("the consumer sees the producer's CPU and a count that moves at each look") {
        GuardedRing ring(4096);
        auto w = ring.writer();
        auto r = ring.reader();
        const Presence none = r.producer_presence();
        CHECK(none.cpu == 0); // a producer that never stamped is not known to run
        CHECK(none.looks == 0);
        w.mark_present(2);
        const Presence first = r.producer_presence();
        CHECK(first.cpu == 2);
        w.mark_present(2);
        const Presence second = r.producer_presence();
        CHECK(second.looks != first.looks);
        w.mark_present(1); // migrated
        CHECK(r.producer_presence().cpu == 1);
    }

    TEST_CASE("this_cpu names a CPU the process may run on") {
        const std::uint32_t cpu = cpd::ipc::this_cpu();
        CHECK(cpu >= 1); // Linux always says
    }

    TEST_CASE("a peer that looked on our CPU during the yield had it") {
        const Presence before{1, 10};
        CHECK(ran_on(before, Presence{1, 11}, 1));
        CHECK_FALSE(ran_on(before, Presence{1, 10}, 1)); // did not look again
        CHECK_FALSE(ran_on(before, Presence{2, 11}, 1)); // looked, elsewhere
        CHECK_FALSE(ran_on(before, Presence{0, 11}, 0)); // our CPU not known
    }

    TEST_CASE("only a peer seen looking on another CPU is left without a yield") {
        const Presence before{2, 10};
        CHECK(runs_elsewhere(before, Presence{2, 12}, 1));
        CHECK_FALSE(
            runs_elsewhere(before, Presence{2, 10}, 1)); // not run since: maybe ours to give
        CHECK_FALSE(runs_elsewhere(before, Presence{1, 12}, 1));    // on our CPU: it needs ours
        CHECK_FALSE(runs_elsewhere(Presence{}, Presence{0, 5}, 1)); // CPU not known
        CHECK_FALSE(runs_elsewhere(before, Presence{2, 12}, 0));    // ours not known
    }

    TEST_CASE("a long yield that went to the peer is no contention; one to a stranger is") {
        constexpr std::uint64_t us = 1000;
        SpinPolicy policy(100 * us);
        SpinBudget to_peer = policy.begin(0);
        CHECK(to_peer.keep_spinning(1 * us, 60 * us, true)); // the peer had 59 us
        CHECK_FALSE(to_peer.gave_way());
        CHECK_FALSE(to_peer.keep_spinning(99 * us, 101 * us, true)); // the limit still holds
        policy.end(to_peer);
        CHECK(policy.contended() == 0);
        CHECK(policy.begin(200 * us).spins());

        SpinBudget to_stranger = policy.begin(1'000 * us);
        CHECK(to_stranger.keep_spinning(1'001 * us, 1'060 * us, false)); // one more look
        CHECK(to_stranger.gave_way());
        policy.end(to_stranger);
        CHECK(policy.contended() == 1);
        CHECK_FALSE(policy.begin(1'100 * us).spins());
    }

} // TEST_SUITE
