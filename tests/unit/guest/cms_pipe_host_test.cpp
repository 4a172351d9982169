// SPDX-License-Identifier: MIT
// The stages that reach outside the pipeline, driven through the
// RunningCommand that PIPE returns while it waits: cp (one CP command at a
// time, its response lines as records), command and cms (CMS commands, a
// nonzero rc ends the stage), starmsg (SMSGs as records until HX), console
// first (console lines until a null line), and stem, var and stack at the
// console (inside an EXEC: cms_rexx_wiring_test.cpp).
#include <doctest/doctest.h>

#include "cms_pipe_support.hpp"

#include "cpd/cms/running_command.hpp"

using namespace cms_test;

TEST_SUITE("guest.cms_pipe_host") {

    TEST_CASE("cp issues each record as a CP command and writes the response lines") {
        Machine m;
        auto r = pipe(m, "PIPE literal Q USERS | literal Q TIME | cp | console");
        REQUIRE(r.running);
        CHECK(r.cp_command == "Q TIME");
        CHECK(r.lines.empty());
        r = r.running->cp_answer(0, "TIME IS 10:00:00\nCONNECT= 00:01:00");
        REQUIRE(r.running);
        CHECK(r.cp_command == "Q USERS");
        CHECK(r.lines == Lines{"TIME IS 10:00:00", "CONNECT= 00:01:00"});
        r = r.running->cp_answer(0, "3 USERS");
        CHECK(r.running == nullptr);
        CHECK(r.rc == 0);
        CHECK(r.lines == Lines{"3 USERS"});
    }

    TEST_CASE("cp issues one command at a time, in order, and ignores CP's rc") {
        Machine m;
        put(m.a / "cmds.file", "Q A\nQ B\nQ C\n");
        auto r = pipe(m, "PIPE < CMDS FILE A | cp | count lines | console");
        REQUIRE(r.running);
        CHECK(r.cp_command == "Q A");
        r = r.running->cp_answer(0, "a");
        CHECK(r.cp_command == "Q B");
        r = r.running->cp_answer(1, "b1\nb2");
        CHECK(r.cp_command == "Q C");
        r = r.running->cp_answer(0, "");
        REQUIRE(r.running == nullptr);
        CHECK(r.lines == Lines{"3"});
        CHECK(pipe(m, "PIPE cp").rc == 127);
    }

    TEST_CASE("command runs CMS commands and writes their output") {
        Machine m;
        put(m.a / "x.text", "hello\n");
        CHECK(out(m, "PIPE literal TYPE X TEXT A | command | console") == Lines{"hello"});
        CHECK(out(m, "PIPE literal STATE X TEXT A | cms | locate /X/ | console") ==
              Lines{"X TEXT A1"});
        auto r =
            pipe(m, "PIPE literal TYPE X TEXT A | literal STATE NOPE TEXT A | command | console");
        CHECK(r.rc == 28); // the failing command's rc ends the stage
        CHECK(r.lines == Lines{"DMSSTT002E File NOPE TEXT A not found"});
    }

    TEST_CASE("command passes a CP command or an SMSG of a CMS command to CP") {
        Machine m;
        auto r = pipe(m, "PIPE literal CP QUERY TIME | command | console");
        REQUIRE(r.running);
        CHECK(r.cp_command == "QUERY TIME");
        r = r.running->cp_answer(0, "TIME IS 10:00");
        CHECK(r.running == nullptr);
        CHECK(r.lines == Lines{"TIME IS 10:00"});
        r = pipe(m, "PIPE literal SMSG BOB hi | command | console");
        REQUIRE(r.running);
        CHECK(r.cp_command == "SMSG BOB hi");
        r = r.running->cp_answer(45, "HCPMSG045E BOB not logged on");
        CHECK(r.rc == 45);
    }

    TEST_CASE("starmsg writes each SMSG as a record until HX") {
        Machine m;
        auto r = pipe(m, "PIPE starmsg | specs 9.8 1 17-* nw | console");
        REQUIRE(r.running);
        CHECK(r.running->wants_smsg());
        CHECK(!r.cp_command);
        r = r.running->smsg("ALICE", "hello there");
        REQUIRE(r.running);
        CHECK(r.lines == Lines{"ALICE    hello there"});
        r = r.running->smsg("BOB", "x");
        CHECK(r.lines == Lines{"BOB      x"});
        r = r.running->halt();
        CHECK(r.running == nullptr);
        CHECK(r.rc == 0);
        CHECK(r.lines == Lines{"CMS"});
        CHECK(out(m, "PIPE literal next | console") == Lines{"next"}); // the next command works
    }

    TEST_CASE("a starmsg service answers through cp") {
        Machine m;
        auto r = pipe(m, "PIPE starmsg | specs /SMSG/ 1 9.8 strip nw /got/ nw 17-* nw | cp");
        REQUIRE(r.running);
        r = r.running->smsg("ALICE", "ping");
        REQUIRE(r.running);
        CHECK(r.cp_command == "SMSG ALICE got ping");
        r = r.running->cp_answer(0, "");
        REQUIRE(r.running);
        CHECK(r.running->wants_smsg());
        CHECK(pipe(m, "PIPE literal x | starmsg").rc == 87);
        CHECK(pipe(m, "PIPE starmsg *bogus").rc == 111);
    }

    TEST_CASE("HX of a pipeline waiting for CP drops what sort holds and writes no file") {
        Machine m;
        auto r = pipe(m, "PIPE literal Q TIME | cp | sort | > OUT FILE A");
        REQUIRE(r.running);
        r = r.running->halt();
        CHECK(r.running == nullptr);
        CHECK(std::filesystem::is_empty(m.a)); // neither the file nor a temporary
    }

    TEST_CASE("console first reads console lines until a null line") {
        Machine m;
        auto r = pipe(m, "PIPE console | xlate | console");
        REQUIRE(r.running);
        CHECK(r.running->wants_console());
        r = r.running->console_line("abc");
        REQUIRE(r.running);
        CHECK(r.lines == Lines{"ABC"});
        r = r.running->console_line("");
        CHECK(r.running == nullptr);
        CHECK(r.rc == 0);
    }

    TEST_CASE("at the console stem and var refuse (no REXX variables), stack works") {
        Machine m;
        m.run("DESBUF");
        for (const char* stage : {"stem x.", "var x"}) {
            const auto r = pipe(m, std::string("PIPE literal a | ") + stage + " | console");
            CHECK(r.rc == 24);
            REQUIRE(!r.lines.empty());
            CHECK(has(r.lines[0], "needs REXX variables: run the pipeline from an EXEC"));
        }
        CHECK(pipe(m, "PIPE literal a | stem 1x").rc == 111);
        CHECK(pipe(m, "PIPE literal a | var").rc == 113);
        CHECK(pipe(m, "PIPE literal a | stack sideways").rc == 112);
        CHECK(pipe(m, "PIPE literal first | stack").rc == 0);
        CHECK(pipe(m, "PIPE literal second | stack").rc == 0);
        CHECK(pipe(m, "PIPE literal top | stack lifo").rc == 0);
        CHECK(m.run("SENTRIES").rc == 3);
        const auto r = pipe(m, "PIPE stack | console");
        CHECK(r.lines == Lines{"top", "first", "second"});
        CHECK(m.run("SENTRIES").rc == 0);
    }

} // TEST_SUITE
