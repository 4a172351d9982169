// SPDX-License-Identifier: MIT
// Chaos, bounded: round after round, kill -9 one or two random guests among
// the SMSG flooders (FLOOD1, FLOOD2 -> SINK) and the IUCV flooders (CHAOSA ->
// CHAOSB, CHAOSC -> CHAOSD), under flood, then log them back on. Checks: no
// zombie; every IUCV peer of a killed guest is told; cpd's descriptors, RSS
// and /dev/shm come back to their baseline; a bystander's pings through ECHO
// are answered throughout, each within 2 s; the counters add up (what SINK and
// the IUCV receivers counted is what QUERY STATS and QUERY IUCV say cpd
// delivered). The seed is logged; CPD_CHAOS_SEED=<n> replays a run.
#include "chaos_rig.hpp"

#include <doctest/doctest.h>

#include <csignal>
#include <cstdlib>
#include <random>
#include <set>

using namespace cpd::test;
using cpd::proto::CpRc;

namespace {

/// Rounds of killing; fewer if the time budget (well inside 60 s) runs out.
constexpr int rounds = 60;
constexpr auto time_budget = 30s;
constexpr std::uint64_t default_seed = 13092026;

std::uint64_t chaos_seed() {
    const char* s = std::getenv("CPD_CHAOS_SEED");
    return s != nullptr ? std::strtoull(s, nullptr, 10) : default_seed;
}

} // namespace

TEST_SUITE("integration.chaos") {

    TEST_CASE("random kill -9 of guests under smsg and iucv flood leaves cpd whole") {
        const std::uint64_t seed = chaos_seed();
        MESSAGE("chaos seed " << seed << " (replay: CPD_CHAOS_SEED=" << seed << ")");
        std::mt19937_64 rng(seed);
        const auto shm_before = shm_entries();
        ChaosRig rig;
        rig.log_on_all();
        Pinger pinger(rig.cpd());
        REQUIRE(wait_until([&] { return rig.routed_in("SINK") > 1000; }, 10s)); // floods under way
        REQUIRE(wait_until([&] { return pinger.answered() > 0; }, 5s));
        const std::size_t fds_before = descriptor_count(rig.cpd().pid());
        const long rss_before = rss_kib(rig.cpd().pid());

        const auto started = std::chrono::steady_clock::now();
        int done = 0;
        for (; done < rounds && std::chrono::steady_clock::now() - started < time_budget; ++done) {
            std::vector<std::string> pool(victims.begin(), victims.end());
            std::shuffle(pool.begin(), pool.end(), rng);
            pool.resize(1 + rng() % 2);
            CAPTURE(done);
            CAPTURE(pool[0]);
            rig.kill_and_check(pool);
            rig.log_back_on(pool);
        }
        MESSAGE("chaos: " << done << " rounds, " << rig.kills() << " guests killed, pings answered "
                          << pinger.answered() << ", worst " << pinger.worst().count() << " ms");
        CHECK(done >= 5);

        // Back to where it started: the same guests, paths and clients.
        CHECK(wait_until([&] { return descriptor_count(rig.cpd().pid()) == fds_before; }, 5s));
        CHECK(descriptor_count(rig.cpd().pid()) == fds_before);
        const long rss_after = rss_kib(rig.cpd().pid());
        MESSAGE("cpd RSS " << rss_before << " KiB before, " << rss_after << " KiB after");
        CHECK(rss_after <= rss_before + 16 * 1024); // loose: allocator pools may keep some
        CHECK(rig.zombies().empty());

        pinger.stop();
        CHECK(pinger.late() == 0); // every ping answered within 2 s throughout
        CHECK(pinger.answered() >= done);

        rig.check_counters_add_up();
        CHECK(rig.cpd().stop() == 0);
        CHECK(shm_entries() == shm_before);
    }

} // TEST_SUITE
