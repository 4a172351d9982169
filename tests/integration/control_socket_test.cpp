// SPDX-License-Identifier: MIT
// The control socket's gatekeeping: host users without a directory entry are
// refused, a class-G user is refused class-A commands, malformed frames get a
// ServerError and the connection closed, and cpd keeps serving everyone else.
#include "test_directory.hpp"

#include <doctest/doctest.h>

#include <csignal>

#include <sys/wait.h>
#include <unistd.h>

using namespace cpd::test;
using cpd::proto::CpRc;

namespace {

/// Runs `body` in a child with real, effective and saved uid/gid `id`; returns its exit code.
int as_user(uid_t id, const std::function<int()>& body) {
    pid_t pid = ::fork();
    if (pid == 0) {
        if (::setresgid(id, id, id) != 0 || ::setresuid(id, id, id) != 0) {
            ::_exit(100);
        }
        ::_exit(body());
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 101;
}

} // namespace

TEST_SUITE("integration.control") {

TEST_CASE("host users are held to their directory classes") {
    if (::geteuid() != 0) {
        MESSAGE("skipped: needs root to act as other host users");
        return;
    }
    HarnessConfig config = test_config("ECHO");
    config.extra_conf = "socket_mode = 0666";
    CpdHarness cpd(config);
    REQUIRE(cpd.start());
    SUBCASE("a user the directory maps to class G may query but not force") {
        int rc = as_user(65534, [&] {
            Client c = cpd.connect();
            if (!c.ok() || c.cp("Q N").rc != CpRc::ok) {
                return 1;
            }
            Reply f = c.cp("FORCE ECHO");
            if (f.rc != CpRc::not_authorized || f.text.find("HCPCMD002E") != 0) {
                return 2;
            }
            return c.cp("SHUTDOWN").rc == CpRc::not_authorized ? 0 : 3;
        });
        CHECK(rc == 0);
        CHECK(cpd.connect().cp("Q ECHO").rc == CpRc::ok); // nothing was forced
    }
    SUBCASE("a user the directory does not name is refused") {
        int rc = as_user(65533, [&] {
            Client c = cpd.connect();
            if (!c.ok()) {
                return 1;
            }
            c.send(cpd::proto::ClientCpCommand{"Q N"});
            Reply r = c.read();
            return r.is_error() && r.rc == CpRc::not_authorized ? 0 : 2;
        });
        CHECK(rc == 0);
        CHECK(cpd.wait_for_log("uid 65533"));
    }
}

TEST_CASE("a malformed frame gets an error and a closed connection, nothing else") {
    CpdHarness cpd(test_config("ECHO"));
    REQUIRE(cpd.start());
    Client bad = cpd.connect();
    std::vector<std::byte> junk(8, std::byte{0xEE});
    REQUIRE(bad.send_raw(junk));
    Reply r = bad.read();
    CHECK(r.is_error());
    CHECK(bad.read(1s).type == 0); // closed
    Client good = cpd.connect();
    CHECK(good.cp("Q N").text == "ECHO     - DSC");
}

TEST_CASE("cp commands answer in z/VM forms and abbreviations") {
    CpdHarness cpd(test_config("ECHO SINK"));
    REQUIRE(cpd.start());
    Client op = cpd.connect();
    CHECK(op.cp("q n").text == "ECHO     - DSC , SINK     - DSC");
    CHECK(op.cp("QUERY NAMES").text == "ECHO     - DSC , SINK     - DSC");
    CHECK(op.cp("Q ECHO").text == "ECHO     - DSC");
    Reply nq = op.cp("Q ALICE");
    CHECK(nq.rc == CpRc::not_logged_on);
    CHECK(nq.text == "HCPCQU045E ALICE not logged on");
    Reply unk = op.cp("FROB");
    CHECK(unk.rc == CpRc::unknown_command);
    CHECK(unk.text == "HCPCMD001E Unknown CP command: FROB");
    Reply stats = op.cp("Q STATS");
    CHECK(stats.rc == CpRc::ok);
    CHECK(stats.text.find("ECHO") != std::string::npos);
    CHECK(stats.text.find("TOTAL") != std::string::npos);
    CHECK(op.cp("SM ECHO hi").rc == CpRc::ok);
}

} // TEST_SUITE
