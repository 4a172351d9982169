// SPDX-License-Identifier: MIT
// XEDIT's editing subcommands on the engine: INPUT (one line, and input mode
// ended by a null line), REPLACE, DELETE with targets, TYPE, CHANGE with its
// target, count and occurrence operands, ZONE and CASE; SAVE, FILE, QUIT
// (refused on a changed file), QQUIT; and EXTRACT's live values.
#include "cms_xedit_test_support.hpp"

#include <doctest/doctest.h>

using namespace cms_test;
using Lines = std::vector<std::string>;

TEST_SUITE("guest.cms_xedit_editing") {
    TEST_CASE("INPUT with text adds one line after the current one and makes it current") {
        EditorFixture f;
        auto r = f.run("INPUT first");
        CHECK(r.rc == 0);
        CHECK(f.cur() == 1);
        CHECK(f.records()[0] == "first");
        f.run(":3");
        f.run("i  two blanks kept");
        CHECK(f.records()[3] == " two blanks kept");
        CHECK(f.cur() == 4);
        f.run("*");
        f.run("I at the end");
        CHECK(f.records().back() == "at the end"); // at EOF, before the EOF line
    }

    TEST_CASE("INPUT alone starts input mode; every line is a record until a null line") {
        EditorFixture f(Lines{});
        auto r = f.run("INPUT");
        CHECK(r.rc == 0);
        CHECK(r.lines == Lines{"DMSXIN573I Input mode:"});
        CHECK(f.ed.is_input_mode());
        CHECK(f.run("line one").lines.empty());
        f.run("   "); // blanks are a record, not the end
        f.run("TOP"); // a subcommand word is just text in input mode
        CHECK(f.ed.is_input_mode());
        r = f.run("");
        CHECK_FALSE(f.ed.is_input_mode());
        CHECK(f.records() == Lines{"line one", "   ", "TOP"});
        CHECK(f.cur() == 3);
        CHECK(f.ed.file().alterations() == 3);
    }

    TEST_CASE("SET CASE UPPER upper-cases input") {
        EditorFixture f(Lines{});
        f.run("SET CASE U");
        f.run("INPUT Hello");
        f.run("INPUT");
        f.run("World");
        f.run("");
        CHECK(f.records() == Lines{"HELLO", "WORLD"});
    }

    TEST_CASE("REPLACE swaps the current line; without text it takes the line in input mode") {
        EditorFixture f;
        f.run(":2");
        CHECK(f.run("REPLACE new beta").rc == 0);
        CHECK(f.records()[1] == "new beta");
        CHECK(f.cur() == 2);
        const auto r = f.run("R");
        CHECK(r.lines == Lines{"DMSXIN573I Input mode:"});
        CHECK(f.records()[1] == "gamma");
        f.run("B2");
        f.run("");
        CHECK(f.records() == Lines{"alpha", "B2", "gamma", "delta", "epsilon"});
    }

    TEST_CASE("DELETE removes from the current line up to the target") {
        EditorFixture f;
        f.run(":2");
        SUBCASE("one line by default; the next line becomes current") {
            const auto r = f.run("DEL");
            CHECK(r.rc == 0);
            CHECK(f.records() == Lines{"alpha", "gamma", "delta", "epsilon"});
            CHECK(r.lines == Lines{"gamma"});
        }
        SUBCASE("a count") {
            f.run("DELETE 2");
            CHECK(f.records() == Lines{"alpha", "delta", "epsilon"});
            CHECK(f.cur() == 2);
        }
        SUBCASE("to a string target, not including its line") {
            f.run("DELETE /eps/");
            CHECK(f.records() == Lines{"alpha", "epsilon"});
        }
        SUBCASE("* deletes to the end of file: rc 1 at EOF") {
            const auto r = f.run("DELETE *");
            CHECK(r.rc == 1);
            CHECK(f.records() == Lines{"alpha"});
            CHECK(f.ed.file().is_eof());
        }
        SUBCASE("backward: the current line and those above, not the target line") {
            f.run(":4");
            f.run("DELETE -2");
            CHECK(f.records() == Lines{"alpha", "beta", "epsilon"});
        }
        SUBCASE("a target not found deletes nothing: rc 2") {
            const auto r = f.run("DELETE /zzz/");
            CHECK(r.rc == 2);
            CHECK(f.records().size() == 5);
            CHECK(f.ed.file().alterations() == 0);
        }
        SUBCASE("DEL and DELE are DELETE; DE is not") {
            CHECK(f.run("DE").cms_command);
        }
    }

    TEST_CASE("TYPE shows lines from the current one and leaves the last one current") {
        EditorFixture f;
        f.run(":1");
        auto r = f.run("TYPE 2");
        CHECK(r.lines == Lines{"alpha", "beta"});
        CHECK(f.cur() == 2);
        f.run(":4");
        r = f.run("T *");
        CHECK(r.lines == Lines{"delta", "epsilon", "EOF:"});
        CHECK(r.rc == 1);
        f.run("TOP");
        CHECK(f.run("TYPE").lines == Lines{"TOF:"});
        CHECK(f.run("TYPE 0").rc == 5);
    }

    TEST_CASE("CHANGE changes the first occurrence on the current line by default") {
        EditorFixture f;
        f.run(":3");
        auto r = f.run("CHANGE /m/M/");
        CHECK(r.rc == 0);
        CHECK(r.lines == Lines{"DMSXCG517I 1 occurrence(s) changed on 1 line(s)", "gaMma"});
        SUBCASE("* changes every occurrence; m starts at the m-th") {
            f.run("C/a/A/ 1 * 2");
            CHECK(f.records()[2] == "gaMmA");
        }
        SUBCASE("a target covers lines from the current one up to it; the last becomes current") {
            r = f.run("c/a/X/ * *");
            CHECK(r.lines[0] == "DMSXCG517I 3 occurrence(s) changed on 2 line(s)");
            CHECK(f.records() == Lines{"alpha", "beta", "gXMmX", "deltX", "epsilon"});
            CHECK(f.cur() == 5);
        }
        SUBCASE("nothing to change is rc 4; a target not found is rc 2") {
            CHECK(f.run("C/zz/yy/").rc == 4);
            CHECK(f.run("C/a/b/ /nothere/").rc == 2);
        }
        SUBCASE("CHANGE alone repeats the last CHANGE") {
            f.run(":4");
            CHECK(f.run("CHANGE").rc == 4); // "delta" has no "m"
            f.run(":1");
            f.run("C/l/L/");
            f.run(":4");
            f.run("CHANGE");
            CHECK(f.records()[3] == "deLta");
        }
        SUBCASE("any non-alphanumeric delimiter; an empty old string inserts") {
            f.run("C,M,mm,");
            CHECK(f.records()[2] == "gammma");
            f.run("C//> /");
            CHECK(f.records()[2] == "> gammma");
        }
        SUBCASE("the zone and SET CASE IGNORE govern what matches") {
            f.run("SET ZONE 1 2");
            CHECK(f.run("C/M/x/").rc == 4);
            f.run("SET ZONE 1 *");
            f.run("SET CASE M I");
            f.run("C/GA/Ga/");
            CHECK(f.records()[2] == "GaMma");
        }
        SUBCASE("bad operands are rc 5") {
            CHECK(f.run("C/a").rc == 5);
            CHECK(f.run("C/a/b/ 1 x").rc == 5);
            CHECK(f.run("C/a/b/ 1 1 0").rc == 5);
        }
    }

    TEST_CASE("CHANGE never grows a record past 65535 bytes") {
        EditorFixture f(Lines{std::string(65530, 'x') + "ab"});
        f.run(":1");
        CHECK(f.run("C/ab/abcdefgh/").rc == 4);
        CHECK(f.run("C/ab/abcd/").rc == 0);
        CHECK(f.records()[0].size() == 65534);
        CHECK(f.run("C/x/yy/ 1 *").rc == 0); // only as many as fit: one
        CHECK(f.records()[0].size() == 65535);
    }

    TEST_CASE("CHANGE without operands and no earlier CHANGE is DMSXMS545E") {
        EditorFixture f;
        const auto r = f.run("C");
        CHECK(r.rc == 5);
        CHECK(r.lines == Lines{"DMSXMS545E Missing operand(s)"});
    }

    TEST_CASE("QUIT leaves an unchanged file; a changed one is refused until SAVE or QQUIT") {
        EditorFixture f;
        f.run("INPUT new line");
        auto r = f.run("QUIT");
        CHECK(r.rc == 12);
        CHECK(r.lines == Lines{"DMSXSU577E File has been changed; type QQUIT to quit anyway"});
        CHECK_FALSE(f.ed.is_done());
        SUBCASE("SAVE writes the file and QUIT may then leave") {
            CHECK(f.run("SAVE").rc == 0);
            CHECK(get(f.m.a / "t.file") == "new line\nalpha\nbeta\ngamma\ndelta\nepsilon\n");
            CHECK(f.run("QUIT").rc == 0);
            CHECK(f.ed.is_done());
            CHECK(f.ed.exit_rc() == 0);
        }
        SUBCASE("QQUIT leaves without writing; its rc operand is the XEDIT rc") {
            f.run("QQUIT 4");
            CHECK(f.ed.is_done());
            CHECK(f.ed.exit_rc() == 4);
            CHECK_FALSE(fs::exists(f.m.a / "t.file"));
        }
        SUBCASE("FILE writes and leaves") {
            CHECK(f.run("FILE").rc == 0);
            CHECK(f.ed.is_done());
            CHECK(get(f.m.a / "t.file").starts_with("new line\n"));
        }
        SUBCASE("SAVE under another name leaves this file unsaved") {
            CHECK(f.run("SAVE COPY = A").rc == 0);
            CHECK(get(f.m.a / "copy.file").starts_with("new line\n"));
            CHECK(f.run("QUIT").rc == 12);
        }
        SUBCASE("bad operands") {
            CHECK(f.run("QUIT x").rc == 5);
            CHECK(f.run("SAVE a.b").rc == 5);
            CHECK(f.run("FILE A B C D").rc == 5);
        }
    }

    TEST_CASE("SAVE to a read-only disk is refused with the disk's message") {
        EditorFixture f;
        const auto r = f.run("SAVE T FILE B");
        CHECK(r.rc == 28);
        CHECK(r.lines == Lines{"DMSXSU037E Filemode B is accessed as read/only"});
        CHECK(f.run("FILE T FILE Q").lines == Lines{"DMSXSU069E Filemode Q not accessed"});
        CHECK_FALSE(f.ed.is_done());
    }

    TEST_CASE("EXTRACT gives live values as REXX variables") {
        EditorFixture f;
        f.run(":2");
        auto r = f.run("EXTRACT /SIZE/LINE/CURLINE/FNAME/FTYPE/FMODE/");
        CHECK(r.rc == 0);
        CHECK(r.lines.empty());
        using V = std::vector<std::pair<std::string, std::string>>;
        CHECK(r.variables == V{{"SIZE.0", "1"},
                               {"SIZE.1", "5"},
                               {"LINE.0", "1"},
                               {"LINE.1", "2"},
                               {"CURLINE.0", "3"},
                               {"CURLINE.1", "M"},
                               {"CURLINE.2", "1"},
                               {"CURLINE.3", "beta"},
                               {"FNAME.0", "1"},
                               {"FNAME.1", "T"},
                               {"FTYPE.0", "1"},
                               {"FTYPE.1", "FILE"},
                               {"FMODE.0", "1"},
                               {"FMODE.1", "A1"}});
        f.run("DELETE");
        f.run("SET CASE U I");
        f.run("SET ZONE 2 9");
        CHECK(f.ed.extract("size")->values == Lines{"4"});
        CHECK(f.ed.extract("CURLINE")->values == Lines{"M", "1", "gamma"});
        CHECK(f.ed.extract("CASE")->values == Lines{"UPPER", "IGNORE"});
        CHECK(f.ed.extract("ZONE")->values == Lines{"2", "9"});
        CHECK(f.ed.extract("ALT")->values == Lines{"1", "1"});
        CHECK(f.ed.extract("EOF")->values == Lines{"OFF"});
        CHECK_FALSE(f.ed.extract("NOSUCH"));
        // Variables are named by the item's full name, whatever abbreviation was typed.
        r = f.run("EXTRACT /curl/ sz /");
        CHECK(r.rc == 5); // "sz" is no item
        r = f.run("EXTRACT /curl/si/");
        CHECK(r.variables[0] == std::pair<std::string, std::string>{"CURLINE.0", "3"});
        CHECK(r.variables[4] == std::pair<std::string, std::string>{"SIZE.0", "1"});
        CHECK(f.run("EXTRACT /NOSUCH/").rc == 5);
        CHECK(f.run("EXTRACT").rc == 5);
    }
}
