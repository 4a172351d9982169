// SPDX-License-Identifier: MIT
// Restart decisions against a fake daemon: which ends restart, the backoff
// timer, giving up at the limit, a user's logon or FORCE, shutdown, the
// operator's messages and what QUERY shows. The loop runs only when the test
// says, so nothing here depends on timing.
#include "guests/lifecycle/restarter.hpp"

#include <doctest/doctest.h>

#include <boost/asio/io_context.hpp>

using namespace cpd::daemon;
using namespace std::chrono_literals;
using cpd::proto::CpRc;

namespace {

const cpd::proto::Userid echo = *cpd::proto::Userid::parse("ECHO");

/// The daemon as the Restarter sees it, recording what it is asked.
class FakeTarget : public RestartTarget {
  public:
    std::optional<RestartPolicy> policy;
    CpOutcome logon_outcome{};
    int logons = 0;
    std::vector<std::string> messages;
    Restarter* restarter = nullptr; ///< told of each logon, as the Supervisor's hook does

    const RestartPolicy* restart_policy(const cpd::proto::Userid&) const override {
        return policy ? &*policy : nullptr;
    }
    CpOutcome restart_logon(const cpd::proto::Userid& userid) override {
        ++logons;
        if (logon_outcome.rc == CpRc::ok && restarter != nullptr) {
            restarter->on_logon(userid);
        }
        return logon_outcome;
    }
    void operator_message(const std::string& text) override { messages.push_back(text); }
};

struct Rig {
    Rig() {
        RestartPolicy p;
        p.limit = 2;
        p.window = 60s;
        p.backoff = 10ms;
        p.max_backoff = 40ms;
        target.policy = p;
        target.restarter = &restarter;
        restarter.on_logon(echo);
    }
    /// Runs the loop until the fake was asked for `n` logons (or 5 s).
    bool run_until_logons(int n) {
        for (int i = 0; i < 500 && target.logons < n; ++i) {
            io.restart();
            io.run_for(10ms);
        }
        return target.logons == n;
    }
    boost::asio::io_context io;
    FakeTarget target;
    Restarter restarter{io, target};
};

const GuestEnd killed{EndKind::crash, "killed by signal SIGKILL"};

} // namespace

TEST_SUITE("cpd.restarter") {

    TEST_CASE("a crash restarts the guest after the backoff, and QUERY counts it") {
        Rig rig;
        rig.restarter.on_end(echo, killed);
        CHECK(rig.target.logons == 0); // never at once: only when the backoff is over
        CHECK(rig.restarter.status(echo).rfind(
                  "last session ended: crash: killed by signal SIGKILL; restarts 0; restarting in ",
                  0) == 0);
        REQUIRE(rig.target.messages.size() == 1);
        CHECK(rig.target.messages[0] == "HCPRST001W ECHO ended abnormally (crash: killed by "
                                        "signal SIGKILL); restarting in 10 ms");
        REQUIRE(rig.run_until_logons(1));
        CHECK(rig.restarter.restarts(echo) == 1);
        CHECK(rig.restarter.status(echo) ==
              "last session ended: crash: killed by signal SIGKILL; restarts 1");
    }

    TEST_CASE("ends a guest or a user chose are not restarted") {
        Rig rig;
        SUBCASE("logoff") {
            rig.restarter.on_end(echo, {EndKind::logoff, ""});
        }
        SUBCASE("force") {
            rig.restarter.on_end(echo, {EndKind::force, "OPERATOR"});
        }
        SUBCASE("shutdown") {
            rig.restarter.on_end(echo, {EndKind::shutdown, ""});
        }
        SUBCASE("program that cannot start") {
            rig.restarter.on_end(echo, {EndKind::not_started, "/x: Exec format error"});
        }
        rig.io.run_for(50ms);
        CHECK(rig.target.logons == 0);
        CHECK(rig.target.messages.empty());
    }

    TEST_CASE("CP's kills and storage are restarted like crashes") {
        for (EndKind kind : {EndKind::storage, EndKind::corrupt_ring, EndKind::cp_force}) {
            Rig rig;
            rig.restarter.on_end(echo, {kind, "x"});
            CHECK(rig.run_until_logons(1));
        }
    }

    TEST_CASE("LIMIT restarts within WITHIN, then it gives up and says so") {
        Rig rig;
        rig.restarter.on_end(echo, killed);
        REQUIRE(rig.run_until_logons(1));
        rig.restarter.on_end(echo, killed);
        CHECK(rig.target.messages.back().find("restarting in 20 ms") != std::string::npos);
        REQUIRE(rig.run_until_logons(2));
        rig.restarter.on_end(echo, killed);
        rig.io.restart();
        rig.io.run_for(100ms);
        CHECK(rig.target.logons == 2);
        REQUIRE(rig.target.messages.size() == 4);
        CHECK(rig.target.messages[2] ==
              "HCPRST001W ECHO ended abnormally (crash: killed by signal SIGKILL)");
        CHECK(rig.target.messages[3] ==
              "HCPRST002E ECHO will not be restarted: 2 restarts within 60 s (LIMIT 2)");
        CHECK(rig.restarter.status(echo) ==
              "last session ended: crash: killed by signal SIGKILL; restarts 2; not restarted: "
              "2 restarts within 60 s (LIMIT 2)");
        SUBCASE("a user's logon starts the limit afresh") {
            rig.restarter.on_logon(echo);
            rig.restarter.on_end(echo, killed);
            CHECK(rig.run_until_logons(3));
        }
    }

    TEST_CASE("a restart whose program cannot start gives up at once") {
        Rig rig;
        rig.restarter.on_end(echo, killed);
        REQUIRE(rig.run_until_logons(1));
        rig.restarter.on_end(echo, {EndKind::not_started, "/x: Exec format error"});
        CHECK(rig.target.messages.back() == "HCPRST002E ECHO will not be restarted: the restart "
                                            "could not start it: /x: Exec format error");
    }

    TEST_CASE("a restart whose logon is refused gives up") {
        Rig rig;
        rig.target.logon_outcome = {CpRc::not_in_directory, "HCPLGA053E ECHO not in CP directory"};
        rig.restarter.on_end(echo, killed);
        REQUIRE(rig.run_until_logons(1));
        CHECK(rig.target.messages.back() == "HCPRST002E ECHO will not be restarted: its logon "
                                            "failed: HCPLGA053E ECHO not in CP directory");
    }

    TEST_CASE("a pending restart ends with a FORCE, a user's logon or shutdown") {
        Rig rig;
        rig.restarter.on_end(echo, killed);
        SUBCASE("force") {
            CHECK(rig.restarter.cancel(echo, "OPERATOR"));
            CHECK_FALSE(rig.restarter.cancel(echo, "OPERATOR"));
            CHECK(rig.restarter.status(echo).find(
                      "not restarted: restart cancelled by FORCE by OPERATOR") !=
                  std::string::npos);
        }
        SUBCASE("logon") {
            rig.restarter.on_logon(echo);
        }
        SUBCASE("shutdown") {
            rig.restarter.stop();
        }
        rig.io.run_for(50ms);
        CHECK(rig.target.logons == 0);
    }

    TEST_CASE("without a policy a crash is only told, and its end kept") {
        Rig rig;
        rig.target.policy.reset();
        rig.restarter.on_end(echo, {EndKind::storage, "16M"});
        rig.io.run_for(30ms);
        CHECK(rig.target.logons == 0);
        CHECK(
            rig.target.messages ==
            std::vector<std::string>{"HCPRST001W ECHO ended abnormally (storage exceeded (16M))"});
        CHECK(rig.restarter.status(echo) == "last session ended: storage exceeded (16M)");
        rig.restarter.on_end(echo, {EndKind::logoff, ""});
        CHECK(rig.target.messages.size() == 1); // a logoff is not news
        const auto rows = rig.restarter.summaries();
        REQUIRE(rows.size() == 1);
        CHECK(rows[0].second == "clean logoff");
    }

} // TEST_SUITE
