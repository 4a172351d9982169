// SPDX-License-Identifier: MIT
// SpinBudget with invented clocks: a spin on an otherwise idle CPU (yields
// return at once) lasts its time limit and then sleeps; a yield that gave the
// CPU away ends the spin after exactly one more look; never longer than the
// limit, however the yields fall. SpinPolicy: after a spin that gave way the
// next spins do not spin (nor yield) for a while, then spin again; the while
// doubles with contention in a row, up to the longest, and a yield that comes
// back at once makes it short again.
#include "cpd/ipc/spin_budget.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>

using cpd::ipc::SpinBudget;
using cpd::ipc::SpinPolicy;

namespace {

constexpr std::uint64_t us = 1000;

/// Rounds a spin polls, each round taking `round_ns` with its yield taking
/// `yield_ns`, before the budget says sleep (at most `cap` rounds).
int rounds_until_sleep(std::uint64_t limit_ns, std::uint64_t round_ns, std::uint64_t yield_ns,
                       std::uint64_t* ended_at = nullptr, int cap = 1'000'000) {
    std::uint64_t now = 5'000'000'000; // any start: only differences count
    const std::uint64_t start = now;
    SpinBudget budget(now, limit_ns);
    int rounds = 0;
    for (; rounds < cap; ++rounds) {
        now += round_ns; // the polls of this round
        const std::uint64_t before = now;
        now += yield_ns;
        if (!budget.keep_spinning(before, now)) {
            break;
        }
    }
    if (ended_at != nullptr) {
        *ended_at = now - start;
    }
    return rounds + 1;
}

} // namespace

TEST_SUITE("ipc.spin_budget") {

    TEST_CASE("on an idle CPU the spin lasts its limit, then sleeps") {
        std::uint64_t ended = 0;
        const int rounds = rounds_until_sleep(100 * us, 200, 800, &ended);
        CHECK(rounds == 100); // 1 us a round
        CHECK(ended >= 100 * us);
        CHECK(ended < 100 * us + 1 * us); // never a round past the limit
    }

    TEST_CASE("a spin with no time at all looks once and sleeps") {
        CHECK(rounds_until_sleep(0, 200, 800) == 1);
    }

    TEST_CASE("a yield that gave the CPU away ends the spin after one more look") {
        // The first yield returns 3 ms later: another task had the CPU.
        std::uint64_t now = 0;
        SpinBudget budget(now, 100 * us);
        CHECK(budget.keep_spinning(now + 200, now + 3'000 * us)); // one more look
        CHECK(budget.gave_way());
        CHECK_FALSE(budget.keep_spinning(now + 3'001 * us, now + 3'002 * us)); // then sleep
    }

    TEST_CASE("a short hand-over (the peer ran a few us) does not end the spin") {
        SpinBudget budget(0, 100 * us);
        CHECK(budget.keep_spinning(1 * us, 1 * us + SpinBudget::gave_way_ns)); // at the bound: kept
        CHECK_FALSE(budget.gave_way());
        CHECK(budget.keep_spinning(30 * us, 40 * us));
        CHECK_FALSE(budget.keep_spinning(99 * us, 100 * us)); // the limit still holds
        CHECK_FALSE(budget.gave_way());
    }

    TEST_CASE("under load every spin is short: at most two rounds once the CPU is given away") {
        // Yields of 4 ms (another task's slice) each: a 100 us spin lasts two rounds.
        CHECK(rounds_until_sleep(100 * us, 200, 4'000 * us) == 2);
        // However long the limit.
        CHECK(rounds_until_sleep(1'000'000 * us, 200, 4'000 * us) == 2);
    }

    TEST_CASE("yields at the bound cannot stretch the spin past its limit") {
        std::uint64_t ended = 0;
        rounds_until_sleep(100 * us, 100, SpinBudget::gave_way_ns, &ended);
        CHECK(ended < 100 * us + SpinBudget::gave_way_ns + 1 * us);
    }

    TEST_CASE("a policy on an uncontended CPU gives every spin its full time") {
        SpinPolicy policy(100 * us);
        for (std::uint64_t t = 0; t < 10; ++t) {
            SpinBudget b = policy.begin(t * 1'000 * us);
            CHECK(b.spins());
            CHECK(b.keep_spinning(t * 1'000 * us + 1 * us, t * 1'000 * us + 2 * us));
            policy.end(b);
        }
        CHECK(policy.contended() == 0);
    }

    TEST_CASE("after a spin gave way, spins stop for a while, then are tried again") {
        SpinPolicy policy(100 * us);
        SpinBudget first = policy.begin(0);
        REQUIRE(first.keep_spinning(1 * us, 4'001 * us)); // gave way at 4,001 us
        policy.end(first);
        CHECK(policy.contended() == 1);

        SpinBudget soon = policy.begin(4'100 * us);
        CHECK_FALSE(soon.spins()); // one look, no yield, then sleep
        CHECK_FALSE(soon.keep_spinning(4'100 * us, 4'101 * us));
        policy.end(soon);
        CHECK_FALSE(policy.begin(4'001 * us + SpinPolicy::first_quiet_ns - 1).spins());

        SpinBudget later = policy.begin(4'001 * us + SpinPolicy::first_quiet_ns);
        CHECK(later.spins());
        CHECK(later.keep_spinning(4'001 * us + SpinPolicy::first_quiet_ns + 1 * us,
                                  4'001 * us + SpinPolicy::first_quiet_ns + 2 * us));
    }

    TEST_CASE("contention in a row stops spinning longer each time, up to the longest") {
        SpinPolicy policy(100 * us);
        std::uint64_t now = 0;
        std::uint64_t expected = SpinPolicy::first_quiet_ns;
        for (int i = 0; i < 12; ++i) {
            SpinBudget b = policy.begin(now);
            REQUIRE(b.spins());
            REQUIRE(b.keep_spinning(now + 1 * us, now + 4'001 * us)); // gave way
            policy.end(b);
            CHECK(policy.quiet_ns() == expected);
            CHECK_FALSE(policy.begin(now + 4'001 * us + expected - 1).spins());
            now += 4'001 * us + expected;
            expected = std::min(2 * expected, SpinPolicy::contended_ns);
        }
        CHECK(policy.quiet_ns() == SpinPolicy::contended_ns); // a CPU taken for good: 50 ms
    }

    TEST_CASE("a yield that comes back at once makes the next contention short again") {
        SpinPolicy policy(100 * us);
        for (std::uint64_t t = 0; t < 3; ++t) { // three contended spins in a row
            SpinBudget b = policy.begin(t * 100'000 * us);
            REQUIRE(b.keep_spinning(t * 100'000 * us + 1 * us, t * 100'000 * us + 4'001 * us));
            policy.end(b);
        }
        CHECK(policy.quiet_ns() == 4 * SpinPolicy::first_quiet_ns);

        SpinBudget data_at_once = policy.begin(500'000 * us); // found data, never yielded
        policy.end(data_at_once);
        CHECK(policy.quiet_ns() == 4 * SpinPolicy::first_quiet_ns); // proves nothing

        SpinBudget idle = policy.begin(600'000 * us);
        CHECK(idle.keep_spinning(600'001 * us, 600'002 * us)); // the yield came back at once
        policy.end(idle);
        CHECK(policy.quiet_ns() == 0);

        SpinBudget again = policy.begin(700'000 * us);
        REQUIRE(again.keep_spinning(700'001 * us, 704'001 * us));
        policy.end(again);
        CHECK(policy.quiet_ns() == SpinPolicy::first_quiet_ns);
    }

} // TEST_SUITE
