// SPDX-License-Identifier: MIT
// Processor tests of ERASE, COPYFILE and RENAME on real minidisk directories:
// the file really changes on success, never on failure, and each error RC.
#include "cms_test_support.hpp"

#include <doctest/doctest.h>

using namespace cms_test;
namespace fs = std::filesystem;

TEST_SUITE("guest.cms.file_update") {

    TEST_CASE("erase removes the file from the A-disk") {
        Machine m;
        put(m.a / "old.file", "x");
        auto r = m.run("ERASE OLD FILE");
        CHECK(r.rc == 0);
        CHECK(r.lines.empty());
        CHECK_FALSE(fs::exists(m.a / "old.file"));
    }

    TEST_CASE("erase errors: missing, read-only, not accessed, wildcard 28; syntax 24") {
        Machine m;
        put(m.b / "keep.file", "x");
        auto miss = m.run("ERASE OLD FILE A");
        CHECK(miss.rc == 28);
        CHECK(has(text(miss), "DMSERS002E File OLD FILE A not found"));
        auto ro = m.run("ERASE KEEP FILE B");
        CHECK(ro.rc == 28);
        CHECK(has(text(ro), "Filemode B is accessed as read/only"));
        CHECK(fs::exists(m.b / "keep.file"));
        CHECK(m.run("ERASE KEEP FILE C").rc == 28);
        CHECK(m.run("ERASE * FILE B").rc == 28);
        CHECK(m.run("ERASE KEEP").rc == 24);
    }

    TEST_CASE("copyfile copies in the 6, 5 and 4 operand forms and with =") {
        Machine m;
        put(m.b / "src.data", "payload\n");
        SUBCASE("six operands") {
            CHECK(m.run("COPYFILE SRC DATA B DST DATA A").rc == 0);
            CHECK(get(m.a / "dst.data") == "payload\n");
        }
        SUBCASE("five operands: target on A") {
            CHECK(m.run("COPYFILE SRC DATA * DST DATA").rc == 0);
            CHECK(get(m.a / "dst.data") == "payload\n");
        }
        SUBCASE("four operands: both on A") {
            put(m.a / "one.data", "1");
            CHECK(m.run("COPYFILE ONE DATA TWO DATA").rc == 0);
            CHECK(get(m.a / "two.data") == "1");
        }
        SUBCASE("equals keeps the source's fn and ft; options are accepted") {
            CHECK(m.run("COPYFILE SRC DATA B = = A (REPLACE").rc == 0);
            CHECK(get(m.a / "src.data") == "payload\n");
        }
        SUBCASE("the target is replaced") {
            put(m.a / "dst.data", "old contents that are longer");
            CHECK(m.run("COPYFILE SRC DATA B DST DATA A").rc == 0);
            CHECK(get(m.a / "dst.data") == "payload\n");
        }
    }

    TEST_CASE("copyfile errors: missing source, read-only target, wildcard 28; syntax 24") {
        Machine m;
        put(m.a / "src.data", "x");
        auto miss = m.run("COPYFILE NONE DATA A DST DATA A");
        CHECK(miss.rc == 28);
        CHECK(has(text(miss), "DMSCPY002E File NONE DATA A not found"));
        auto ro = m.run("COPYFILE SRC DATA A DST DATA B");
        CHECK(ro.rc == 28);
        CHECK(has(text(ro), "Filemode B is accessed as read/only"));
        CHECK_FALSE(fs::exists(m.b / "dst.data"));
        CHECK(m.run("COPYFILE SRC DATA A DST DATA C").rc == 28);
        CHECK(m.run("COPYFILE * DATA A DST DATA A").rc == 28);
        CHECK(m.run("COPYFILE SRC DATA A").rc == 24);
        CHECK(m.run("COPYFILE SRC DATA A DST DATA *").rc == 24);
        CHECK(m.run("COPYFILE A B C D E F G").rc == 24);
    }

    TEST_CASE("rename renames on the same disk in the 6, 5 and 4 operand forms") {
        Machine m;
        put(m.a / "old.file", "content");
        SUBCASE("six") {
            CHECK(m.run("RENAME OLD FILE A NEW FILE A").rc == 0);
        }
        SUBCASE("five") {
            CHECK(m.run("RENAME OLD FILE A NEW FILE").rc == 0);
        }
        SUBCASE("four") {
            CHECK(m.run("RENAME OLD FILE NEW FILE").rc == 0);
        }
        SUBCASE("equals") {
            CHECK(m.run("RENAME OLD FILE A NEW = =").rc == 0);
        }
        CHECK_FALSE(fs::exists(m.a / "old.file"));
        CHECK(get(m.a / "new.file") == "content");
    }

    TEST_CASE("rename errors: other disk, missing, existing target, read-only 28; syntax 24") {
        Machine m;
        put(m.a / "old.file", "1");
        put(m.a / "taken.file", "2");
        put(m.b / "ro.file", "3");
        auto other = m.run("RENAME OLD FILE A NEW FILE B");
        CHECK(other.rc == 28);
        CHECK(has(text(other), "same disk"));
        auto miss = m.run("RENAME NONE FILE A NEW FILE A");
        CHECK(miss.rc == 28);
        auto taken = m.run("RENAME OLD FILE A TAKEN FILE A");
        CHECK(taken.rc == 28);
        CHECK(has(text(taken), "DMSREN024E File TAKEN FILE A already exists"));
        CHECK(get(m.a / "taken.file") == "2");
        CHECK(m.run("RENAME RO FILE B NEW FILE B").rc == 28);
        CHECK(fs::exists(m.b / "ro.file"));
        CHECK(m.run("RENAME OLD * A NEW FILE A").rc == 28);
        CHECK(m.run("RENAME OLD FILE").rc == 24);
        CHECK(fs::exists(m.a / "old.file"));
    }

} // TEST_SUITE
