// SPDX-License-Identifier: MIT
// cpd's descriptors per guest, counted in /proc/<cpd>/fd around logons of N
// guests: two (eventfd bells) while the limit holds two for every user of the
// directory, one (a socket pair serving both ways) when it does not, and the
// guests still answer; and a logon refused for want of descriptors: the
// message names how many guests cpd's limit allows (lowered here with
// prlimit on the running cpd).
#include "test_directory.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <cstring>
#include <regex>

#include <sys/resource.h>

using namespace cpd::test;
using cpd::proto::CpRc;

namespace {

/// Descriptors open in process `pid`.
int open_descriptors(pid_t pid) {
    int n = 0;
    for ([[maybe_unused]] const auto& e :
         std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd")) {
        ++n;
    }
    return n;
}

/// Waits until cpd has heard every child's exec (its report pipes are closed).
bool all_exec_heard(const CpdHarness& cpd, int n) {
    return wait_until(
        [&] {
            const std::string log = cpd.log();
            int heard = 0;
            for (std::size_t p = 0; (p = log.find(": logged on by ", p)) != std::string::npos;
                 ++p) {
                ++heard;
            }
            return heard >= n;
        },
        20s);
}

/// Logs on `prefix`0 .. `prefix`n-1 with XAUTOLOG and waits until cpd heard
/// every exec; returns how many descriptors that added to cpd's.
int descriptors_for_logons(const CpdHarness& cpd, Client& op, const std::string& prefix, int n) {
    const int before = open_descriptors(cpd.pid());
    for (int i = 0; i < n; ++i) {
        REQUIRE(op.cp("XAUTOLOG " + prefix + std::to_string(i)).rc == CpRc::ok);
    }
    REQUIRE(all_exec_heard(cpd, n));
    REQUIRE(wait_until([&] { return cpd.guest_pids().size() == static_cast<std::size_t>(n); },
                       10s));
    const int added = open_descriptors(cpd.pid()) - before;
    MESSAGE(added << " descriptors more with " << n << " guests");
    return added;
}

} // namespace

TEST_SUITE("integration.descriptor_budget") {

    TEST_CASE("cpd holds at most two descriptors per logged-on guest") {
        constexpr int n = 24;
        HarnessConfig c = sinks(n);
        c.extra_conf = "max_clients = 16\n"; // eventfds under any limit above ~1,000
        CpdHarness cpd(c);
        REQUIRE(cpd.start());
        Client op = cpd.connect();
        REQUIRE(op.cp("Q N").rc == CpRc::ok);
        const int before = open_descriptors(cpd.pid());
        const int added = descriptors_for_logons(cpd, op, "G", n);
        CHECK(added <= 2 * n); // both bells: the spawn helper holds the rest
        CHECK(added >= 2 * n); // the count does see the guests' descriptors
        for (int i = 0; i < n; ++i) {
            REQUIRE(op.cp("FORCE G" + std::to_string(i)).rc == CpRc::ok);
        }
        CHECK(wait_until([&] { return cpd.guest_pids().empty(); }, 20s));
        CHECK(wait_until([&] { return open_descriptors(cpd.pid()) == before; }, 5s));
    }

    TEST_CASE("under a limit short of two per user, each guest holds one descriptor and answers") {
        // 150 ECHO users cannot have two each under a hard limit of 200.
        constexpr int users = 150;
        constexpr int n = 24;
        HarnessConfig c;
        c.directory = "USER OPERATOR NOPASS 64M 128M ABCDEFG\n POSIXINFO UID 0\n";
        for (int i = 0; i < users; ++i) {
            c.directory += "USER E" + std::to_string(i) + " NOPASS 16M 16M G\n IPL ECHO\n";
        }
        c.launcher = {"prlimit", "--nofile=200:200", "--"};
        CpdHarness cpd(c);
        REQUIRE(cpd.start());
        Client op = cpd.connect();
        REQUIRE(op.cp("Q N").rc == CpRc::ok);
        const int before = open_descriptors(cpd.pid());
        CHECK(descriptors_for_logons(cpd, op, "E", n) == n);
        CHECK(cpd.log().find("new guests get one") != std::string::npos);
        // Both directions of every guest's one bell work: each ECHO answers.
        REQUIRE(op.listen().rc == CpRc::ok);
        for (int i = 0; i < n; ++i) {
            const std::string to = "E" + std::to_string(i);
            REQUIRE(op.send(cpd::proto::ClientSmsgSend{*cpd::proto::Userid::parse(to), "hi"}));
            bool answered = false;
            for (int frames = 0; frames < 2 && !answered; ++frames) {
                const Reply r = op.read();
                answered = r.is_event() && r.from == to && r.text == "ECHO: hi";
            }
            CHECK_MESSAGE(answered, to << " did not answer");
        }
        for (int i = 0; i < n; ++i) {
            REQUIRE(op.cp("FORCE E" + std::to_string(i)).rc == CpRc::ok);
        }
        CHECK(wait_until([&] { return cpd.guest_pids().empty(); }, 20s));
        CHECK(wait_until([&] { return open_descriptors(cpd.pid()) == before; }, 5s));
        CHECK(cpd.log().find("throttl") == std::string::npos); // a closed pair end is no flood
    }

    TEST_CASE("a logon short of descriptors says how many guests cpd's limit allows") {
        CpdHarness cpd(sinks(40));
        REQUIRE(cpd.start());
        Client op = cpd.connect();
        REQUIRE(op.cp("Q N").rc == CpRc::ok);
        REQUIRE(op.cp("XAUTOLOG G0").rc == CpRc::ok);
        REQUIRE(all_exec_heard(cpd, 1));
        // Room for about ten more guests: the soft limit just above what is open.
        const int open_now = open_descriptors(cpd.pid());
        rlimit low{};
        REQUIRE(::prlimit(cpd.pid(), RLIMIT_NOFILE, nullptr, &low) == 0);
        low.rlim_cur = static_cast<rlim_t>(open_now + 30);
        REQUIRE_MESSAGE(::prlimit(cpd.pid(), RLIMIT_NOFILE, &low, nullptr) == 0,
                        std::strerror(errno));
        Reply refused;
        int started = 1;
        for (int i = 1; i < 40; ++i) {
            Reply r = op.cp("XAUTOLOG G" + std::to_string(i));
            if (r.rc != CpRc::ok) {
                refused = r;
                break;
            }
            ++started;
            REQUIRE(all_exec_heard(cpd, started)); // one logon's transient descriptors at a time
        }
        REQUIRE_MESSAGE(refused.type != 0,
                        "all 40 logons fitted under a limit of " << open_now + 30);
        MESSAGE(started << " guests fitted; refused: " << refused.text);
        CHECK(refused.rc == CpRc::logon_failed);
        CHECK(refused.text.rfind("HCPLGA071E G" + std::to_string(started), 0) == 0);
        // "cpd's descriptor limit (L) allows M guests": L is the lowered soft
        // limit, and M is within a logon's transient descriptors of what fitted.
        std::smatch m;
        const std::regex room("descriptor limit \\(([0-9]+)\\) allows ([0-9]+) guests");
        REQUIRE_MESSAGE(std::regex_search(refused.text, m, room), refused.text);
        CHECK(std::stoi(m[1]) == open_now + 30);
        const int allowed = std::stoi(m[2]);
        CHECK(allowed >= started - 3);
        CHECK(allowed <= started + 3);
        CHECK(cpd.log().find("unable to log on: ") != std::string::npos);
    }

} // TEST_SUITE
