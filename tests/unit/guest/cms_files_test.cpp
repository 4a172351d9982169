// SPDX-License-Identifier: MIT
// Processor tests of the read-only file commands STATE and TYPE on real
// minidisk directories: defaults and every error RC (LISTFILE has its own file).
#include "cms_test_support.hpp"

#include <doctest/doctest.h>

using namespace cms_test;

TEST_SUITE("guest.cms.files") {

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
