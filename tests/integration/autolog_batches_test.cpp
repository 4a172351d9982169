// SPDX-License-Identifier: MIT
// The autolog list is started in batches, one per turn of cpd's loop: a
// SIGTERM that arrives while a long list is being started is served at once,
// stops the list, and cpd ends in order.
#include "test_directory.hpp"

#include <doctest/doctest.h>

#include <csignal>

#include <sys/wait.h>

using namespace cpd::test;
using cpd::proto::CpRc;

TEST_SUITE("integration.autolog_batches") {

    TEST_CASE("SIGTERM during a long autolog stops the list and shuts down") {
        constexpr int n = 600;
        HarnessConfig c;
        c.directory = "USER OPERATOR NOPASS 64M 128M ABCDEFG\n POSIXINFO UID 0\n";
        for (int i = 0; i < n; ++i) {
            const std::string id = "A" + std::to_string(i);
            c.directory += "USER " + id + " NOPASS 16M 16M G\n IPL SINK\n";
            c.autolog += (c.autolog.empty() ? "" : " ") + id;
        }
        c.guest_uid_count = n + 16; // this test starts one cpd at a time
        CpdHarness cpd(c);
        // start() waits for READY, which comes only after the whole list:
        // give it too little time, then talk to cpd while the list runs.
        (void)cpd.start(1s);
        REQUIRE(cpd.pid() > 0);
        Client op;
        REQUIRE(wait_until([&] { return (op = cpd.connect()).ok(); }, 10s));
        CHECK(op.cp("Q N").rc == CpRc::ok); // served during the autolog
        REQUIRE(::kill(cpd.pid(), SIGTERM) == 0);
        const int status = cpd.wait_exit(60s);
        REQUIRE(status != -1);
        CHECK(WIFEXITED(status));
        CHECK(WEXITSTATUS(status) == 0);
        const std::string log = cpd.log();
        CHECK(log.find("cpd: shutdown by SIGTERM") != std::string::npos);
        CHECK(log.find("users not logged on") != std::string::npos);
        CHECK(log.find("cpd: ready") == std::string::npos);
    }

} // TEST_SUITE
