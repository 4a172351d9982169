// SPDX-License-Identifier: MIT
// The SDK's IUCV request/reply example (guest/examples/iucv-rr) run for real:
// the client guest connects to the server guest at IPL, sends its requests,
// checks every upper-cased reply, records the outcome and severs.
#include "test_directory.hpp"

#include <doctest/doctest.h>

using namespace cpd::test;

namespace {

constexpr const char* rr_directory = R"(* IUCV example directory
USER OPERATOR NOPASS 64M 128M ABCDEFG
 POSIXINFO UID 0
USER RRSERVER NOPASS 16M 16M G
 IPL RRSERVER
 IUCV ALLOW
USER RRCLIENT NOPASS 16M 16M G
 IPL RRCLIENT PARM RRSERVER 2000 $DIR/state/disks/RRCLIENT/0191/log
 MDISK 0191 3390 1 1 OUT191 MR
USER LONELY NOPASS 16M 16M G
 IPL RRCLIENT PARM NOSERVER 10 $DIR/state/disks/LONELY/0191/log
 MDISK 0191 3390 1 1 OUT191 MR
)";

HarnessConfig rr_config(const std::string& autolog) {
    HarnessConfig c;
    c.directory = rr_directory;
    c.autolog = autolog;
    return c;
}

} // namespace

TEST_SUITE("integration.iucv_example") {

    TEST_CASE("the request/reply client gets every reply from the server, then severs") {
        CpdHarness cpd(rr_config("RRSERVER RRCLIENT"));
        REQUIRE_MESSAGE(cpd.start(), cpd.log());
        REQUIRE(wait_for_line(cpd.out_file("rrclient"), "RRCLIENT: ", 30s));
        CHECK(read_file(cpd.out_file("rrclient"))
                  .find("RRCLIENT: 2000 requests, 2000 replies ok, 0 bad") == 0);
        Client op = cpd.connect();
        REQUIRE(wait_until([&] { return op.cp("QUERY IUCV").text.find('\n') == std::string::npos; },
                           5s));
        const std::string stats = op.cp("QUERY STATS").text;
        CHECK(stats.find("COMPLETED 1, REFUSED 0, FAILED 0, SEVERED 1") != std::string::npos);
        CHECK(stats.find("REPLIES 2000,") != std::string::npos);
    }

    TEST_CASE("the client reports a server that is not logged on") {
        CpdHarness cpd(rr_config("LONELY"));
        REQUIRE_MESSAGE(cpd.start(), cpd.log());
        CHECK(wait_for_line(cpd.out_file("lonely"), "RRCLIENT: FAILED: connect to NOSERVER rc 11"));
    }

} // TEST_SUITE
