// SPDX-License-Identifier: MIT
// Processor tests of the commands whose work is a side effect or a text:
// SMSG, TELL, CP, LOGOFF, HELP, EXEC and the implicit EXEC search, the
// unknown-command answer, and empty lines.
#include "cms_test_support.hpp"

#include "cpd/proto/version.hpp"

#include <doctest/doctest.h>

using namespace cms_test;

TEST_SUITE("guest.cms.commands") {

    TEST_CASE("tell passes CP MSG with the text as typed") {
        Machine m;
        for (const char* verb : {"TELL", "tell"}) {
            CAPTURE(verb);
            auto r = m.run(std::string(verb) + " oper  Hello,   World!  ");
            CHECK(r.rc == 0);
            CHECK(r.lines.empty());
            CHECK_FALSE(r.smsg);
            REQUIRE(r.cp_command);
            CHECK(*r.cp_command == "MSG OPER Hello,   World!");
        }
        CHECK(m.run("TELL OPER").rc == 24);
        CHECK(m.run("TELL OPER " + std::string(cpd::proto::cp_command_max, 'x')).rc == 24);
    }

    TEST_CASE("smsg asks for an outbound smsg with the text as typed") {
        Machine m;
        for (const char* verb : {"SMSG", "sm"}) {
            CAPTURE(verb);
            auto r = m.run(std::string(verb) + " oper  Hello,   World!  ");
            CHECK(r.rc == 0);
            CHECK(r.lines.empty());
            REQUIRE(r.smsg);
            CHECK(r.smsg->to == "OPER");
            CHECK(r.smsg->text == "Hello,   World!");
            CHECK_FALSE(r.cp_command);
            CHECK_FALSE(r.logoff);
        }
    }

    TEST_CASE("smsg errors: missing userid or text, bad userid, text too long are RC 24") {
        Machine m;
        CHECK(m.run("SMSG").rc == 24);
        CHECK(m.run("SMSG OPER").rc == 24);
        CHECK(m.run("SMSG OPER    ").rc == 24);
        auto bad = m.run("SMSG TOOLONGID hi");
        CHECK(bad.rc == 24);
        CHECK(has(text(bad), "Invalid userid TOOLONGID"));
        CHECK_FALSE(bad.smsg);
        CHECK(m.run("TELL bad-id hi").rc == 24);
        CHECK(m.run("SMSG OPER " + std::string(cpd::proto::smsg_max_text, 'x')).rc == 0);
        auto too_long = m.run("SMSG OPER " + std::string(cpd::proto::smsg_max_text + 1, 'x'));
        CHECK(too_long.rc == 24);
        CHECK(text(too_long) == "DMSMSG026E Message text is 237 bytes; the limit is 236\n");
        CHECK_FALSE(too_long.smsg);
    }

    TEST_CASE("cp passes the rest of the line to CP") {
        Machine m;
        auto r = m.run("cp query  names");
        CHECK(r.rc == 0);
        REQUIRE(r.cp_command);
        CHECK(*r.cp_command == "query  names");
        CHECK(m.run("CP").rc == 24);
        CHECK_FALSE(m.run("CP").cp_command);
        auto too_long = m.run("CP " + std::string(cpd::proto::cp_command_max + 1, 'x'));
        CHECK(too_long.rc == 24);
        CHECK(text(too_long) == "DMSCPX026E CP command is 513 bytes; the limit is 512\n");
        CHECK_FALSE(too_long.cp_command);
        CHECK(m.run("CP " + std::string(cpd::proto::cp_command_max, 'x')).cp_command);
    }

    TEST_CASE("logoff asks for a logoff; unknown operands are RC 24") {
        Machine m;
        auto r = m.run("LOGOFF");
        CHECK(r.rc == 0);
        CHECK(r.logoff);
        CHECK(m.run("log hold").logoff);
        auto bad = m.run("LOGOFF NOW");
        CHECK(bad.rc == 24);
        CHECK_FALSE(bad.logoff);
    }

    TEST_CASE("help lists every command with its syntax, or describes one") {
        Machine m;
        auto all = m.run("HELP");
        CHECK(all.rc == 0);
        for (const char* name :
             {"ACcess", "COPYfile", "CP", "ERase", "EXEC", "GLOBalv", "HELP", "LISTfile", "LOGoff",
              "Query", "RELease", "REName", "SMsg", "STate", "TELL", "Type"}) {
            CAPTURE(name);
            CHECK(has(text(all), std::string("  ") + name));
        }
        auto one = m.run("HELP LIST");
        CHECK(one.rc == 0);
        CHECK(one.lines.at(0) == "LISTfile [fn [ft [fm]]] [( FORMAT DATE NOHEADER]");
        CHECK(has(text(one), "Minimum abbreviation: LIST"));
        CHECK(m.run("HELP FROB").rc == 28);
        CHECK(m.run("HELP A B").rc == 24);
    }

    TEST_CASE("exec runs a REXX EXEC with its argument string, or is -3 when not found") {
        Machine m;
        put(m.b / "hello.exec", "/* rexx */\nparse arg w\nsay 'hi' w\nexit 7\n");
        auto found = m.run("EXEC HELLO big  World");
        CHECK(found.rc == 7);
        CHECK(text(found) == "hi big  World\n"); // no host: the output is collected
        auto missing = m.run("EXEC NOSUCH");
        CHECK(missing.rc == -3);
        CHECK(has(text(missing), "EXEC NOSUCH not found"));
        CHECK(m.run("EXEC").rc == 24);
        CHECK(m.run("EXEC bad.name").rc == 28);
        m.run("RELEASE A");
        m.run("RELEASE B");
        CHECK(m.run("EXEC HELLO").rc == 28);
    }

    TEST_CASE("an unknown word runs an EXEC of that name or is an unknown command") {
        Machine m;
        put(m.a / "hello.exec", "/* */ say 'hello' arg(1)");
        auto impl = m.run("hello there");
        CHECK(impl.rc == 0);
        CHECK(text(impl) == "hello there\n");
        put(m.a / "old.exec", "&TRACE ALL");
        auto not_rexx = m.run("OLD");
        CHECK(not_rexx.rc == 28);
        CHECK(has(text(not_rexx), "DMSEXE639E"));
        auto unknown = m.run("FROBNICATE now");
        CHECK(unknown.rc == -3);
        CHECK(text(unknown) == "Unknown CP/CMS command\n");
        CHECK(m.run("a.b").rc == -3);
    }

    TEST_CASE("an empty or blank line does nothing, RC 0") {
        Machine m;
        for (const char* line : {"", "   ", "\t"}) {
            auto r = m.run(line);
            CHECK(r.rc == 0);
            CHECK(r.lines.empty());
        }
    }

} // TEST_SUITE
