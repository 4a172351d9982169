// SPDX-License-Identifier: MIT
// The autolog list is started in batches, one per turn of cpd's loop: a
// SIGTERM that arrives while a long list is being started is served at once,
// stops the list, and cpd ends in order. The list is held mid-way by the test
// itself, not by a slow machine: it stops cpd's spawn helper (SIGSTOP) as
// soon as cpd has forked it, long before the list's thousand logons are
// through; the orders then go unanswered, and the autolog waits for them.
#include "process_tree.hpp"
#include "test_directory.hpp"

#include <doctest/doctest.h>

#include <csignal>
#include <string>

#include <sys/wait.h>
#include <unistd.h>

using namespace cpd::test;
using cpd::proto::CpRc;

TEST_SUITE("integration.autolog_batches") {

    TEST_CASE("SIGTERM during a long autolog stops the list and shuts down") {
        constexpr int n = 1000;
        HarnessConfig c = sinks(n);
        for (int i = 0; i < n; ++i) {
            c.autolog += (c.autolog.empty() ? "G" : " G") + std::to_string(i);
        }
        c.guest_uid_count = n + 16; // this test starts one cpd at a time
        CpdHarness cpd(c);
        REQUIRE(cpd.launch());
        pid_t helper = 0;
        REQUIRE(wait_until([&] { return (helper = helper_of(cpd.pid())) != 0; }, 10s));
        REQUIRE(::kill(helper, SIGSTOP) == 0);
        Client op;
        REQUIRE(wait_until([&] { return (op = cpd.connect()).ok(); }, 10s));
        CHECK(op.cp("Q N").rc == CpRc::ok); // served during the autolog
        CHECK(cpd.log().find("cpd: ready") == std::string::npos); // the list is held
        REQUIRE(::kill(cpd.pid(), SIGTERM) == 0);
        REQUIRE(cpd.wait_for_log("cpd: shutdown by SIGTERM"));
        ::kill(helper, SIGCONT); // the helper goes on, to end what it started
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
