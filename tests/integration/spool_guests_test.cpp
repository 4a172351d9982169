// SPDX-License-Identifier: MIT
// The spool as guests see it, through the real cpd and PROBE guests: SET IMSG
// OFF hides the arrival message while the file and on_reader_file still come;
// QUERY VIRTUAL PUN shows the live SPOOL settings and the open file; a guest
// punching a large file is metered per turn (logged) while another pair's
// SMSG still gets through, and nothing punched is lost; SET EMSG shapes CP's
// error messages in a guest's command responses; SET LOGMSG survives a restart.
#include "test_directory.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <sstream>
#include <thread>

using namespace cpd::test;
using cpd::proto::CpRc;

namespace {

/// How often `needle` occurs in `text`.
std::size_t count_of(const std::string& text, const std::string& needle) {
    std::size_t n = 0;
    for (std::size_t pos = text.find(needle); pos != std::string::npos;
         pos = text.find(needle, pos + needle.size())) {
        ++n;
    }
    return n;
}

/// The text of the last line of `path` that starts with `prefix`, after it.
std::string last_line(const std::string& path, const std::string& prefix) {
    std::string found;
    for (const std::string& line : read_lines(path)) {
        if (line.starts_with(prefix)) {
            found = line.substr(prefix.size());
        }
    }
    return found;
}

/// Starts cpd again on the same state directory; retried while the last
/// run's guardian still holds the guest uid range.
bool restart(CpdHarness& cpd) {
    for (int i = 0; i < 50; ++i) {
        if (cpd.start()) {
            return true;
        }
        cpd.wait_exit(1s);
        if (cpd.log().find("in use by another cpd") == std::string::npos) {
            return false;
        }
        std::this_thread::sleep_for(100ms);
    }
    return false;
}

} // namespace

TEST_SUITE("integration.spool_guests") {

    TEST_CASE("set imsg off hides the arrival message; the file and on_reader_file still come") {
        CpdHarness cpd(test_config("ALICE BOB"));
        REQUIRE(cpd.start());
        REQUIRE(wait_for_line(cpd.out_file("alice"), "IPL ALICE"));
        REQUIRE(wait_for_line(cpd.out_file("bob"), "IPL BOB"));
        Client op = cpd.connect();
        const std::string bob = cpd.out_file("bob");
        CHECK(op.smsg("ALICE", "!PUNCH BOB 2").rc == CpRc::ok);
        REQUIRE(wait_for_line(bob, "RDRFILE "));
        REQUIRE(wait_for_line(bob, "CPMSG RDR FILE "));
        CHECK(count_of(read_file(bob), "CPMSG RDR FILE ") == 1);

        CHECK(op.smsg("BOB", "!CP SET IMSG OFF").rc == CpRc::ok);
        REQUIRE(wait_for_line(bob, "CPRESP 0"));
        CHECK(op.smsg("ALICE", "!PUNCH BOB 3").rc == CpRc::ok);
        REQUIRE(wait_until([&] { return count_of(read_file(bob), "RDRFILE ") == 2; }, 5s));
        CHECK(last_line(bob, "RDRFILE ").ends_with(" ALICE 3"));
        CHECK(cpd.wait_for_log("arrival message of reader file"));
        CHECK(cpd.wait_for_log("not shown: IMSG OFF"));
        CHECK(count_of(read_file(bob), "CPMSG RDR FILE ") == 1);
        const std::string q = op.cp("Q RDR BOB ALL").text;
        CHECK(count_of(q, "\nBOB ") == 2); // both files are in BOB's reader
    }

    TEST_CASE("query virtual pun shows the spool settings and the open file") {
        CpdHarness cpd(test_config("ALICE BOB"));
        REQUIRE(cpd.start());
        REQUIRE(wait_for_line(cpd.out_file("alice"), "IPL ALICE"));
        Client op = cpd.connect(); // OPERATOR's units exist though it is not logged on
        CHECK(op.cp("Q V PUN").text ==
              "PUN  000D CL A NOCONT NOHOLD COPY 001    READY FORM STANDARD\n"
              "     000D TO SYSTEM   PUN DIST OFF      DEST OFF\n"
              "     000D FLASH        000 CHAR       MDFY         0 FCB\n"
              "     000D 2540 NOEOF CLOSED NOKEEP NOMSG NONAME\n"
              "     000D SUBCHANNEL = 000D");
        CHECK(op.cp("SPOOL PUN TO BOB CLASS X CONT COPY 3 FORM MEMO DIST D42 DEST LAB2 NAME A B")
                  .rc == CpRc::ok);
        CHECK(op.cp("Q V PUN").text == "PUN  000D CL X   CONT NOHOLD COPY 003    READY FORM MEMO\n"
                                       "     000D TO BOB      RDR DIST D42      DEST LAB2\n"
                                       "     000D FLASH        000 CHAR       MDFY         0 FCB\n"
                                       "     000D 2540 NOEOF CLOSED NOKEEP NOMSG NAME A B\n"
                                       "     000D SUBCHANNEL = 000D");
        CHECK(op.cp("SPOOL RDR CLASS C HOLD").rc == CpRc::ok);
        const std::string all = op.cp("Q V ALL").text;
        CHECK(all.find("\nRDR  000C CL C NOCONT   HOLD EOF    READY\n") != std::string::npos);
        CHECK(all.find("\nPRT  000E CL A NOCONT NOHOLD COPY 001    READY FORM STANDARD\n") !=
              std::string::npos);

        // ALICE's punch spooled CONT: CLOSE is ignored, so her file stays open.
        const std::string alice = cpd.out_file("alice");
        CHECK(op.smsg("ALICE", "!CP SPOOL PUN TO BOB CLASS X CONT").rc == CpRc::ok);
        CHECK(op.smsg("ALICE", "!PUNCH BOB 5").rc == CpRc::ok);
        REQUIRE(wait_for_line(alice, "PUNCHED 5"));
        CHECK(op.smsg("ALICE", "!CP Q V PUN").rc == CpRc::ok);
        REQUIRE(wait_for_line(alice, "CPRESP 0 PUN  000D"));
        const std::string shown = last_line(alice, "CPRESP 0 PUN  000D");
        CHECK(shown.starts_with(" CL X   CONT NOHOLD COPY 001"));
        CHECK(shown.find("|     000D TO BOB      RDR ") != std::string::npos);
        CHECK(shown.find("|     000D 2540 NOEOF OPEN ") != std::string::npos);
        CHECK(shown.find(" NOKEEP NOMSG NONAME|") != std::string::npos);
        CHECK(op.cp("Q RDR BOB ALL").text == "NO RDR FILES");
    }

    TEST_CASE("a large punch is metered per turn while another guest's smsg gets through") {
        CpdHarness cpd(test_config("ALICE BOB CAROL"));
        REQUIRE(cpd.start());
        for (const char* g : {"alice", "bob", "carol"}) {
            REQUIRE(wait_for_line(cpd.out_file(g), "IPL "));
        }
        Client op = cpd.connect();
        const std::string alice = cpd.out_file("alice");
        // Up to 256 MiB: ALICE punches until the test stops her.
        CHECK(op.smsg("ALICE", "!PUNCH BOB 262144").rc == CpRc::ok);
        REQUIRE(cpd.wait_for_log("ALICE: throttled: spool writes over 256 KiB in one turn", 20s));
        // CAROL -> BOB while ALICE's ring is full of punch data.
        CHECK(op.smsg("CAROL", "!SEND BOB ping while punching").rc == CpRc::ok);
        REQUIRE(wait_for_line(cpd.out_file("bob"), "SMSG CAROL ping while punching"));
        CHECK(read_file(alice).find("PUNCHED") == std::string::npos); // the punch goes on
        CHECK(op.smsg("ALICE", "!STOPPUNCH").rc == CpRc::ok);
        REQUIRE(wait_for_line(alice, "PUNCHED "));
        REQUIRE(wait_for_line(alice, "CPRESP 0 PUN FILE", 30s));
        // Nothing was lost: every record ALICE's punch took is in BOB's reader.
        const unsigned long punched = std::stoul(last_line(alice, "PUNCHED "));
        CHECK(punched > 256); // more than one turn's worth
        const std::string q = op.cp("Q RDR BOB ALL").text;
        const std::size_t line = q.find("\nBOB ");
        REQUIRE(line != std::string::npos);
        CHECK(std::stoul(q.substr(line + 21, 8)) == punched);
    }

    TEST_CASE("set emsg shapes the error messages in a guest's cp responses") {
        CpdHarness cpd(test_config("BOB"));
        REQUIRE(cpd.start());
        const std::string bob = cpd.out_file("bob");
        REQUIRE(wait_for_line(bob, "IPL BOB"));
        Client op = cpd.connect();
        auto ask = [&](const std::string& command) { // the CPRESP line the command gets
            const std::size_t before = count_of(read_file(bob), "CPRESP ");
            REQUIRE(op.smsg("BOB", "!CP " + command).rc == CpRc::ok);
            REQUIRE(wait_until([&] { return count_of(read_file(bob), "CPRESP ") > before; }, 5s));
            return last_line(bob, "CPRESP ");
        };
        const std::string on = ask("QUERY BOGUS");
        REQUIRE(on.find(" HCP") != std::string::npos);
        const std::string rc = on.substr(0, on.find(' '));
        const std::string message = on.substr(on.find(' ') + 1); // "HCPxxxnnnE text"
        const std::string id = message.substr(0, message.find(' '));
        CHECK(id.back() == 'E');
        CHECK(ask("SET EMSG CODE") == "0 ");
        CHECK(ask("QUERY BOGUS") == rc + " " + id);
        CHECK(ask("SET EMSG TEXT") == "0 ");
        CHECK(ask("QUERY BOGUS") == rc + " " + message.substr(id.size() + 1));
        CHECK(ask("SET EMSG OFF") == "0 ");
        CHECK(ask("QUERY BOGUS") == rc + " "); // the rc still tells the program
        CHECK(ask("QUERY SET").find("EMSG OFF") != std::string::npos); // no error: shown whole
        CHECK(ask("SET EMSG ON") == "0 ");
        CHECK(ask("QUERY BOGUS") == on);
    }

    TEST_CASE("set logmsg survives a restart of cpd") {
        HarnessConfig config = test_config("");
        CpdHarness cpd(config);
        REQUIRE(cpd.start());
        {
            Client op = cpd.connect();
            CHECK(op.cp("SET LOGMSG 1 System maintenance tonight").rc == CpRc::ok);
            CHECK(op.cp("SET LOGMSG 3 third line").rc == CpRc::ok);
            CHECK(op.cp("Q LOGMSG").text == "* System maintenance tonight\n* \n* third line");
        }
        CHECK(read_file(cpd.dir() + "/state/logmsg") ==
              "System maintenance tonight\n\nthird line\n");
        REQUIRE(cpd.stop() != -1);
        REQUIRE(restart(cpd));
        {
            Client op = cpd.connect();
            CHECK(op.cp("Q LOGMSG").text == "* System maintenance tonight\n* \n* third line");
            CHECK(op.cp("SET LOGMSG OFF").rc == CpRc::ok);
        }
        REQUIRE(cpd.stop() != -1);
        REQUIRE(restart(cpd));
        Client op = cpd.connect();
        CHECK(op.cp("Q LOGMSG").text == "There is no logmsg data");
    }
}
