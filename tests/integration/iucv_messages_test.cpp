// SPDX-License-Identifier: MIT
// IUCV messages through the real cpd with real guest processes: sends on
// pending, quiesced and severed paths fail (locally and, past the runtime's
// checks, in cpd) and are never delivered later; 65,535 bytes arrive intact and
// 65,536 are refused; sends from inside on_connection_complete; two-way sends
// with replies and MSGLIMIT; quiesce and resume; order of many messages.
#include "iucv_rig.hpp"

#include <string>

using namespace cpd::test;

namespace {
const std::string in1 = first_in;
} // namespace

TEST_SUITE("integration.iucv_messages") {

    TEST_CASE(
        "a send on a pending path fails with rc 9, in the runtime and in cpd, and never arrives") {
        IucvRig rig("ALICE BOB");
        rig.tell("ALICE", "CONNECT BOB 0 X early rawearly");
        REQUIRE(rig.saw("ALICE", "SEND 1 rc=9 msgid=0"));
        REQUIRE(rig.saw("ALICE", "RAWSEND 1 msgid=100001 queued"));
        CHECK(rig.saw("ALICE", "SENDFAILED 1 100001 rc=9"));
        REQUIRE(rig.saw("BOB", "COMPLETE " + in1 + " ALICE"));
        rig.tell("ALICE", "SEND 1 after");
        REQUIRE(rig.saw("BOB", "MSG " + in1 + " 1 1WAY 5 after"));
        IucvRig::settle();
        CHECK_FALSE(rig.has("BOB", "early"));
        CHECK(rig.count("BOB", "MSG ") == 1);
    }

    TEST_CASE(
        "quiesce stops the peer's sends with rc 2 until resume; nothing queued arrives later") {
        IucvRig rig("ALICE BOB");
        rig.establish("ALICE", "BOB", "1", in1);
        rig.tell("BOB", "QUIESCE " + in1 + " HOLD");
        REQUIRE(rig.saw("BOB", "QUIESCE " + in1 + " rc=0"));
        REQUIRE(rig.saw("ALICE", "QUIESCED 1 HOLD"));
        rig.tell("ALICE", "SEND 1 held-local");
        CHECK(rig.saw("ALICE", "SEND 1 rc=2 "));
        rig.tell("ALICE", "RAWSEND 1 held-raw");
        CHECK(rig.saw("ALICE", "SENDFAILED 1 100001 rc=2"));
        rig.tell("BOB", "SEND " + in1 + " the-other-way");
        CHECK(rig.saw("ALICE", "MSG 1 1 1WAY 13 the-other-way"));
        rig.tell("BOB", "RESUME " + in1 + " GO");
        REQUIRE(rig.saw("ALICE", "RESUMED 1 GO"));
        rig.tell("ALICE", "SEND 1 flowing");
        CHECK(rig.saw("BOB", "MSG " + in1 + " 1 1WAY 7 flowing"));
        IucvRig::settle();
        CHECK_FALSE(rig.has("BOB", "held"));
        CHECK(rig.cp("QUERY STATS").find("SEND FAILURES 1") != std::string::npos);
    }

    TEST_CASE("a send on a severed path fails with rc 1 and is not delivered") {
        IucvRig rig("ALICE BOB");
        rig.establish("ALICE", "BOB", "1", in1);
        rig.tell("BOB", "SEVER " + in1);
        REQUIRE(rig.saw("ALICE", "SEVERED 1 BOB"));
        rig.tell("ALICE", "SEND 1 too-late");
        CHECK(rig.saw("ALICE", "SEND 1 rc=1 "));
        rig.tell("ALICE", "RAWSEND 1 too-late-raw");
        REQUIRE(rig.saw("ALICE", "RAWSEND 1 msgid=100001 queued"));
        REQUIRE(wait_until(
            [&] { return rig.cp("QUERY STATS").find("SEND FAILURES 1") != std::string::npos; },
            5s));
        IucvRig::settle();
        CHECK_FALSE(rig.has("BOB", "too-late"));
    }

    TEST_CASE("65,535 bytes arrive intact and 65,536 are refused with rc 10") {
        IucvRig rig("ALICE BOB");
        rig.establish("ALICE", "BOB", "1", in1);
        rig.tell("ALICE", "SENDLEN 1 65535");
        CHECK(rig.saw("ALICE", "SENDLEN 1 65535 rc=0"));
        CHECK(rig.saw("BOB", "MSG " + in1 + " 1 1WAY 65535 PATTERN-OK"));
        rig.tell("ALICE", "SENDLEN 1 65536");
        CHECK(rig.saw("ALICE", "SENDLEN 1 65536 rc=10"));
        rig.tell("ALICE", "SENDLEN 1 65535 2");
        CHECK(rig.saw("ALICE", "GOTREPLY 1 2 RE:PATTERN-OK"));
        IucvRig::settle();
        CHECK_FALSE(rig.has("BOB", "65536"));
        CHECK(rig.cp("QUERY STATS").find("IUCV MESSAGES 3, BYTES 131083") != std::string::npos);
    }

    TEST_CASE("both ends may send from inside on_connection_complete") {
        IucvRig rig("ALICE BOB");
        rig.tell("ALICE", "ONCOMPLETE hi-from-alice");
        rig.tell("BOB", "ONCOMPLETE hi-from-bob");
        rig.tell("ALICE", "CONNECT BOB");
        CHECK(rig.saw("ALICE", "SEND 1 rc=0 msgid=1"));
        CHECK(rig.saw("BOB", "SEND " + in1 + " rc=0 msgid=1"));
        CHECK(rig.saw("BOB", "MSG " + in1 + " 1 1WAY 13 hi-from-alice"));
        CHECK(rig.saw("ALICE", "MSG 1 1 1WAY 11 hi-from-bob"));
        CHECK(rig.line_of("ALICE", "COMPLETE") < rig.line_of("ALICE", "MSG"));
    }

    TEST_CASE("a two-way send gets its reply") {
        IucvRig rig("ALICE BOB");
        rig.establish("ALICE", "BOB", "1", in1);
        rig.tell("ALICE", "SEND2 1 ping");
        CHECK(rig.saw("BOB", "MSG " + in1 + " 1 2WAY 4 ping"));
        CHECK(rig.saw("BOB", "REPLY " + in1 + " 1 rc=0"));
        CHECK(rig.saw("ALICE", "GOTREPLY 1 1 RE:ping"));
        rig.tell("BOB", "REPLY " + in1 + " 1 twice");
        CHECK(rig.saw("BOB", "REPLY " + in1 + " 1 rc=1"));
        CHECK(rig.cp("QUERY STATS").find("REPLIES 1,") != std::string::npos);
    }

    TEST_CASE("msglimit bounds the outstanding two-way messages with rc 3") {
        IucvRig rig("ALICE BOB");
        rig.tell("BOB", "AUTOREPLY OFF");
        rig.establish("ALICE", "BOB", "1", in1, " 2");
        rig.tell("ALICE", "SEND2 1 first");
        rig.tell("ALICE", "SEND2 1 second");
        rig.tell("ALICE", "SEND2 1 third");
        CHECK(rig.saw("ALICE", "SEND 1 rc=0 msgid=2"));
        CHECK(rig.saw("ALICE", "SEND 1 rc=3 msgid=0"));
        rig.tell("ALICE", "RAWSEND2 1 fourth");
        CHECK(rig.saw("ALICE", "SENDFAILED 1 100001 rc=3"));
        REQUIRE(rig.saw("BOB", "MSG " + in1 + " 2 2WAY 6 second"));
        CHECK(rig.cp("QUERY IUCV").find("ESTABLISHED      2      2") != std::string::npos);
        rig.tell("BOB", "REPLY " + in1 + " 1 answer");
        REQUIRE(rig.saw("ALICE", "GOTREPLY 1 1 answer"));
        rig.tell("ALICE", "SEND2 1 fifth");
        CHECK(rig.saw("BOB", "MSG " + in1 + " 3 2WAY 5 fifth"));
        IucvRig::settle();
        CHECK_FALSE(rig.has("BOB", "third"));
        CHECK_FALSE(rig.has("BOB", "fourth"));
    }

    TEST_CASE("many messages on one path arrive once each and in order") {
        constexpr int n = 3000;
        IucvRig rig("ALICE BOB");
        rig.establish("ALICE", "BOB", "1", in1);
        rig.tell("ALICE", "SENDMANY 1 " + std::to_string(n));
        REQUIRE(rig.saw("ALICE", "SENDMANY 1 done " + std::to_string(n), 20s));
        REQUIRE(rig.saw("BOB", "seq " + std::to_string(n - 1), 20s));
        int expect = 0;
        bool in_order = true;
        for (const std::string& line : read_lines(rig.file("BOB"))) {
            const auto at = line.find(" seq ");
            if (line.rfind("MSG ", 0) == 0 && at != std::string::npos) {
                in_order = in_order && line.substr(at + 5) == std::to_string(expect);
                ++expect;
            }
        }
        CHECK(in_order);
        CHECK(expect == n);
        CHECK_FALSE(rig.has("ALICE", "SENDFAILED"));
    }

} // TEST_SUITE
