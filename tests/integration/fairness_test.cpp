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
    // Every ping must come back while the flood goes on. The bound per ping is
    // loose (2 s) so that it never flakes on a loaded machine; how fast a ping
    // is under flood is a figure for the benchmarks, not for this test.
    const unsigned long long flood_before = sink_routed();
    for (int i = 0; i < 20; ++i) {
        std::string tag = "ping" + std::to_string(i);
        op.smsg("ALICE", "!SEND ECHO " + tag);
        REQUIRE(wait_for_line(cpd.out_file("alice"), "SMSG ECHO ECHO: " + tag, 2s));
    }
    CHECK(sink_routed() > flood_before); // the flood was routed throughout, not paused
    unsigned long long before = sink_routed();
    CHECK(wait_until([&] { return sink_routed() > before; }, 2s)); // and it goes on
}

} // TEST_SUITE
