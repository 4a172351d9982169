// SPDX-License-Identifier: MIT
// Processor tests of LISTFILE on real minidisk directories: CMS's columns,
// the defaults (no operands is * * A), ordering, patterns, the FORMAT and
// DATE columns, and every error RC.
#include "cms_test_support.hpp"

#include <doctest/doctest.h>

#include <sys/stat.h>
#include <utime.h>

using namespace cms_test;

TEST_SUITE("guest.cms.listfile") {

    TEST_CASE("listfile shows fn, ft and fm in CMS's columns, sorted by fn, ft and disk") {
        Machine m;
        put(m.a / "zeta.data", "1\n2\n3\n");
        put(m.a / "alpha.exec", "say hi");
        put(m.b / "alpha.exec", "");
        put(m.b / "beta.exec", "x\n");
        SUBCASE("fm star searches every disk") {
            auto r = m.run("LISTFILE * * *");
            CHECK(r.rc == 0);
            CHECK(text(r) == "ALPHA    EXEC     A1\nALPHA    EXEC     B1\n"
                             "BETA     EXEC     B1\nZETA     DATA     A1\n");
        }
        SUBCASE("fm defaults to A") {
            auto r = m.run("listfile * exec");
            CHECK(r.rc == 0);
            CHECK(text(r) == "ALPHA    EXEC     A1\n");
        }
        SUBCASE("patterns select names") {
            auto r = m.run("LISTFILE B* EX%C B");
            CHECK(text(r) == "BETA     EXEC     B1\n");
        }
    }

    TEST_CASE("listfile with no operands lists * * A, and with fn only fn * A") {
        Machine m;
        put(m.a / "profile.exec", "/* */\n");
        put(m.a / "profile.xedit", "x\n");
        put(m.a / "readme.text", "x\n");
        put(m.b / "other.text", "x\n");
        auto all = m.run("LISTFILE");
        CHECK(all.rc == 0);
        CHECK(text(all) == "PROFILE  EXEC     A1\nPROFILE  XEDIT    A1\nREADME   TEXT     A1\n");
        auto fn_only = m.run("LISTF PROFILE");
        CHECK(fn_only.rc == 0);
        CHECK(text(fn_only) == "PROFILE  EXEC     A1\nPROFILE  XEDIT    A1\n");
    }

    TEST_CASE("listfile ignores symlinks, upper-case host names and other files") {
        Machine m;
        put(m.a / "real.file", "x\n");
        put(m.a / "UPPER.FILE", "x\n");
        put(m.a / "no_dot", "x\n");
        put(m.a / "too.many.dots", "x\n");
        std::filesystem::create_directory(m.a / "dir.file");
        std::filesystem::create_symlink(m.a / "real.file", m.a / "link.file");
        auto r = m.run("LISTFILE * * A");
        CHECK(text(r) == "REAL     FILE     A1\n");
    }

    TEST_CASE("listfile format shows records, the longest record and blocks under a header") {
        Machine m;
        put(m.a / "zeta.data", "1\r\n22\r\n" + std::string(80, 'x')); // last line unterminated
        put(m.a / "big.data", std::string(5000, 'y') + "\n");
        auto r = m.run("LISTFILE * DATA A (FORMAT");
        CHECK(r.rc == 0);
        REQUIRE(r.lines.size() == 3);
        CHECK(r.lines[0] == "FILENAME FILETYPE FM FORMAT LRECL       RECS     BLOCKS");
        CHECK(r.lines[1] == "BIG      DATA     A1 V       5000          1          2");
        CHECK(r.lines[2] == "ZETA     DATA     A1 V         80          3          1");
        auto quiet = m.run("LISTFILE ZETA DATA A ( FO NOHEADER )");
        CHECK(text(quiet) == "ZETA     DATA     A1 V         80          3          1\n");
    }

    TEST_CASE("listfile date adds the date and time of the last change") {
        Machine m;
        put(m.a / "old.text", "a\n");
        std::tm tm{};
        tm.tm_year = 2023 - 1900;
        tm.tm_mon = 2; // March
        tm.tm_mday = 4;
        tm.tm_hour = 9;
        tm.tm_min = 5;
        tm.tm_sec = 7;
        tm.tm_isdst = -1;
        const std::time_t when = std::mktime(&tm);
        const utimbuf times{when, when};
        REQUIRE(::utime((m.a / "old.text").c_str(), &times) == 0);
        auto r = m.run("LISTFILE OLD TEXT (DATE");
        CHECK(r.rc == 0);
        REQUIRE(r.lines.size() == 2);
        CHECK(r.lines[0] ==
              "FILENAME FILETYPE FM FORMAT LRECL       RECS     BLOCKS     DATE     TIME");
        CHECK(r.lines[1] ==
              "OLD      TEXT     A1 V          1          1          1  3/04/23  9:05:07");
    }

    TEST_CASE("listfile errors: no match 28, not accessed 28, bad operands or option 24") {
        Machine m;
        auto none = m.run("LISTFILE NOSUCH FILE A");
        CHECK(none.rc == 28);
        CHECK(has(text(none), "DMSLST002E File NOSUCH FILE A not found"));
        auto empty = m.run("LISTFILE");
        CHECK(empty.rc == 28);
        CHECK(text(empty) == "DMSLST002E File * * A not found\n");
        auto na = m.run("LISTFILE * * C");
        CHECK(na.rc == 28);
        CHECK(has(text(na), "Filemode C not accessed"));
        CHECK(m.run("LISTFILE A B A7").rc == 24);
        CHECK(m.run("LISTFILE TOOLONGNAME X").rc == 24);
        CHECK(m.run("LISTFILE A B A C").rc == 24);
        auto bad = m.run("LISTFILE * * A (LABELS");
        CHECK(bad.rc == 24);
        CHECK(text(bad) == "DMSLST003E Invalid option: LABELS\n");
    }

} // TEST_SUITE
