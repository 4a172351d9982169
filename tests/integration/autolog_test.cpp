// SPDX-License-Identifier: MIT
// The autolog list through the real cpd: a userid missing from the directory
// stops a start (exit 78) and refuses a SIGHUP reload, named in the same words
// both times, and a refused reload leaves the running configuration in force.
#include "test_directory.hpp"

#include <doctest/doctest.h>

#include <csignal>

#include <sys/wait.h>

using namespace cpd::test;
using cpd::proto::CpRc;

TEST_SUITE("integration.autolog") {

TEST_CASE("an autolog userid missing from the directory stops cpd at start with 78") {
    CpdHarness cpd(test_config("ECHO NOSUCH"));
    CHECK_FALSE(cpd.start(3s));
    const int status = cpd.wait_exit(5s);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 78);
    CHECK(cpd.log().find("autolog: NOSUCH is not in the directory " + cpd.dir()) !=
          std::string::npos);
}

TEST_CASE("a reload whose autolog names a userid missing from the directory is refused") {
    CpdHarness cpd(test_config("ECHO"));
    REQUIRE(cpd.start());
    cpd.write_config(test_config("ECHO SINK NOSUCH"));
    ::kill(cpd.pid(), SIGHUP);
    REQUIRE(cpd.wait_for_log("reload failed"));
    CHECK(cpd.log().find("cpd: reload: autolog: NOSUCH is not in the directory " + cpd.dir()) !=
          std::string::npos);
    Client op = cpd.connect();
    CHECK(op.cp("Q SINK").rc == CpRc::not_logged_on); // the new autolog list was not taken
    CHECK(op.cp("Q ECHO").rc == CpRc::ok);
}

} // TEST_SUITE
