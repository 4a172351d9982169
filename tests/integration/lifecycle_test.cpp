// SPDX-License-Identifier: MIT
// Guest lifecycle through the real cpd: duplicate logon, FORCE and LOGOFF
// running on_logoff, a guest killed with SIGKILL, a panicking handler, cpd
// killed with SIGKILL, SIGTERM shutdown and SIGHUP reloads.
#include "test_directory.hpp"

#include <doctest/doctest.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <thread>

#include <sys/prctl.h>
#include <sys/wait.h>

using namespace cpd::test;
using cpd::proto::CpRc;

TEST_SUITE("integration.lifecycle") {

TEST_CASE("a second logon of a logged-on guest is refused with 054") {
    CpdHarness cpd(test_config("ECHO"));
    REQUIRE(cpd.start());
    Client op = cpd.connect();
    Reply r = op.cp("XAUTOLOG ECHO");
    CHECK(r.rc == CpRc::already_logged_on);
    CHECK(r.text.find("HCPLGA054E") == 0);
    CHECK(op.cp("XAUTO NOSUCH").rc == CpRc::not_in_directory);
    CHECK(op.cp("XAUTOLOG LOCKED").rc == CpRc::nolog);
    CHECK(op.cp("Q N").text == "ECHO     - DSC");
    Reply on = op.cp("xautolog sink");
    CHECK(on.rc == CpRc::ok);
    CHECK(op.cp("Q N").text == "ECHO     - DSC , SINK     - DSC");
    CHECK(op.cp("Q USERS").text == "     2 USERS,      0 DIALED,      0 NET");
}

TEST_CASE("force runs on_logoff, then the guest is gone") {
    CpdHarness cpd(test_config("ALICE"));
    REQUIRE(cpd.start());
    REQUIRE(wait_for_line(cpd.out_file("alice"), "IPL ALICE"));
    pid_t pid = cpd.guest_pid("ALICE");
    REQUIRE(pid > 0);
    Client op = cpd.connect();
    Reply r = op.cp("FORCE ALICE");
    CHECK(r.rc == CpRc::ok);
    CHECK(r.text.find("FORCED BY OPERATOR") != std::string::npos);
    CHECK(wait_for_line(cpd.out_file("alice"), "LOGOFF"));
    CHECK(wait_until([&] { return op.cp("Q ALICE").rc == CpRc::not_logged_on; }, 3s));
    CHECK(!process_exists(pid));
    CHECK(cpd.wait_for_log("ALICE: logged off (FORCE by OPERATOR): exited with status 0"));
    CHECK(op.cp("FORCE ALICE").rc == CpRc::not_logged_on);
}

TEST_CASE("a guest's own logoff runs on_logoff") {
    CpdHarness cpd(test_config("ALICE"));
    REQUIRE(cpd.start());
    REQUIRE(wait_for_line(cpd.out_file("alice"), "IPL ALICE"));
    Client op = cpd.connect();
    op.smsg("ALICE", "!LOGOFF");
    CHECK(wait_for_line(cpd.out_file("alice"), "LOGOFF"));
    CHECK(cpd.wait_for_log("ALICE: logged off (LOGOFF by ALICE)"));
    CHECK(wait_until([&] { return op.cp("Q N").text.empty(); }, 3s));
}

TEST_CASE("a guest killed with sigkill is noticed at once, reaped, and leaves no shm") {
    auto shm_before = shm_entries();
    CpdHarness cpd(test_config("ECHO SINK"));
    REQUIRE(cpd.start());
    pid_t pid = cpd.guest_pid("SINK");
    REQUIRE(pid > 0);
    REQUIRE(::kill(pid, SIGKILL) == 0);
    Client op = cpd.connect();
    CHECK(wait_until([&] { return op.cp("Q N").text == "ECHO     - DSC"; }, 1s));
    CHECK(wait_until([&] { return !process_exists(pid); }, 1s)); // no zombie
    CHECK(cpd.wait_for_log("SINK: killed by signal SIGKILL"));
    CHECK(shm_entries() == shm_before);
    CHECK(op.cp("XAUTOLOG SINK").rc == CpRc::ok); // and it can come back
}

TEST_CASE("a handler that throws is logged as crashed") {
    CpdHarness cpd(test_config("ALICE"));
    REQUIRE(cpd.start());
    REQUIRE(wait_for_line(cpd.out_file("alice"), "IPL ALICE"));
    cpd.connect().smsg("ALICE", "!PANIC");
    CHECK(cpd.wait_for_log("ALICE: crashed: handler panic"));
    CHECK(read_file(cpd.out_file("alice")).find("LOGOFF") == std::string::npos);
}

TEST_CASE("when cpd is killed with sigkill its guests die within two seconds") {
    // Orphans come to us instead of PID 1 (which may not reap in a container).
    ::prctl(PR_SET_CHILD_SUBREAPER, 1);
    CpdHarness cpd(test_config("ECHO SINK ALICE"));
    REQUIRE(cpd.start());
    std::vector<pid_t> guests;
    for (const char* id : {"ECHO", "SINK", "ALICE"}) {
        guests.push_back(cpd.guest_pid(id));
        REQUIRE(guests.back() > 0);
    }
    REQUIRE(cpd.stop(SIGKILL, 5s) != -1);
    CHECK(wait_until(
        [&] {
            for (pid_t g : guests) {
                if (process_alive(g)) {
                    return false;
                }
            }
            return true;
        },
        2s));
    for (pid_t g : guests) {
        ::waitpid(g, nullptr, WNOHANG); // reap what was reparented to us
    }
    ::prctl(PR_SET_CHILD_SUBREAPER, 0);
}

TEST_CASE("sigterm logs every guest off and exits 0") {
    CpdHarness cpd(test_config("ALICE BOB ECHO"));
    REQUIRE(cpd.start());
    REQUIRE(wait_for_line(cpd.out_file("bob"), "IPL BOB"));
    // Each guest shows as cpd:USERID only once it has exec'd: wait for all three.
    std::vector<pid_t> guests;
    CHECK(wait_until([&] { return (guests = cpd.guest_pids()).size() == 3; }, 2s));
    int status = cpd.stop(SIGTERM, 10s);
    REQUIRE(status != -1);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    CHECK(read_file(cpd.out_file("alice")).find("LOGOFF") != std::string::npos);
    CHECK(read_file(cpd.out_file("bob")).find("LOGOFF") != std::string::npos);
    CHECK(cpd.log().find("ECHO: logged off (SHUTDOWN by SYSTEM)") != std::string::npos);
    for (pid_t g : guests) {
        CHECK(!process_exists(g));
    }
    CHECK(!std::filesystem::exists(cpd.socket_path()));
}

TEST_CASE("the shutdown command stops cpd like sigterm") {
    CpdHarness cpd(test_config("ECHO"));
    REQUIRE(cpd.start());
    Client op = cpd.connect();
    CHECK(op.cp("SHUTDOWN").rc == CpRc::ok);
    int status = cpd.wait_exit(10s);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
}

TEST_CASE("sighup with a broken directory keeps the old one; a good one is taken") {
    CpdHarness cpd(test_config("ECHO"));
    REQUIRE(cpd.start());
    cpd.write_directory("USER ECHO NOPASS 16M 16M G\n IPL ECHO\nUSER BAD!NAME NOPASS\n");
    ::kill(cpd.pid(), SIGHUP);
    REQUIRE(cpd.wait_for_log("reload failed"));
    CHECK(cpd.log().find("user.direct:3") != std::string::npos); // names file and line
    Client op = cpd.connect();
    CHECK(op.cp("XAUTOLOG SINK").rc == CpRc::ok); // SINK is still in the old directory

    HarnessConfig next = test_config("ECHO NEWBIE");
    cpd.write_config(next);
    cpd.write_directory(std::string(test_directory) + "USER NEWBIE NOPASS 16M 16M G\n IPL ECHO\n");
    ::kill(cpd.pid(), SIGHUP);
    CHECK(wait_until([&] { return op.cp("Q NEWBIE").rc == CpRc::ok; }, 3s)); // autologged
}

TEST_CASE("sighup re-reads the cpd.conf that CPD_CONFIG named at start") {
    HarnessConfig config = test_config("ECHO");
    config.config_from_env = true;
    CpdHarness cpd(config);
    REQUIRE(cpd.start());
    HarnessConfig next = test_config("ECHO NEWBIE");
    cpd.write_config(next);
    cpd.write_directory(std::string(test_directory) + "USER NEWBIE NOPASS 16M 16M G\n IPL ECHO\n");
    ::kill(cpd.pid(), SIGHUP);
    Client op = cpd.connect();
    CHECK(wait_until([&] { return op.cp("Q NEWBIE").rc == CpRc::ok; }, 3s));
    CHECK(cpd.log().find("reload failed") == std::string::npos);
    CHECK(cpd.log().find("changed; it takes effect when cpd restarts") == std::string::npos);
}

} // TEST_SUITE
