// SPDX-License-Identifier: MIT
// PIPE's syntax and messages: the patch-cms cases, the global options
// (STAGESEP, ESCAPE, ENDCHAR), null stages and pipelines, unknown stages,
// stage abbreviations, and the return codes (-n for scanner errors, +n for
// a stage that refuses its operands, 24 for a bare PIPE).
#include <doctest/doctest.h>

#include "cms_pipe_support.hpp"

using namespace cms_test;

TEST_SUITE("guest.cms_pipe_scanner") {

    TEST_CASE("PIPE literal hello | console prints hello with rc 0") {
        Machine m;
        CHECK(out(m, "PIPE literal hello | console") == Lines{"hello"});
        CHECK(out(m, "pipe LIT hello|CONS") == Lines{"hello"});
    }

    TEST_CASE("PIPE alone is rc 24 with FPLSCA256I") {
        Machine m;
        for (const char* line : {"PIPE", "PIPE   ", "PIPE (sep !)"}) {
            const auto r = pipe(m, line);
            CHECK(r.rc == 24);
            CHECK(r.lines == Lines{"FPLSCA256I No pipeline specified on PIPE command"});
        }
    }

    TEST_CASE("an unknown stage is rc -27 with the stage and its position") {
        Machine m;
        const auto r = pipe(m, "PIPE literal x | foofum a b | console");
        CHECK(r.rc == -27);
        CHECK(r.lines == Lines{"FPLSCB027E Entry point FOOFUM not found",
                               "FPLSCA003I ... Issued from stage 2 of pipeline 1",
                               "FPLSCA001I ... Running \"foofum a b\""});
    }

    TEST_CASE("a null stage or a trailing separator is rc -17") {
        Machine m;
        for (const char* line :
             {"PIPE literal x | | console", "PIPE literal x |", "PIPE | console"}) {
            const auto r = pipe(m, line);
            CHECK_MESSAGE(r.rc == -17, line);
            REQUIRE(!r.lines.empty());
            CHECK(r.lines[0] == "FPLSCA017E Null stage found");
        }
        const auto r = pipe(m, "PIPE literal x |");
        CHECK(r.lines[1] == "FPLSCA003I ... Issued from stage 2 of pipeline 1");
    }

    TEST_CASE("global options: errors in them are rc -13, -14, -15") {
        Machine m;
        CHECK(pipe(m, "PIPE (stagesep ! literal x").rc == -13);
        auto r = pipe(m, "PIPE (bogus) literal x");
        CHECK(r.rc == -14);
        CHECK(r.lines == Lines{"FPLSCA014E Option bogus not valid"});
        r = pipe(m, "PIPE (endchar) literal x");
        CHECK(r.rc == -15);
        CHECK(r.lines == Lines{"FPLSCA015E Value missing for keyword \"ENDCHAR\""});
        CHECK(pipe(m, "PIPE (stagesep *) literal x").rc == -14); // not allowed as a separator
        CHECK(pipe(m, "PIPE (sep abc) literal x").rc == -14);
        CHECK(out(m,
                  "PIPE (name X msglevel 3 trace listrc listerr listcmd stop) literal x|console") ==
              Lines{"x"});
    }

    TEST_CASE("STAGESEP changes the separator; a hex value works") {
        Machine m;
        CHECK(out(m, "PIPE (stagesep !) literal a|b ! console") == Lines{"a|b"});
        CHECK(out(m, "PIPE (sep 21) literal a|b ! console") == Lines{"a|b"}); // X'21' is '!'
    }

    TEST_CASE("ESCAPE makes the next character literal, separator and blanks too") {
        Machine m;
        CHECK(out(m, "PIPE (escape \\) literal a\\|b | console") == Lines{"a|b"});
        CHECK(out(m, "PIPE (escape \\) literal ab \\ | specs 1-* 1 /</ next | console") ==
              Lines{"ab  <"}); // "ab", a blank, the escaped blank
        // Without the option, a backslash is an ordinary character.
        CHECK(out(m, "PIPE literal a\\b | console") == Lines{"a\\b"});
    }

    TEST_CASE("ENDCHAR separates pipelines; each runs") {
        Machine m;
        CHECK(out(m, "PIPE (end ?) literal one | console ? literal two | console") ==
              Lines{"one", "two"});
        const auto r = pipe(m, "PIPE (end ?) literal one | console ? ");
        CHECK(r.rc == -12);
        CHECK(r.lines[0] == "FPLSCA012E Null pipeline");
    }

    TEST_CASE("labels: an undefined or a doubly defined label is refused") {
        Machine m;
        auto r = pipe(m, "PIPE (end ?) literal x | console ? a: | console");
        CHECK(r.rc == -46);
        CHECK(r.lines[0] == "FPLSCA046E Label A not defined");
        r = pipe(m, "PIPE (end ?) a: literal x | console ? a: literal y | console");
        CHECK(r.rc == -45);
    }

    TEST_CASE("stage names: any case, minimum abbreviations, one shorter is unknown") {
        Machine m;
        CHECK(out(m, "PIPE LITERAL x | LOCATE /x/ | CONSOLE") == Lines{"x"});
        CHECK(out(m, "PIPE lit x | loc /x/ | term") == Lines{"x"});
        CHECK(pipe(m, "PIPE li x | console").rc == -27);
        CHECK(pipe(m, "PIPE literal x | lo /x/ | console").rc == -27);
    }

    TEST_CASE("a stage that refuses its operands is rc +n and nothing runs") {
        Machine m;
        const auto r = pipe(m, "PIPE literal x | > OUT FILE A | take x | console");
        CHECK(r.rc == 58);
        CHECK(r.lines == Lines{"FPLTAK058E Decimal number expected, but \"x\" was found",
                               "FPLSCA003I ... Issued from stage 3 of pipeline 1",
                               "FPLSCA001I ... Running \"take x\""});
        CHECK(!std::filesystem::exists(m.a / "out.file"));
    }

    TEST_CASE("a stage that needs input cannot be first (127); a source must be (87)") {
        Machine m;
        auto r = pipe(m, "PIPE locate /x/ | console");
        CHECK(r.rc == 127);
        CHECK(r.lines[0] == "FPLLOC127E This stage cannot be first in a pipeline");
        r = pipe(m, "PIPE literal x | < PROFILE EXEC A | console");
        CHECK(r.rc == 87);
        CHECK(r.lines[0] == "FPLDSR087E This stage must be the first stage of a pipeline");
    }

    TEST_CASE("HELP lists PIPE") {
        Machine m;
        CHECK(has(text(m.run("HELP PIPE")), "PIPE"));
    }

} // TEST_SUITE
