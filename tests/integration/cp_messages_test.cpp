// SPDX-License-Identifier: MIT
// CP MSG, MSGNOH and WARNING through the real cpd to PROBE guests: the
// guest's on_message gets the kind, the sender cpd stamped and the text; a
// guest's own CP MSG is sent as that guest; SET MSG OFF refuses with 057I
// while WARNING still arrives; class G cannot warn; a message for a guest
// whose ring is full is written on its console (the console log shows it).
#include "test_directory.hpp"

#include <doctest/doctest.h>

#include <csignal>
#include <sstream>

using namespace cpd::test;
using cpd::proto::CpRc;

namespace {

/// The DROP-IN count of `userid` in QUERY STATS (SMSGs dropped on its full ring).
std::uint64_t dropped_in(Client& op, const std::string& userid) {
    std::istringstream stats(op.cp("Q STATS").text);
    for (std::string line; std::getline(stats, line);) {
        std::istringstream words(line);
        std::string id, state, in, out, drops;
        if (words >> id >> state >> in >> out >> drops && id == userid) {
            return std::stoull(drops);
        }
    }
    return 0;
}

} // namespace

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
        CHECK(
            wait_for_line(cpd.out_file("alice"), "CPRESP 2 HCPCMD002E Command WNG not authorized"));
        CHECK(op.cp("MSG NOBODY hi").rc == CpRc::not_logged_on);
    }

    TEST_CASE("a msg to a guest whose ring is full is written on its console, not lost") {
        HarnessConfig c = test_config("BOB");
        c.directory += "USER BOBFLOOD NOPASS 16M 16M G\n IPL FLOOD PARM BOB 100000 64\n";
        c.extra_conf = "ring_kib = 16\nconsole_log = yes";
        CpdHarness cpd(c);
        REQUIRE(cpd.start());
        REQUIRE(wait_for_line(cpd.out_file("bob"), "IPL BOB"));
        const pid_t bob = cpd.guest_pid("BOB");
        REQUIRE(bob > 0);
        Client op = cpd.connect();
        REQUIRE(::kill(bob, SIGSTOP) == 0); // BOB reads nothing: the flood fills his ring
        REQUIRE(op.cp("XAUTOLOG BOBFLOOD").rc == CpRc::ok);
        REQUIRE(wait_until([&] { return dropped_in(op, "BOB") > 0; }, 10s, 20ms));
        CHECK(op.cp("MSG BOB while you were away").rc == CpRc::ok);
        CHECK(cpd.wait_for_log("msg: MSG from OPERATOR to BOB: written on its console"));
        const std::string log = cpd.dir() + "/state/console/BOB.log";
        CHECK(wait_for_line(log, " * MSG FROM OPERATOR: while you were away"));
        ::kill(bob, SIGCONT);
    }

} // TEST_SUITE
