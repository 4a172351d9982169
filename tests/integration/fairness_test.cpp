// SPDX-License-Identifier: MIT
// Fair draining: while FLOOD fills SINK's ring as fast as it can, a ping
// between two other guests (ALICE -> ECHO -> ALICE) still gets through quickly.
#include "test_directory.hpp"

#include <doctest/doctest.h>

#include <cstdio>

using namespace cpd::test;
using cpd::proto::CpRc;

TEST_SUITE("integration.fairness") {

TEST_CASE("a flooding guest does not starve a ping between two others") {
    CpdHarness cpd(test_config("SINK ECHO ALICE FLOOD"));
    REQUIRE(cpd.start());
    REQUIRE(wait_for_line(cpd.out_file("alice"), "IPL ALICE"));
    Client op = cpd.connect();
    // The flood is under way: SINK's routed-in counter climbs.
    auto sink_routed = [&] {
        std::string s = op.cp("Q STATS").text;
        auto p = s.find("\nSINK");
        unsigned long long n = 0;
        if (p != std::string::npos) {
            std::sscanf(s.c_str() + p + 1, "SINK %*s %llu", &n);
        }
        return n;
    };
    REQUIRE(wait_until([&] { return sink_routed() > 10000; }, 5s));
    auto worst = 0ms;
    for (int i = 0; i < 20; ++i) {
        std::string tag = "ping" + std::to_string(i);
        auto t0 = std::chrono::steady_clock::now();
        op.smsg("ALICE", "!SEND ECHO " + tag);
        REQUIRE(wait_for_line(cpd.out_file("alice"), "SMSG ECHO ECHO: " + tag, 2s));
        auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::steady_clock::now() - t0);
        worst = std::max(worst, took);
    }
    MESSAGE("worst ping under flood: " << worst.count() << " ms");
    CHECK(worst < 500ms);
    unsigned long long before = sink_routed();
    CHECK(wait_until([&] { return sink_routed() > before; }, 2s)); // the flood went on
}

} // TEST_SUITE
