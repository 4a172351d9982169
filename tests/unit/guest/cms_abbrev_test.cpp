// SPDX-License-Identifier: MIT
// The IBM minimum abbreviations of every built-in command: the shortest
// accepted form runs the command, one character shorter is an unknown
// command (RC -3), and ambiguous or over-long words are refused.
#include "cms_test_support.hpp"

#include <doctest/doctest.h>

#include <cstring>

using namespace cms_test;

namespace {

struct Abbrev {
    const char* full;
    const char* shortest;
    const char* operands; ///< operands that make the command succeed (RC 0)
};

// Operands chosen so each command reaches RC 0 in a Machine with A-DISK FILE A.
constexpr Abbrev abbrevs[] = {
    {"ACCESS", "AC", "192 C"},
    {"COPYFILE", "COPY", "A DISK A B DISK A"},
    {"CP", "CP", "QUERY NAMES"},
    {"ERASE", "ER", "A DISK A"},
    {"GLOBALV", "GLOB", "SET X 1"},
    {"HELP", "HELP", ""},
    {"LISTFILE", "LIST", "* * A"},
    {"LOGOFF", "LOG", ""},
    {"QUERY", "Q", "SEARCH"},
    {"RELEASE", "REL", "B"},
    {"RENAME", "REN", "A DISK A C DISK A"},
    {"SMSG", "SM", "OPER hi"},
    {"STATE", "ST", "A DISK A"},
    {"TELL", "TELL", "OPER hi"},
    {"TYPE", "T", "A DISK"},
    {"XEDIT", "X", "A DISK"},
};

} // namespace

TEST_SUITE("guest.cms.abbrev") {

    TEST_CASE("every command runs under its full name and its minimum abbreviation") {
        for (const Abbrev& a : abbrevs) {
            for (const std::string& word : {std::string(a.full), std::string(a.shortest)}) {
                Machine m;
                put(m.a / "a.disk", "line\n");
                CAPTURE(word);
                auto r = m.run(word + " " + a.operands);
                CHECK(r.rc == 0);
                CHECK_FALSE(has(text(r), "Unknown CP/CMS command"));
            }
        }
    }

    TEST_CASE("one character shorter than the minimum is an unknown command") {
        for (const Abbrev& a : abbrevs) {
            const std::string shorter =
                std::string(a.shortest).substr(0, std::strlen(a.shortest) - 1);
            if (shorter.empty()) {
                continue; // Q and T: nothing shorter to type
            }
            Machine m;
            put(m.a / "a.disk", "line\n");
            CAPTURE(shorter);
            auto r = m.run(shorter + " " + a.operands);
            CHECK(r.rc == -3);
            CHECK(text(r) == "Unknown CP/CMS command\n");
            CHECK_FALSE(r.smsg);
            CHECK_FALSE(r.cp_command);
            CHECK_FALSE(r.logoff);
        }
    }

    TEST_CASE("exec's minimum is the full name; words longer than a name are unknown") {
        Machine m;
        CHECK(m.run("EXE X").rc == -3);
        CHECK(m.run("EXEC").rc == 24);
        CHECK(m.run("ACCESSX 191 A").rc == -3);
        CHECK(m.run("LISTFILES * * A").rc == -3);
    }

    TEST_CASE("abbreviations are case-insensitive and intermediate lengths work") {
        Machine m;
        put(m.a / "a.disk", "x");
        CHECK(m.run("st a disk").rc == 0);
        CHECK(m.run("Stat a disk").rc == 0);
        CHECK(m.run("listf * * a").rc == 0);
        CHECK(m.run("qu search").rc == 0);
        CHECK(m.run("TY a disk").rc == 0);
        CHECK(m.run("TE OPER hi").rc == -3); // TELL has no abbreviation; TYPE is not TE
    }

} // TEST_SUITE
