// SPDX-License-Identifier: MIT
// cpd's spawn helper under the deaths it must survive or share: killed with
// SIGKILL, its guests are forced off and reaped (no zombie, no orphan), a new
// helper starts and logons work again; cpd killed with SIGKILL takes the
// helper and every guest with it; no guest holds the helper's socket.
#include "process_tree.hpp"
#include "test_directory.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <sstream>

using namespace cpd::test;
using cpd::proto::CpRc;

namespace {

bool gone(pid_t pid) {
    return ::kill(pid, 0) != 0 && errno == ESRCH;
}

int count_of(const std::string& text, const std::string& needle) {
    int n = 0;
    for (std::size_t p = 0; (p = text.find(needle, p)) != std::string::npos; ++p) {
        ++n;
    }
    return n;
}

} // namespace

TEST_SUITE("integration.spawn_helper") {

    TEST_CASE("a spawn helper killed with SIGKILL: guests forced off and reaped, a new helper") {
        CpdHarness cpd(sinks(3));
        REQUIRE(cpd.start());
        Client op = cpd.connect();
        for (int i = 0; i < 3; ++i) {
            REQUIRE(op.cp("XAUTOLOG G" + std::to_string(i)).rc == CpRc::ok);
        }
        REQUIRE(wait_until([&] { return count_of(cpd.log(), ": logged on by ") == 3; }, 10s));
        const std::vector<pid_t> guests = cpd.guest_pids();
        REQUIRE(guests.size() == 3);
        const pid_t helper = helper_of(cpd.pid());
        REQUIRE(helper > 0);
        REQUIRE(::kill(helper, SIGKILL) == 0);
        CHECK(cpd.wait_for_log("the spawn helper ended (killed by signal SIGKILL", 5s));
        // No orphan: every guest is gone; none is left a zombie of cpd's.
        CHECK(wait_until(
            [&] {
                return std::all_of(guests.begin(), guests.end(), [](pid_t g) { return gone(g); });
            },
            5s));
        CHECK(wait_until([&] { return op.cp("QUERY G0").rc == CpRc::not_logged_on; }, 5s));
        CHECK(op.cp("QUERY G2").rc == CpRc::not_logged_on);
        CHECK(wait_until(
            [&] {
                const auto kids = children_of(cpd.pid());
                return std::none_of(kids.begin(), kids.end(),
                                    [](const Proc& p) { return p.state == 'Z'; });
            },
            5s));
        // A new helper, and logons work through it.
        CHECK(wait_until([&] { return helper_of(cpd.pid()) > 0; }, 5s));
        CHECK(helper_of(cpd.pid()) != helper);
        REQUIRE(op.cp("XAUTOLOG G1").rc == CpRc::ok);
        CHECK(wait_until([&] { return count_of(cpd.log(), ": logged on by ") == 4; }, 10s));
        CHECK(wait_until([&] { return cpd.guest_pids().size() == 1; }, 5s));
        CHECK(op.smsg("G1", "hello").rc == CpRc::ok);
    }

    TEST_CASE("cpd killed with SIGKILL takes its spawn helper and every guest with it") {
        CpdHarness cpd(sinks(2));
        REQUIRE(cpd.start());
        Client op = cpd.connect();
        REQUIRE(op.cp("XAUTOLOG G0").rc == CpRc::ok);
        REQUIRE(op.cp("XAUTOLOG G1").rc == CpRc::ok);
        REQUIRE(wait_until([&] { return cpd.guest_pids().size() == 2; }, 10s));
        const std::vector<pid_t> guests = cpd.guest_pids();
        const pid_t helper = helper_of(cpd.pid());
        REQUIRE(helper > 0);
        cpd.stop(SIGKILL);
        CHECK(wait_until([&] { return gone(helper); }, 5s));
        CHECK(wait_until(
            [&] {
                return std::all_of(guests.begin(), guests.end(), [](pid_t g) { return gone(g); });
            },
            5s));
    }

    TEST_CASE("a guest never holds the spawn helper's socket") {
        CpdHarness cpd(sinks(1));
        REQUIRE(cpd.start());
        Client op = cpd.connect();
        REQUIRE(op.cp("XAUTOLOG G0").rc == CpRc::ok);
        const pid_t guest = cpd.guest_pid("G0");
        REQUIRE(guest > 0);
        const pid_t helper = helper_of(cpd.pid());
        REQUIRE(helper > 0);
        namespace fs = std::filesystem;
        const std::string socket = fs::read_symlink("/proc/" + std::to_string(helper) + "/fd/3");
        REQUIRE(socket.rfind("socket:", 0) == 0);
        // A descriptor listed may be closed before it is read (cpd's come and
        // go with its clients): those are skipped, not errors.
        const auto targets = [](pid_t pid) {
            std::vector<std::string> found;
            std::error_code ec;
            for (const auto& e : fs::directory_iterator("/proc/" + std::to_string(pid) + "/fd", ec)) {
                std::error_code gone;
                const fs::path target = fs::read_symlink(e.path(), gone);
                if (!gone) {
                    found.push_back(target.string());
                }
            }
            return found;
        };
        const std::vector<std::string> held = targets(guest);
        REQUIRE_FALSE(held.empty());
        CHECK(std::find(held.begin(), held.end(), socket) == held.end());
        // cpd's end is not there either (its pair shares no inode, but no socket of cpd's may be).
        for (const std::string& target : targets(cpd.pid())) {
            if (target.rfind("socket:", 0) == 0) {
                CHECK(std::find(held.begin(), held.end(), target) == held.end());
            }
        }
    }

} // TEST_SUITE
