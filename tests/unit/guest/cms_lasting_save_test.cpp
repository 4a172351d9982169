// SPDX-License-Identifier: MIT
// Tests of when LASTING GLOBALV A is written: once per change of a lasting
// variable, never after an SMSG, a GLOBALV subcommand or a logoff that
// changed none. Every save renames a new file into place, so an unchanged
// inode proves the file was not rewritten.
#include "cms_test_support.hpp"

#include "cpd/cms/globalv.hpp"

#include <doctest/doctest.h>

#include <sys/stat.h>

using namespace cms_test;

namespace {

/// The inode of `path` (each save renames a new file over the old one); 0 if missing.
ino_t inode_of(const fs::path& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 ? st.st_ino : 0;
}

} // namespace

TEST_SUITE("guest.cms.lasting_save") {

    TEST_CASE("the store counts only changes that alter the lasting file") {
        cpd::cms::GlobalvStore g;
        CHECK_FALSE(g.is_lasting_dirty());
        g.set("TEMP", "X", "1"); // a session variable is not lasting
        CHECK_FALSE(g.is_lasting_dirty());
        g.set("LASTING", "A", "1");
        CHECK(g.is_lasting_dirty());
        g.mark_lasting_saved();
        const auto saved = g.lasting_changes();

        SUBCASE("the same value again is no change") {
            g.set("lasting", "a", "1");
            g.set("APP", "K", "v", true);
            g.mark_lasting_saved();
            g.set("APP", "K", "v", true);
            g.set("APP", "K", "v"); // stays lasting, same value
            CHECK(g.lasting_changes() == saved + 1);
            CHECK_FALSE(g.is_lasting_dirty());
        }
        SUBCASE("a session variable made lasting with its value unchanged is a change") {
            g.set("TEMP", "X", "1", true);
            CHECK(g.is_lasting_dirty());
        }
        SUBCASE("removing a lasting variable is a change; removing a session one is not") {
            CHECK(g.erase("TEMP", "X"));
            CHECK_FALSE(g.erase("LASTING", "NONE"));
            CHECK_FALSE(g.is_lasting_dirty());
            CHECK(g.erase("LASTING", "A"));
            CHECK(g.is_lasting_dirty());
        }
        SUBCASE("purging a group is a change only if it held a lasting variable") {
            g.purge("TEMP");
            g.purge("NOSUCH");
            CHECK_FALSE(g.is_lasting_dirty());
            g.purge("LASTING");
            CHECK(g.is_lasting_dirty());
        }
    }

    TEST_CASE("an smsg that changes no lasting variable does not rewrite the file") {
        Machine m;
        const fs::path file = m.a / "lasting.globalv";
        m.cms.receive_smsg("oper", "hello");
        const ino_t first = inode_of(file);
        REQUIRE(first != 0);
        for (int i = 0; i < 3; ++i) { // the same sender and text: LMSG* keep their values
            m.cms.receive_smsg("OPER", "hello");
            CHECK(inode_of(file) == first);
        }
        m.cms.receive_smsg("oper", "again");
        CHECK(inode_of(file) != first);
        CHECK(has(get(file), "LASTING LMSGTXT again\n"));
    }

    TEST_CASE("globalv subcommands rewrite the file once per change and not otherwise") {
        Machine m;
        const fs::path file = m.a / "lasting.globalv";
        REQUIRE(m.run("GLOBALV SETL X 1").rc == 0);
        const ino_t saved = inode_of(file);
        REQUIRE(saved != 0);
        for (const char* unchanged :
             {"GLOBALV GET X", "GLOBALV LIST", "GLOBALV SETL X 1", "GLOBALV SET X 1",
              "GLOBALV SELECT temp SET Y 2", "GLOBALV SELECT temp PURGE",
              "GLOBALV SELECT LASTING DELETE NOSUCH"}) {
            CAPTURE(unchanged);
            m.run(unchanged);
            CHECK(inode_of(file) == saved);
        }
        CHECK(m.run("GLOBALV SELECT LASTING SET X 2").rc == 0);
        CHECK(inode_of(file) != saved);
        CHECK(get(file) == "LASTING X 2\n");
    }

    TEST_CASE("logoff writes nothing when every change is saved, and a pending change when not") {
        Machine m;
        const fs::path file = m.a / "lasting.globalv";
        REQUIRE(m.run("GLOBALV SETL X 1").rc == 0);
        const ino_t saved = inode_of(file);
        CHECK(m.cms.logoff().empty());
        CHECK(inode_of(file) == saved);

        REQUIRE(m.run("RELEASE A").rc == 0);
        CHECK(m.run("GLOBALV SET Y 2").rc == 0); // no A-disk: kept in memory, pending
        REQUIRE(m.run("ACCESS 191 A").rc == 0);
        CHECK(m.cms.logoff().empty());
        CHECK(get(file) == "LASTING X 1\nLASTING Y 2\n");
    }

} // TEST_SUITE
