// SPDX-License-Identifier: MIT
// A guest that leaves (its own LOGOFF, FORCE by the operator, kill -9) has all
// its IUCV paths severed, pending ones included, and every peer is told; the
// registry is empty afterwards and the same userid can connect again.
#include "iucv_rig.hpp"

#include <csignal>

using namespace cpd::test;

TEST_SUITE("integration.iucv_logoff") {

    TEST_CASE("logoff, force and kill -9 of a peer each sever its paths with notification") {
        IucvRig rig("ALICE BOB CAROL");
        rig.establish("ALICE", "BOB", "1", first_in);
        rig.establish("CAROL", "BOB", "1", second_in);
        SUBCASE("the peer logs off") {
            rig.tell("BOB", "LOGOFF");
        }
        SUBCASE("the peer is forced") {
            CHECK(rig.op().cp("FORCE BOB").rc == cpd::proto::CpRc::ok);
        }
        SUBCASE("the peer is killed") {
            const pid_t pid = rig.cpd().guest_pid("BOB");
            REQUIRE(pid > 0);
            REQUIRE(::kill(pid, SIGKILL) == 0);
        }
        CHECK(rig.saw("ALICE", "SEVERED 1 BOB -"));
        CHECK(rig.saw("CAROL", "SEVERED 1 BOB -"));
        REQUIRE(
            wait_until([&] { return rig.cp("QUERY IUCV").find('\n') == std::string::npos; }, 5s));
        rig.tell("ALICE", "SEND 1 anyone");
        CHECK(rig.saw("ALICE", "SEND 1 rc=1 "));
        CHECK(rig.cp("QUERY STATS").find("IUCV PATHS 0 OPEN") != std::string::npos);
        // BOB can come back and be connected to again, under a fresh local id.
        CHECK(rig.op().cp("XAUTOLOG BOB").rc == cpd::proto::CpRc::ok);
        REQUIRE(wait_until([&] { return rig.count("BOB", "IPL BOB") == 2; }, 5s));
        rig.tell("ALICE", "CONNECT BOB");
        CHECK(rig.saw("ALICE", "COMPLETE 2 BOB"));
    }

    TEST_CASE("a pending connect to a guest that dies fails with rc 11") {
        IucvRig rig("ALICE BOB");
        // BOB takes the path's pending frame and is killed before cpd reads its answer:
        // stopping it first keeps the answer from ever being written.
        const pid_t pid = rig.cpd().guest_pid("BOB");
        REQUIRE(pid > 0);
        REQUIRE(::kill(pid, SIGSTOP) == 0);
        rig.tell("ALICE", "CONNECT BOB");
        REQUIRE(rig.saw("ALICE", "CONNECT BOB rc=0 path=1"));
        REQUIRE(wait_until(
            [&] { return rig.cp("QUERY IUCV").find("PENDING") != std::string::npos; }, 5s));
        REQUIRE(::kill(pid, SIGKILL) == 0);
        CHECK(rig.saw("ALICE", "FAILED 1 rc=11"));
        CHECK(rig.cp("QUERY IUCV").find("ALICE") == std::string::npos);
    }

    TEST_CASE("a guest that dies holding a pending connect is severed at the target") {
        IucvRig rig("ALICE BOB");
        const pid_t bob = rig.cpd().guest_pid("BOB");
        const pid_t alice = rig.cpd().guest_pid("ALICE");
        REQUIRE(bob > 0);
        REQUIRE(alice > 0);
        REQUIRE(::kill(bob, SIGSTOP) == 0); // BOB cannot answer yet
        rig.tell("ALICE", "CONNECT BOB");
        REQUIRE(wait_until(
            [&] { return rig.cp("QUERY IUCV").find("PENDING") != std::string::npos; }, 5s));
        REQUIRE(::kill(alice, SIGKILL) == 0);
        REQUIRE(wait_until([&] { return rig.cp("QUERY IUCV").find("ALICE") == std::string::npos; },
                           5s));
        REQUIRE(::kill(bob, SIGCONT) == 0);
        // BOB saw the pending path, accepted it, and is then told it is gone.
        CHECK(rig.saw("BOB", std::string("SEVERED ") + first_in + " ALICE"));
        CHECK_FALSE(rig.has("BOB", "COMPLETE"));
    }

    TEST_CASE("a notification for a full ring waits in order and arrives once the guest reads") {
        IucvRig rig("ALICE BOB", "ring_kib = 16");
        rig.establish("ALICE", "BOB", "1", first_in);
        const pid_t bob = rig.cpd().guest_pid("BOB");
        REQUIRE(::kill(bob, SIGSTOP) == 0);
        int sent = 0; // fill BOB's 16 KiB inbound ring with SMSGs until cpd drops them
        while (sent < 1000 &&
               rig.op().smsg("BOB", "FILLER " + std::string(200, 'f')).rc == cpd::proto::CpRc::ok) {
            ++sent;
        }
        REQUIRE(sent < 1000);
        while (sent < 2000 && rig.op().smsg("BOB", "F").rc == cpd::proto::CpRc::ok) {
            ++sent; // the smallest frame: now nothing of IUCV's fits either
        }
        REQUIRE(sent < 2000);
        rig.tell("ALICE", "QUIESCE 1 Q1");
        rig.tell("ALICE", "RESUME 1 R1"); // cancels Q1 while both wait: BOB hears neither
        rig.tell("ALICE", "QUIESCE 1 Q2");
        rig.tell("ALICE", "SEVER 1 GONE");
        REQUIRE(rig.saw("ALICE", "SEVER 1 rc=0"));
        REQUIRE(
            wait_until([&] { return rig.cp("QUERY IUCV").find('\n') == std::string::npos; }, 5s));
        CHECK(rig.cp("QUERY STATS").find("backlogged 3") != std::string::npos);
        REQUIRE(::kill(bob, SIGCONT) == 0);
        REQUIRE(rig.saw("BOB", std::string("SEVERED ") + first_in + " ALICE GONE"));
        const long quiesced = rig.line_of("BOB", "QUIESCED " + std::string(first_in) + " Q2");
        CHECK(quiesced >= 0);
        CHECK(quiesced < rig.line_of("BOB", "SEVERED"));
        CHECK_FALSE(rig.has("BOB", " Q1"));
        CHECK_FALSE(rig.has("BOB", " R1"));
    }

    TEST_CASE("a guest that asks CP for more than it reads is forced off, its peers told") {
        // Toggling a peer's path can no longer overflow its backlog (the
        // notifications collapse); what still can is the guest's own traffic:
        // answers to thousands of CP commands it never reads.
        IucvRig rig("ALICE BOB", "ring_kib = 16");
        rig.establish("ALICE", "BOB", "1", first_in);
        const pid_t alice = rig.cpd().guest_pid("ALICE");
        rig.tell("ALICE", "CPFLOOD 6000 QUERY STATS"); // ~700 bytes each: past 1 MiB
        CHECK(rig.cpd().wait_for_log("router: ALICE: forcing it off: not reading its ring", 15s));
        CHECK(wait_until([&] { return !process_exists(alice); }, 5s));
        // The spawn helper reaps ALICE, then tells cpd: a moment later, CP knows.
        CHECK(wait_until(
            [&] { return rig.op().cp("Q ALICE").rc == cpd::proto::CpRc::not_logged_on; }, 2s));
        CHECK(rig.saw("BOB", std::string("SEVERED ") + first_in + " ALICE")); // the peer is told
        CHECK(rig.cp("QUERY IUCV").find('\n') == std::string::npos);        // no path left
        CHECK(process_alive(rig.cpd().pid()));
    }

} // TEST_SUITE
