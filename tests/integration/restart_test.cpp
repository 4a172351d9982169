// SPDX-License-Identifier: MIT
// Restart policies through the real cpd: a guest with a RESTART statement
// that is killed comes back after its backoff, the next backoff is longer,
// at the limit cpd gives up and QUERY, QUERY STATS and FORCE say so; LOGOFF
// and FORCE end it for good; OPERATOR's console and a class B user who said
// SET CRASHMSG ON get the HCPRST messages. Every wait is on a log line, a
// QUERY answer or a console line; elapsed time is only checked as a lower
// bound of a backoff.
#include "test_directory.hpp"

#include "cpd/ipc/frame_io.hpp"

#include <doctest/doctest.h>

#include <csignal>

using namespace cpd::test;
using cpd::proto::CpRc;

namespace {

/// ALICE restarts; PLAIN has no policy; MAINT (class B) may ask for messages;
/// OPERATOR runs SINK so that it has a console.
constexpr const char* restart_directory = R"(* restart test directory
USER OPERATOR NOPASS 64M 128M ABCDEFG
 POSIXINFO UID 0
 IPL SINK
USER MAINT NOPASS 16M 16M BG
 IPL $PROBE PARM $DIR/state/disks/MAINT/0191/log
 MDISK 0191 3390 1 1 OUT191 MR
USER ALICE NOPASS 16M 16M G
 IPL $PROBE PARM $DIR/state/disks/ALICE/0191/log
 MDISK 0191 3390 1 1 OUT191 MR
 RESTART LIMIT 2 WITHIN 60 BACKOFF 300MS
USER PLAIN NOPASS 16M 16M G
 IPL SINK
)";

HarnessConfig restart_config(const std::string& autolog) {
    HarnessConfig c;
    c.directory = restart_directory;
    c.autolog = autolog;
    return c;
}

using Clock = std::chrono::steady_clock;

/// Waits until `userid` runs as a process other than `old_pid`; its pid or 0.
pid_t wait_new_pid(const CpdHarness& cpd, const char* userid, pid_t old_pid) {
    pid_t pid = 0;
    wait_until(
        [&] {
            pid = cpd.guest_pid(userid);
            return pid > 0 && pid != old_pid;
        },
        10s, 5ms);
    return pid != old_pid ? pid : 0;
}

/// Kills `userid`'s process; returns when the kill was sent.
Clock::time_point kill_guest(const CpdHarness& cpd, const char* userid, pid_t& pid) {
    pid = cpd.guest_pid(userid);
    REQUIRE(pid > 0);
    const auto sent = Clock::now();
    REQUIRE(::kill(pid, SIGKILL) == 0);
    return sent;
}

/// Attaches `client` to `userid`'s console as an observer.
void observe(Client& client, const char* userid) {
    REQUIRE(client.send(cpd::proto::ClientConsoleAttach{*cpd::proto::Userid::parse(userid),
                                                        cpd::proto::AttachMode::observer, false}));
}

/// How often `needle` occurs in `text`.
std::size_t count(const std::string& text, std::string_view needle) {
    std::size_t n = 0;
    for (std::size_t at = text.find(needle); at != std::string::npos;
         at = text.find(needle, at + needle.size())) {
        ++n;
    }
    return n;
}

/// Reads console frames until a line holding `needle` arrives (5 s).
bool wait_console_line(Client& client, std::string_view needle) {
    const auto deadline = Clock::now() + 5s;
    while (Clock::now() < deadline) {
        cpd::ipc::RawFrame raw;
        std::error_code ec;
        if (!cpd::ipc::read_frame(client.fd(), raw, ec, 5000)) {
            return false;
        }
        const auto frame = cpd::proto::decode_server_frame(raw.type, raw.payload);
        if (!frame) {
            return false;
        }
        if (const auto* out = std::get_if<cpd::proto::ServerConsoleOutput>(&*frame);
            out != nullptr && out->line.find(needle) != std::string_view::npos) {
            return true;
        }
    }
    return false;
}

} // namespace

TEST_SUITE("integration.restart") {

    TEST_CASE(
        "a killed guest with RESTART comes back after its backoff, then gives up at the limit") {
        CpdHarness cpd(restart_config("ALICE"));
        REQUIRE(cpd.start());
        Client op = cpd.connect();
        pid_t pid = 0;

        // Crash 1: restarted after BACKOFF.
        auto killed = kill_guest(cpd, "ALICE", pid);
        CHECK(cpd.wait_for_log(
            "restart: ALICE: crash: killed by signal SIGKILL: restarting in 300 ms "
            "(backoff for restart 1 of at most 2 within 60 s)"));
        pid_t next = wait_new_pid(cpd, "ALICE", pid);
        REQUIRE(next > 0);
        CHECK(Clock::now() - killed >= 300ms);
        CHECK(op.cp("Q ALICE").text == "ALICE    - DSC\nALICE    last session ended: crash: killed "
                                       "by signal SIGKILL; restarts 1");

        // Crash 2, a handler panic this time: the backoff doubles.
        REQUIRE(wait_for_line(cpd.out_file("alice"), "IPL ALICE")); // the new one runs its handlers
        killed = Clock::now();
        op.smsg("ALICE", "!PANIC");
        CHECK(cpd.wait_for_log("restarting in 600 ms (backoff for restart 2 of at most 2"));
        CHECK(cpd.log().find("restart: ALICE: crash: handler panic") != std::string::npos);
        pid = next;
        next = wait_new_pid(cpd, "ALICE", pid);
        REQUIRE(next > 0);
        CHECK(Clock::now() - killed >= 600ms);

        // Crash 3: two restarts within 60 s are the limit.
        kill_guest(cpd, "ALICE", pid);
        CHECK(cpd.wait_for_log(
            "restart: ALICE: giving up: 2 restarts within 60 s (LIMIT 2); it stays "
            "logged off"));
        const std::string how = "ALICE    last session ended: crash: killed by signal SIGKILL; "
                                "restarts 2; not restarted: 2 restarts within 60 s (LIMIT 2)";
        Reply q;
        CHECK(wait_until([&] { return (q = op.cp("Q ALICE")).rc == CpRc::not_logged_on; }, 5s));
        CHECK(q.text == "HCPCQU045E ALICE not logged on\n" + how);
        const Reply force = op.cp("FORCE ALICE");
        CHECK(force.rc == CpRc::not_logged_on);
        CHECK(force.text == "HCPCQU045E ALICE not logged on\n" + how);
        CHECK(op.cp("Q STATS").text.find("\nENDED    ALICE    crash: killed by signal SIGKILL; "
                                         "restarts 2; not restarted: 2 restarts within 60 s") !=
              std::string::npos);
        CHECK(cpd.guest_pids().empty()); // not restarted behind our back

        // A user's logon starts the limit afresh.
        CHECK(op.cp("XAUTOLOG ALICE").rc == CpRc::ok);
        kill_guest(cpd, "ALICE", pid);
        CHECK(wait_until(
            [&] { return count(cpd.log(), "restarting in 300 ms (backoff for restart 1 of") == 2; },
            5s));
    }

    TEST_CASE("LOGOFF and FORCE end a guest with RESTART for good") {
        CpdHarness cpd(restart_config("ALICE"));
        REQUIRE(cpd.start());
        REQUIRE(wait_for_line(cpd.out_file("alice"), "IPL ALICE"));
        Client op = cpd.connect();

        SUBCASE("force") {
            CHECK(op.cp("FORCE ALICE").rc == CpRc::ok);
            CHECK(cpd.wait_for_log(
                "restart: ALICE: not restarted: FORCE by OPERATOR (RESTART answers "
                "crashes only)"));
            CHECK(op.cp("Q ALICE").text ==
                  "HCPCQU045E ALICE not logged on\nALICE    last session ended: FORCE by OPERATOR; "
                  "restarts 0");
        }
        SUBCASE("logoff") {
            op.smsg("ALICE", "!LOGOFF");
            CHECK(cpd.wait_for_log("restart: ALICE: not restarted: clean logoff (RESTART answers "
                                   "crashes only)"));
            CHECK(op.cp("Q ALICE").text ==
                  "HCPCQU045E ALICE not logged on\nALICE    last session ended: clean logoff; "
                  "restarts 0");
        }
        CHECK(cpd.log().find("restart: ALICE: restarting") == std::string::npos);
    }

    TEST_CASE("FORCE cancels a restart that waits for its backoff") {
        HarnessConfig c = restart_config("ALICE");
        const std::size_t at = c.directory.find("BACKOFF 300MS");
        c.directory.replace(at, 13, "BACKOFF 60S"); // the FORCE surely comes first
        CpdHarness cpd(c);
        REQUIRE(cpd.start());
        Client op = cpd.connect();
        pid_t pid = 0;
        kill_guest(cpd, "ALICE", pid);
        REQUIRE(cpd.wait_for_log("restart: ALICE: crash: killed by signal SIGKILL: restarting in"));
        CHECK(op.cp("Q ALICE").text.find("; restarts 0; restarting in ") != std::string::npos);
        const Reply force = op.cp("FORCE ALICE");
        CHECK(force.rc == CpRc::ok);
        CHECK(force.text == "HCPRST003I ALICE will not be restarted: FORCE cancelled its restart");
        CHECK(cpd.wait_for_log("restart: ALICE: restart cancelled by FORCE by OPERATOR"));
        CHECK(
            op.cp("Q ALICE").text ==
            "HCPCQU045E ALICE not logged on\nALICE    last session ended: crash: killed by signal "
            "SIGKILL; restarts 0; not restarted: restart cancelled by FORCE by OPERATOR");
        CHECK(op.cp("FORCE ALICE").rc == CpRc::not_logged_on); // nothing left to cancel
    }

    TEST_CASE("OPERATOR and a class B user who asked are told of a crash on their consoles") {
        CpdHarness cpd(restart_config("OPERATOR MAINT PLAIN"));
        REQUIRE(cpd.start());
        REQUIRE(wait_for_line(cpd.out_file("maint"), "IPL MAINT"));
        Client op = cpd.connect();
        op.smsg("MAINT", "!CP SET CRASHMSG ON");
        REQUIRE(wait_for_line(cpd.out_file("maint"), "CPRESP 0"));
        Client operator_console = cpd.connect();
        observe(operator_console, "OPERATOR");
        Client maint_console = cpd.connect();
        observe(maint_console, "MAINT");
        REQUIRE(wait_until(
            [&] {
                return cpd.log().find("console: MAINT: OPERATOR attached") != std::string::npos &&
                       cpd.log().find("console: OPERATOR: OPERATOR attached") != std::string::npos;
            },
            5s));
        pid_t pid = 0;
        kill_guest(cpd, "PLAIN", pid);
        const char* message = "HCPRST001W PLAIN ended abnormally (crash: killed by signal SIGKILL)";
        CHECK(wait_console_line(operator_console, message));
        CHECK(wait_console_line(maint_console, message));
        CHECK(cpd.wait_for_log("cpd: CP message to OPERATOR MAINT: HCPRST001W PLAIN"));
        CHECK(op.cp("Q PLAIN").text ==
              "HCPCQU045E PLAIN not logged on\nPLAIN    last session ended: "
              "crash: killed by signal SIGKILL");

        SUBCASE("a user who said OFF is not told") {
            op.smsg("MAINT", "!CP SET CRASHMSG OFF");
            REQUIRE(wait_until(
                [&] { return count(read_file(cpd.out_file("maint")), "CPRESP 0") == 2; }, 5s));
            CHECK(op.cp("XAUTOLOG PLAIN").rc == CpRc::ok);
            kill_guest(cpd, "PLAIN", pid);
            CHECK(wait_console_line(operator_console, message));
            CHECK(cpd.wait_for_log("cpd: CP message to OPERATOR: HCPRST001W PLAIN"));
        }
    }

} // TEST_SUITE
