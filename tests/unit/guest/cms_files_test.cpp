// SPDX-License-Identifier: MIT
// Processor tests of the read-only file commands LISTFILE, STATE and TYPE on
// real minidisk directories: matches, ordering, defaults, and every error RC.
#include "cms_test_support.hpp"

#include <doctest/doctest.h>

using namespace cms_test;

TEST_SUITE("guest.cms.files") {

    TEST_CASE("listfile shows matches sorted by fn, ft and disk with line counts") {
        Machine m;
        put(m.a / "zeta.data", "1\n2\n3\n");
        put(m.a / "alpha.exec", "say hi");
        put(m.b / "alpha.exec", "");
        put(m.b / "beta.exec", "x\n");
        SUBCASE("fm star searches every disk") {
            auto r = m.run("LISTFILE * * *");
            CHECK(r.rc == 0);
            CHECK(text(r) == "ALPHA EXEC A1  1 lines\nALPHA EXEC B1  0 lines\n"
                             "BETA EXEC B1  1 lines\nZETA DATA A1  3 lines\n");
        }
        SUBCASE("fm defaults to A") {
            auto r = m.run("listfile * exec");
            CHECK(r.rc == 0);
            CHECK(text(r) == "ALPHA EXEC A1  1 lines\n");
        }
        SUBCASE("patterns select names") {
            auto r = m.run("LISTFILE B* EX%C B");
            CHECK(text(r) == "BETA EXEC B1  1 lines\n");
        }
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
        CHECK(text(r) == "REAL FILE A1  1 lines\n");
    }

    TEST_CASE("listfile errors: no match 28, not accessed 28, bad operands 24") {
        Machine m;
        auto none = m.run("LISTFILE NOSUCH FILE A");
        CHECK(none.rc == 28);
        CHECK(has(text(none), "DMSLST002E File NOSUCH FILE A not found"));
        auto na = m.run("LISTFILE * * C");
        CHECK(na.rc == 28);
        CHECK(has(text(na), "Filemode C not accessed"));
        CHECK(m.run("LISTFILE").rc == 24);
        CHECK(m.run("LISTFILE ONLYFN").rc == 24);
        CHECK(m.run("LISTFILE A B A7").rc == 24);
        CHECK(m.run("LISTFILE TOOLONGNAME X").rc == 24);
    }

    TEST_CASE("state finds a file and reports its disk and mode digit") {
        Machine m;
        put(m.b / "profile.exec", "x");
        auto r = m.run("STATE PROFILE EXEC *");
        CHECK(r.rc == 0);
        CHECK(text(r) == "PROFILE EXEC B1\n");
        auto d = m.run("state profile exec b2");
        CHECK(d.rc == 0);
        CHECK(text(d) == "PROFILE EXEC B2\n");
    }

    TEST_CASE("state errors: missing 28, not accessed or wildcard 20, syntax 24") {
        Machine m;
        auto miss = m.run("STATE PROFILE EXEC");
        CHECK(miss.rc == 28);
        CHECK(text(miss) == "DMSSTT002E File PROFILE EXEC A not found\n");
        CHECK(m.run("STATE PROFILE EXEC Q").rc == 20);
        CHECK(m.run("STATE * EXEC A").rc == 20);
        CHECK(m.run("STATE").rc == 24);
        CHECK(m.run("STATE PROFILE").rc == 24);
        CHECK(m.run("STATE A B C D").rc == 24);
    }

    TEST_CASE("type prints the lines of a file found on any disk") {
        Machine m;
        put(m.b / "notes.text", "first line\r\n\nthird\x01 line");
        auto r = m.run("TYPE NOTES TEXT");
        CHECK(r.rc == 0);
        CHECK(text(r) == "first line\n\nthird. line\n");
        CHECK(m.run("TYPE NOTES TEXT B").rc == 0);
    }

    TEST_CASE("type errors: missing 28, wrong disk 28, wildcard 20, syntax 24") {
        Machine m;
        put(m.b / "notes.text", "x");
        auto miss = m.run("TYPE NOTES TEXT A");
        CHECK(miss.rc == 28);
        CHECK(has(text(miss), "DMSTYP002E File NOTES TEXT A not found"));
        CHECK(m.run("TYPE NOTES TEXT Z").rc == 28);
        CHECK(m.run("TYPE * TEXT").rc == 20);
        CHECK(m.run("TYPE NOTES").rc == 24);
        CHECK(m.run("TYPE").rc == 24);
    }

} // TEST_SUITE
