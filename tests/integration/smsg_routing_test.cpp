// SPDX-License-Identifier: MIT
// SMSG through the real cpd: guest to guest, client to guest, the 236-byte
// limit, 045E / 057I refusals, and that the sender is always the one cpd
// stamped from the ring or the socket's credentials.
#include "test_directory.hpp"

#include <doctest/doctest.h>

#include <algorithm>

using namespace cpd::test;
using cpd::proto::CpRc;

namespace {

/// Number of lines of `path` equal to `line`.
std::size_t count_lines(const std::string& path, const std::string& line) {
    auto lines = read_lines(path);
    return static_cast<std::size_t>(std::count(lines.begin(), lines.end(), line));
}

} // namespace

TEST_SUITE("integration.smsg") {

TEST_CASE("an smsg from one guest reaches the other once with the exact sender and text") {
    CpdHarness cpd(test_config("ALICE BOB"));
    REQUIRE(cpd.start());
    REQUIRE(wait_for_line(cpd.out_file("alice"), "IPL ALICE"));
    REQUIRE(wait_for_line(cpd.out_file("bob"), "IPL BOB"));
    Client op = cpd.connect();
    CHECK(op.smsg("ALICE", "!SEND BOB hello  there, bob").rc == CpRc::ok);
    REQUIRE(wait_for_line(cpd.out_file("bob"), "SMSG ALICE hello  there, bob"));
    // A second SMSG on the same way, ALICE's ring to BOB's, arrives after
    // anything the first one could have left behind: a duplicate included.
    CHECK(op.smsg("ALICE", "!SEND BOB marker").rc == CpRc::ok);
    REQUIRE(wait_for_line(cpd.out_file("bob"), "SMSG ALICE marker"));
    CHECK(count_lines(cpd.out_file("bob"), "SMSG ALICE hello  there, bob") == 1);
    CHECK(count_lines(cpd.out_file("alice"), "SENT ok") == 2);
}

TEST_CASE("a guest cannot forge its sender: the receiver sees the ring's owner") {
    CpdHarness cpd(test_config("ALICE BOB"));
    REQUIRE(cpd.start());
    REQUIRE(wait_for_line(cpd.out_file("bob"), "IPL BOB"));
    Client op = cpd.connect();
    // ALICE claims to be ECHO in every way a guest can: only the text is hers to choose.
    CHECK(op.smsg("ALICE", "!SEND BOB ECHO: I am ECHO").rc == CpRc::ok);
    REQUIRE(wait_for_line(cpd.out_file("bob"), "SMSG ALICE ECHO: I am ECHO"));
    CHECK(read_file(cpd.out_file("bob")).find("SMSG ECHO") == std::string::npos);
    // A client acts as the userid its credentials map to (root -> OPERATOR).
    CHECK(op.smsg("BOB", "from somebody else").rc == CpRc::ok);
    CHECK(wait_for_line(cpd.out_file("bob"), "SMSG OPERATOR from somebody else"));
}

TEST_CASE("236 bytes of text are delivered and 237 are refused") {
    CpdHarness cpd(test_config("ALICE BOB"));
    REQUIRE(cpd.start());
    REQUIRE(wait_for_line(cpd.out_file("bob"), "IPL BOB"));
    Client op = cpd.connect();
    SUBCASE("from a guest") {
        op.smsg("ALICE", "!SENDLEN BOB 236");
        op.smsg("ALICE", "!SENDLEN BOB 237");
        REQUIRE(wait_for_line(cpd.out_file("alice"), "SENT 237"));
        CHECK(wait_for_line(cpd.out_file("bob"), "SMSG ALICE " + std::string(236, 'x')));
        CHECK(read_file(cpd.out_file("alice")).find("SENT 236 ok") != std::string::npos);
        CHECK(read_file(cpd.out_file("alice")).find("SENT 237 text too long") !=
              std::string::npos);
        CHECK(read_file(cpd.out_file("bob")).find(std::string(237, 'x')) == std::string::npos);
    }
    SUBCASE("from a client") {
        CHECK(op.smsg("BOB", std::string(236, 'y')).rc == CpRc::ok);
        Reply r = op.smsg("BOB", std::string(237, 'z'));
        CHECK(r.rc == CpRc::invalid_operand);
        CHECK(op.smsg("BOB", "still connected").rc == CpRc::ok);
        CHECK(wait_for_line(cpd.out_file("bob"), "SMSG OPERATOR " + std::string(236, 'y')));
        CHECK(read_file(cpd.out_file("bob")).find(std::string(237, 'z')) == std::string::npos);
    }
}

TEST_CASE("unknown and logged-off targets are answered with 045E") {
    CpdHarness cpd(test_config("ALICE"));
    REQUIRE(cpd.start());
    REQUIRE(wait_for_line(cpd.out_file("alice"), "IPL ALICE"));
    Client op = cpd.connect();
    SUBCASE("to a guest, as a CP message") {
        op.smsg("ALICE", "!SEND NOSUCH hi");
        op.smsg("ALICE", "!SEND BOB hi");
        CHECK(wait_for_line(cpd.out_file("alice"), "MESSAGE EMSG SYSTEM HCPMSG045E NOSUCH not logged on"));
        CHECK(wait_for_line(cpd.out_file("alice"), "MESSAGE EMSG SYSTEM HCPMSG045E BOB not logged on"));
    }
    SUBCASE("to a client, as the reply") {
        Reply r = op.smsg("NOSUCH", "hi");
        CHECK(r.rc == CpRc::not_logged_on);
        CHECK(r.text == "HCPMSG045E NOSUCH not logged on");
        CHECK(op.smsg("BOB", "hi").rc == CpRc::not_logged_on);
    }
}

TEST_CASE("a target with smsg off is answered with 057I") {
    CpdHarness cpd(test_config("ALICE BOB"));
    REQUIRE(cpd.start());
    REQUIRE(wait_for_line(cpd.out_file("bob"), "IPL BOB"));
    Client op = cpd.connect();
    op.smsg("BOB", "!SMSGOFF");
    REQUIRE(wait_until([&] { return op.smsg("BOB", "ping").rc == CpRc::not_receiving; }, 2s));
    Reply r = op.smsg("BOB", "ping");
    CHECK(r.text == "HCPMSG057I BOB not receiving; SMSG off");
    op.smsg("ALICE", "!SEND BOB are you there");
    CHECK(wait_for_line(cpd.out_file("alice"), "MESSAGE EMSG SYSTEM HCPMSG057I BOB not receiving; SMSG off"));
}

TEST_CASE("echo answers through a listening client") {
    CpdHarness cpd(test_config("ECHO"));
    REQUIRE(cpd.start());
    Client op = cpd.connect();
    REQUIRE(op.listen().rc == CpRc::ok);
    REQUIRE(op.send(cpd::proto::ClientSmsgSend{*cpd::proto::Userid::parse("ECHO"), "hi"}));
    Reply first = op.read();
    Reply second = first.is_event() ? op.read() : op.read();
    Reply event = first.is_event() ? first : second;
    CHECK(event.is_event());
    CHECK(event.from == "ECHO");
    CHECK(event.text == "ECHO: hi");
}

TEST_CASE("a guest's cp command is run as that guest") {
    CpdHarness cpd(test_config("ALICE ECHO"));
    REQUIRE(cpd.start());
    REQUIRE(wait_for_line(cpd.out_file("alice"), "IPL ALICE"));
    Client op = cpd.connect();
    op.smsg("ALICE", "!CP Q N");
    CHECK(wait_for_line(cpd.out_file("alice"), "CPRESP 0 ALICE    - DSC , ECHO     - DSC"));
    op.smsg("ALICE", "!CP FORCE ECHO");
    CHECK(wait_for_line(cpd.out_file("alice"), "CPRESP 2 HCPCMD002E Command FORCE not authorized"));
    op.smsg("ALICE", "!CP SM ECHO hello");
    CHECK(wait_for_line(cpd.out_file("alice"), "SMSG ECHO ECHO: hello"));
}

} // TEST_SUITE
