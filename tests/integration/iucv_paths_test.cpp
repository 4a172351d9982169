// SPDX-License-Identifier: MIT
// IUCV path lifecycle through the real cpd with real guest processes: CONNECT
// accepted and refused, the failures the directory decides (11, 15, 13, 14),
// self-connection, two paths between one pair, SEVER by either end and twice,
// and what QUERY IUCV / QUERY STATS show.
#include "iucv_rig.hpp"

using namespace cpd::test;

TEST_SUITE("integration.iucv_paths") {

    TEST_CASE("an accepted connect completes on both ends after the target saw it pending") {
        IucvRig rig("ALICE BOB");
        rig.tell("ALICE", "CONNECT BOB 0 HELLO");
        REQUIRE(rig.saw("ALICE", "CONNECT BOB rc=0 path=1"));
        REQUIRE(rig.saw("ALICE", "COMPLETE 1 BOB -"));
        REQUIRE(rig.saw("BOB", std::string("COMPLETE ") + first_in + " ALICE HELLO"));
        const long pending =
            rig.line_of("BOB", std::string("PENDING ") + first_in + " ALICE HELLO ACCEPTED");
        const long complete = rig.line_of("BOB", "COMPLETE ");
        CHECK(pending > 0);
        CHECK(pending < complete);
        CHECK(rig.count("ALICE", "COMPLETE") == 1);
        CHECK(rig.count("BOB", "COMPLETE") == 1);
        const std::string q = rig.cp("QUERY IUCV");
        CHECK(q.find("ALICE             1 BOB      4294967295 ESTABLISHED") != std::string::npos);
    }

    TEST_CASE("a refused connect fails with rc 17 and leaves no path") {
        IucvRig rig("ALICE BOB");
        rig.tell("BOB", "REFUSE ON");
        rig.tell("ALICE", "CONNECT BOB");
        REQUIRE(rig.saw("ALICE", "FAILED 1 rc=17"));
        CHECK(rig.has("BOB", "REFUSED"));
        CHECK_FALSE(rig.has("BOB", "COMPLETE"));
        CHECK(rig.cp("QUERY IUCV").find("ALICE") == std::string::npos);
        rig.tell("ALICE", "SEND 1 anybody there");
        CHECK(rig.saw("ALICE", "SEND 1 rc=1 "));
        CHECK(rig.cp("QUERY STATS").find("REFUSED 1") != std::string::npos);
    }

    TEST_CASE("connects cpd refuses: not logged on 11, not authorized 15, maxconn 13 and 14") {
        IucvRig rig("ALICE BOB CAROL DAVE EVE");
        SUBCASE("unknown userid and a directory user not logged on give 11") {
            rig.tell("ALICE", "CONNECT NOBODY");
            rig.tell("ALICE", "CONNECT FRANK");
            CHECK(rig.saw("ALICE", "FAILED 1 rc=11"));
            CHECK(rig.saw("ALICE", "FAILED 2 rc=11"));
            CHECK(rig.cp("QUERY STATS").find("CONNECTS 0, COMPLETED 0, REFUSED 0, FAILED 2,") !=
                  std::string::npos);
        }
        SUBCASE("an invalid userid is refused at once") {
            rig.tell("ALICE", "CONNECT TOOLONGNAME");
            CHECK(rig.saw("ALICE", "CONNECT TOOLONGNAME rc=24 path=0"));
        }
        SUBCASE("no IUCV statement on either side gives 15; the target's ALLOW suffices") {
            rig.tell("CAROL", "CONNECT ALICE");
            CHECK(rig.saw("CAROL", "FAILED 1 rc=15"));
            CHECK_FALSE(rig.has("ALICE", "PENDING"));
            rig.tell("CAROL", "CONNECT BOB");
            CHECK(rig.saw("CAROL", "COMPLETE 2 BOB"));
        }
        SUBCASE("a source at its MAXCONN gets 13") {
            rig.tell("EVE", "CONNECT BOB");
            REQUIRE(rig.saw("EVE", "COMPLETE 1 BOB"));
            rig.tell("EVE", "CONNECT BOB");
            CHECK(rig.saw("EVE", "FAILED 2 rc=13"));
            CHECK(rig.count("BOB", "PENDING") == 1);
        }
        SUBCASE("a target at its MAXCONN gets 14") {
            rig.tell("ALICE", "CONNECT DAVE");
            REQUIRE(rig.saw("DAVE", "COMPLETE"));
            rig.tell("CAROL", "CONNECT DAVE");
            CHECK(rig.saw("CAROL", "FAILED 1 rc=14"));
            CHECK(rig.count("DAVE", "PENDING") == 1);
        }
    }

    TEST_CASE(
        "a guest may connect to itself: two local ids, both complete, sever tells the other") {
        IucvRig rig("ALICE");
        rig.tell("ALICE", "CONNECT ALICE 0 MIRROR");
        REQUIRE(rig.saw("ALICE", std::string("PENDING ") + first_in + " ALICE MIRROR"));
        REQUIRE(rig.saw("ALICE", "COMPLETE 1 ALICE"));
        REQUIRE(rig.saw("ALICE", std::string("COMPLETE ") + first_in + " ALICE MIRROR"));
        rig.tell("ALICE", "SEND 1 to myself");
        CHECK(rig.saw("ALICE", std::string("MSG ") + first_in + " 1 1WAY 9 to myself"));
        rig.tell("ALICE", std::string("SEND ") + first_in + " and back");
        CHECK(rig.saw("ALICE", "MSG 1 2 1WAY 8 and back"));
        rig.tell("ALICE", "SEVER 1 BYE");
        CHECK(rig.saw("ALICE", std::string("SEVERED ") + first_in + " ALICE BYE"));
        CHECK_FALSE(rig.has("ALICE", "SEVERED 1 "));
    }

    TEST_CASE("two paths between one pair are independent") {
        IucvRig rig("ALICE BOB");
        rig.establish("ALICE", "BOB", "1", first_in);
        rig.establish("ALICE", "BOB", "2", second_in);
        rig.tell("ALICE", "SEND 1 on-one");
        rig.tell("ALICE", "SEND 2 on-two");
        CHECK(rig.saw("BOB", std::string("MSG ") + first_in + " 1 1WAY 6 on-one"));
        CHECK(rig.saw("BOB", std::string("MSG ") + second_in + " 2 1WAY 6 on-two"));
        rig.tell("ALICE", "SEVER 1");
        REQUIRE(rig.saw("BOB", std::string("SEVERED ") + first_in + " ALICE"));
        rig.tell("BOB", std::string("SEND ") + second_in + " still-here");
        CHECK(rig.saw("ALICE", "MSG 2 1 1WAY 10 still-here"));
    }

    TEST_CASE("sever by either end tells only the peer, and a second sever fails") {
        IucvRig rig("ALICE BOB");
        rig.establish("ALICE", "BOB", "1", first_in);
        rig.establish("ALICE", "BOB", "2", second_in);
        SUBCASE("the source severs") {
            rig.tell("ALICE", "SEVER 1 GOODBYE");
            CHECK(rig.saw("ALICE", "SEVER 1 rc=0"));
            CHECK(rig.saw("BOB", std::string("SEVERED ") + first_in + " ALICE GOODBYE"));
            rig.tell("ALICE", "SEVER 1");
            CHECK(rig.saw("ALICE", "SEVER 1 rc=1"));
        }
        SUBCASE("the target severs") {
            rig.tell("BOB", std::string("SEVER ") + second_in + " LATER");
            CHECK(rig.saw("BOB", std::string("SEVER ") + second_in + " rc=0"));
            CHECK(rig.saw("ALICE", "SEVERED 2 BOB LATER"));
            rig.tell("BOB", std::string("SEVER ") + second_in);
            CHECK(rig.saw("BOB", std::string("SEVER ") + second_in + " rc=1"));
        }
        IucvRig::settle();
        CHECK(rig.count("ALICE", "SEVERED") + rig.count("BOB", "SEVERED") == 1);
        CHECK(rig.cp("QUERY STATS").find("SEVERED 1") != std::string::npos);
    }

    TEST_CASE("query iucv lists each path with both ends, state and counts; query stats counts") {
        IucvRig rig("ALICE BOB CAROL");
        rig.establish("ALICE", "BOB", "1", first_in, " 5");
        rig.tell("ALICE", "SEND 1 12345");
        rig.tell("ALICE", "SEND 1 6789");
        REQUIRE(rig.saw("BOB", "MSG 4294967295 2 1WAY 4 6789"));
        rig.tell("BOB", std::string("QUIESCE ") + first_in);
        REQUIRE(rig.saw("ALICE", "QUIESCED 1"));
        std::string q = rig.cp("QUERY IUCV");
        CHECK(q.find("PATH     SOURCE        SPATH TARGET        TPATH STATE") == 0);
        CHECK(q.find("1        ALICE             1 BOB      4294967295 QUIESCED         5      0"
                     "          2              9          0              0") != std::string::npos);
        rig.tell("CAROL", "CONNECT BOB");
        REQUIRE(rig.saw("CAROL", "COMPLETE 1 BOB"));
        q = rig.cp("QUERY PATHS");
        CHECK(q.find("CAROL") != std::string::npos);
        CHECK(q.find("ALICE") != std::string::npos);
        q = rig.cp("QUERY IUCV CAROL");
        CHECK(q.find("CAROL") != std::string::npos);
        CHECK(q.find("ALICE") == std::string::npos);
        const std::string stats = rig.cp("QUERY STATS");
        CHECK(stats.find("IUCV PATHS 2 OPEN, 0 PENDING; CONNECTS 2, COMPLETED 2") !=
              std::string::npos);
        CHECK(stats.find("IUCV MESSAGES 2, BYTES 9") != std::string::npos);
        CHECK(rig.op().cp("QUERY IUCV ???").rc == cpd::proto::CpRc::invalid_userid);
    }

} // TEST_SUITE
