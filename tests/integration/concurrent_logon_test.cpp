// SPDX-License-Identifier: MIT
// Logons that overlap: cpd does not wait for a child's exec, so several
// children set themselves up at once, and a guest's end runs its sweep helper
// meanwhile. None may end another (each sweep runs with the range's sweeper
// uid, so two sweeps at once could kill each other without the sweep lock).
// A race can only be caught, not forced: this runs many overlaps.
#include "test_directory.hpp"

#include <doctest/doctest.h>

using namespace cpd::test;
using cpd::proto::CpRc;

TEST_SUITE("integration.concurrent_logon") {

    TEST_CASE("guests logged on and off back to back all start and end cleanly") {
        HarnessConfig c;
        c.directory = "USER OPERATOR NOPASS 64M 128M ABCDEFG\n POSIXINFO UID 0\n";
        std::string ids;
        for (int i = 0; i < 12; ++i) {
            const std::string id = "G" + std::to_string(i);
            c.directory += "USER " + id + " NOPASS 16M 16M G\n IPL SINK\n";
            ids += (ids.empty() ? "" : " ") + id;
        }
        c.autolog = ids; // twelve forks in one go at start
        CpdHarness cpd(c);
        REQUIRE(cpd.start());
        Client op = cpd.connect();
        for (int round = 0; round < 3; ++round) {
            for (int i = 0; i < 12;
                 i += 2) { // FORCE half (their sweeps) while the others log on again
                op.cp("FORCE G" + std::to_string(i));
            }
            for (int i = 0; i < 12; i += 2) {
                const std::string id = "G" + std::to_string(i);
                wait_until([&] { return op.cp("XAUTOLOG " + id).rc == CpRc::ok; }, 10s);
            }
        }
        CHECK(wait_until([&] { return cpd.guest_pids().size() == 12; }, 10s));
        const std::string log = cpd.log();
        CHECK_MESSAGE(log.find("killed by signal") == std::string::npos, log);
        CHECK_MESSAGE(log.find("unable to") == std::string::npos, log);
    }

} // TEST_SUITE
