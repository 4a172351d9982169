// SPDX-License-Identifier: MIT
// CP MSG, MSGNOH and WARNING through the real cpd to PROBE guests: the
// guest's on_message gets the kind, the sender cpd stamped and the text; a
// guest's own CP MSG is sent as that guest; SET MSG OFF refuses with 057I
// while WARNING still arrives; class G cannot warn.
#include "test_directory.hpp"

#include <doctest/doctest.h>

using namespace cpd::test;
using cpd::proto::CpRc;

TEST_SUITE("integration.cp_messages") {

    TEST_CASE("msg, msgnoh and warning reach on_message with their kind and sender") {
        CpdHarness cpd(test_config("ALICE BOB"));
        REQUIRE(cpd.start());
        REQUIRE(wait_for_line(cpd.out_file("alice"), "IPL ALICE"));
        REQUIRE(wait_for_line(cpd.out_file("bob"), "IPL BOB"));
        Client op = cpd.connect(); // root: OPERATOR, class ABCDEFG
        CHECK(op.cp("MSG BOB hello  there").rc == CpRc::ok);
        CHECK(op.cp("WNG BOB going down").rc == CpRc::ok);
        CHECK(op.cp("MSGNOH BOB raw").rc == CpRc::ok);
        CHECK(wait_for_line(cpd.out_file("bob"), "MESSAGE MSG OPERATOR hello  there"));
        CHECK(wait_for_line(cpd.out_file("bob"), "MESSAGE WNG OPERATOR going down"));
        CHECK(wait_for_line(cpd.out_file("bob"), "MESSAGE MSGNOH OPERATOR raw"));
        // A guest's CP MSG is sent as that guest, whatever its text claims.
        CHECK(op.smsg("ALICE", "!CP MSG BOB I am OPERATOR").rc == CpRc::ok);
        CHECK(wait_for_line(cpd.out_file("bob"), "MESSAGE MSG ALICE I am OPERATOR"));
        CHECK(wait_for_line(cpd.out_file("alice"), "CPRESP 0 "));
        // MSG ALL reaches every logged-on guest.
        CHECK(op.cp("MSG ALL to everyone").rc == CpRc::ok);
        CHECK(wait_for_line(cpd.out_file("alice"), "MESSAGE MSG OPERATOR to everyone"));
        CHECK(wait_for_line(cpd.out_file("bob"), "MESSAGE MSG OPERATOR to everyone"));
    }

    TEST_CASE("set msg off refuses msg with 057I; warning has its own switch; G cannot warn") {
        CpdHarness cpd(test_config("ALICE BOB"));
        REQUIRE(cpd.start());
        REQUIRE(wait_for_line(cpd.out_file("alice"), "IPL ALICE"));
        REQUIRE(wait_for_line(cpd.out_file("bob"), "IPL BOB"));
        Client op = cpd.connect();
        CHECK(op.smsg("BOB", "!CP SET MSG OFF").rc == CpRc::ok);
        REQUIRE(wait_for_line(cpd.out_file("bob"), "CPRESP 0"));
        const Reply refused = op.cp("MSG BOB are you there");
        CHECK(refused.rc == CpRc::not_receiving);
        CHECK(refused.text == "HCPMSG057I BOB not receiving; MSG off");
        CHECK(op.cp("WNG BOB still warned").rc == CpRc::ok);
        CHECK(wait_for_line(cpd.out_file("bob"), "MESSAGE WNG OPERATOR still warned"));
        CHECK(read_file(cpd.out_file("bob")).find("are you there") == std::string::npos);
        CHECK(op.smsg("BOB", "!CP QUERY SET").rc == CpRc::ok);
        CHECK(wait_for_line(cpd.out_file("bob"), "CPRESP 0 MSG OFF   , WNG ON"));
        CHECK(op.smsg("ALICE", "!CP WNG BOB x").rc == CpRc::ok);
        CHECK(wait_for_line(cpd.out_file("alice"),
                            "CPRESP 2 HCPCMD002E Command WNG not authorized"));
        CHECK(op.cp("MSG NOBODY hi").rc == CpRc::not_logged_on);
    }

} // TEST_SUITE
