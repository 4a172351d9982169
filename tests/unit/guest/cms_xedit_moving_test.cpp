// SPDX-License-Identifier: MIT
// XEDIT's targets and moving subcommands on the engine: TOP, BOTTOM, UP,
// DOWN, NEXT, LOCATE and the bare targets :n, n, +n, -n, *, -*, /s/, -/s/,
// ~/s/, with SET ZONE and SET CASE; the rc 1 / rc 2 / rc 5 cases and their
// messages; and the subcommand table's minimum abbreviations.
#include "cms_xedit_test_support.hpp"

#include "xedit/subcommand_table.hpp"

#include <doctest/doctest.h>

using namespace cms_test;
using cpd::cms::xedit::find_subcommand;
using cpd::cms::xedit::subcommand_table;
using Lines = std::vector<std::string>;

TEST_SUITE("guest.cms_xedit_moving") {
    TEST_CASE("an opened file starts at the top of file") {
        EditorFixture f;
        CHECK(f.cur() == 0);
        CHECK(f.ed.file().size() == 5);
        CHECK_FALSE(f.ed.is_input_mode());
    }

    TEST_CASE("NEXT, DOWN and UP move by a count and type the new current line") {
        EditorFixture f;
        auto r = f.run("NEXT");
        CHECK(r.rc == 0);
        CHECK(r.lines == Lines{"alpha"});
        r = f.run("N 3");
        CHECK(f.cur() == 4);
        CHECK(r.lines == Lines{"delta"});
        r = f.run("UP 2");
        CHECK(f.cur() == 2);
        CHECK(r.lines == Lines{"beta"});
        r = f.run("D");
        CHECK(f.cur() == 3);
        SUBCASE("a move that stops at the end of file is rc 1 and types EOF:") {
            r = f.run("DOWN *");
            CHECK(r.rc == 1);
            CHECK(f.cur() == 6);
            CHECK(r.lines == Lines{"EOF:"});
            r = f.run("NEXT 100");
            CHECK(r.rc == 1);
            CHECK(f.cur() == 6);
        }
        SUBCASE("a move that stops at the top of file is rc 1 and types TOF:") {
            r = f.run("UP 9");
            CHECK(r.rc == 1);
            CHECK(f.cur() == 0);
            CHECK(r.lines == Lines{"TOF:"});
        }
        SUBCASE("a count of 0 stays and is rc 0") {
            r = f.run("NEXT 0");
            CHECK(r.rc == 0);
            CHECK(f.cur() == 3);
        }
    }

    TEST_CASE("TOP and BOTTOM go to the top of file and to the last line") {
        EditorFixture f;
        auto r = f.run("BOTTOM");
        CHECK(r.rc == 0);
        CHECK(f.cur() == 5);
        CHECK(r.lines == Lines{"epsilon"});
        r = f.run("TOP");
        CHECK(r.rc == 0);
        CHECK(f.cur() == 0);
        CHECK(r.lines == Lines{"TOF:"});
        EditorFixture empty(Lines{});
        empty.run("BOTTOM");
        CHECK(empty.cur() == 0);
    }

    TEST_CASE("bad operands are rc 5 with DMSXMS520E and do not move") {
        EditorFixture f;
        f.run(":2");
        for (const char* bad : {"TOP 3", "BOTTOM x", "NEXT x", "UP -1", "DOWN 1 2"}) {
            CAPTURE(bad);
            const auto r = f.run(bad);
            CHECK(r.rc == 5);
            REQUIRE(r.lines.size() == 1);
            CHECK(r.lines[0].starts_with("DMSXMS520E Invalid operand: "));
            CHECK(f.cur() == 2);
        }
    }

    TEST_CASE("absolute and relative targets") {
        EditorFixture f;
        auto r = f.run(":3");
        CHECK(r.rc == 0);
        CHECK(r.lines == Lines{"gamma"});
        f.run("+2");
        CHECK(f.cur() == 5);
        f.run("-1");
        CHECK(f.cur() == 4);
        f.run(":0");
        f.run("3");
        CHECK(f.cur() == 3);
        r = f.run("*");
        CHECK(f.cur() == 6);
        r = f.run("-*");
        CHECK(f.cur() == 0);
        SUBCASE("a line past the end of file is not found") {
            r = f.run(":99");
            CHECK(r.rc == 2);
            CHECK(r.lines == Lines{"DMSXMS546E Target not found"});
            CHECK(f.cur() == 0);
        }
        SUBCASE("LOCATE takes the same targets") {
            r = f.run("LOCATE :4");
            CHECK(f.cur() == 4);
            r = f.run("L -2");
            CHECK(f.cur() == 2);
        }
    }

    TEST_CASE("string targets search forward or backward from the current line, never wrapping") {
        EditorFixture f;
        auto r = f.run("/ta/");
        CHECK(r.rc == 0);
        CHECK(f.cur() == 2);
        CHECK(r.lines == Lines{"beta"});
        f.run("/ta/");
        CHECK(f.cur() == 4);
        r = f.run("/ta/");
        CHECK(r.rc == 2);
        CHECK(r.lines == Lines{"DMSXMS546E Target not found"});
        CHECK(f.cur() == 4);
        r = f.run("-/alp/");
        CHECK(f.cur() == 1);
        r = f.run("L /gam");
        CHECK(f.cur() == 3); // the closing delimiter may be left off
        r = f.run("~/a/");
        CHECK(f.cur() == 5); // the next line NOT containing "a"
        r = f.run("-\xC2\xAC/e/");
        CHECK(f.cur() == 3); // "¬" is the same as "~"
        f.run("TOP");
        r = f.run("L");
        CHECK(f.cur() == 0); // LOCATE alone repeats "-¬/e/": nothing above TOF
        CHECK(r.rc == 2);
    }

    TEST_CASE("a target may be followed by a subcommand to run on the line found") {
        EditorFixture f;
        const auto r = f.run("/gamma/ type");
        CHECK(r.rc == 0);
        CHECK(r.lines == Lines{"gamma"});
        CHECK(f.cur() == 3);
    }

    TEST_CASE("SET ZONE limits string targets to its columns") {
        EditorFixture f;
        CHECK(f.run("SET ZONE 2 3").rc == 0);
        CHECK(f.run("/lp/").rc == 0);
        CHECK(f.cur() == 1);
        CHECK(f.run("/ph/").rc == 2); // "alpha" has "ph" in columns 3-4 only
        CHECK(f.run("SET ZONE 3 *").rc == 0);
        CHECK(f.run("/ta/").rc == 0);
        CHECK(f.cur() == 2);
        CHECK(f.run("SET ZONE 0").rc == 5);
        CHECK(f.run("SET ZONE 5 2").rc == 5);
        CHECK(f.run("SET ZONE").rc == 5);
    }

    TEST_CASE("SET CASE IGNORE matches string targets regardless of case") {
        EditorFixture f;
        CHECK(f.run("/BETA/").rc == 2);
        CHECK(f.run("SET CASE M I").rc == 0);
        CHECK(f.run("/BETA/").rc == 0);
        CHECK(f.cur() == 2);
        CHECK(f.run("SET CASE MIXED RESPECT").rc == 0);
        CHECK(f.run("/DELTA/").rc == 2);
        CHECK(f.run("SET CASE X").rc == 5);
        CHECK(f.run("SET CASE M X").rc == 5);
    }

    TEST_CASE("SET VERIFY OFF stops typing the current line") {
        EditorFixture f;
        CHECK(f.run("SET VERIFY OFF").rc == 0);
        CHECK(f.run("NEXT").lines.empty());
        CHECK(f.run("SET VERIFY ON").rc == 0);
        CHECK(f.run("NEXT").lines == Lines{"beta"});
        CHECK(f.run("SET NOSUCH").rc == 5);
    }

    TEST_CASE("a word that is no subcommand goes to CMS as typed") {
        EditorFixture f;
        const auto r = f.run("  LISTFILE * * A");
        REQUIRE(r.cms_command);
        CHECK(*r.cms_command == "LISTFILE * * A");
    }

    TEST_CASE("every subcommand answers to its minimum abbreviation and not one shorter") {
        for (const auto& spec : subcommand_table()) {
            CAPTURE(spec.name);
            const std::string shortest(spec.name.substr(0, spec.min_length));
            REQUIRE(find_subcommand(shortest) == &spec);
            CHECK(find_subcommand(std::string(spec.name)) == &spec);
            std::string lower = shortest;
            for (char& c : lower) {
                c = static_cast<char>(c - 'A' + 'a');
            }
            CHECK(find_subcommand(lower) == &spec);
            if (spec.min_length > 1) {
                CHECK(find_subcommand(shortest.substr(0, spec.min_length - 1)) != &spec);
            }
        }
        CHECK(find_subcommand("BOTTOMX") == nullptr);
    }
}
