// SPDX-License-Identifier: MIT
// Unit tests of the Directory value type: add, find, POSIXINFO lookup,
// privilege classes and $STATE expansion. The parser has its own test files;
// these build entries by hand.
#include "config/directory/directory.hpp"

#include <doctest/doctest.h>

using cpd::daemon::Directory;
using cpd::daemon::DirectoryEntry;
using cpd::daemon::resolve_host_path;
using cpd::proto::Userid;

namespace {

Userid uid_of(const char* text) {
    auto r = Userid::parse(text);
    REQUIRE(r.has_value());
    return *r;
}

DirectoryEntry entry_for(const char* text) {
    return DirectoryEntry::make(uid_of(text));
}

} // namespace

TEST_SUITE("cpd.directory") {

    TEST_CASE("a new entry has the directory defaults") {
        const DirectoryEntry e = entry_for("alice");
        CHECK(e.userid.str() == "ALICE");
        CHECK(e.classes == "G");
        CHECK_FALSE(e.nolog);
        CHECK(e.maxconn == 64);
        CHECK(e.ipl_program.empty());
        CHECK_FALSE(e.posix_uid.has_value());
        CHECK(e.minidisks.empty());
    }

    TEST_CASE("has_class tests the class letters, in either case") {
        DirectoryEntry e = entry_for("OPERATOR");
        e.classes = "AG1";
        CHECK(e.has_class('A'));
        CHECK(e.has_class('a'));
        CHECK(e.has_class('G'));
        CHECK(e.has_class('1'));
        CHECK_FALSE(e.has_class('B'));
        CHECK_FALSE(e.has_class('2'));
        e.classes.clear();
        CHECK_FALSE(e.has_class('G'));
    }

    TEST_CASE("add refuses a second entry for the same userid") {
        Directory dir;
        CHECK(dir.add(entry_for("ECHO")));
        DirectoryEntry again = entry_for("echo");
        again.classes = "ABCDEFG";
        CHECK_FALSE(dir.add(again));
        REQUIRE(dir.size() == 1);
        CHECK(dir.find(uid_of("ECHO"))->classes == "G");
    }

    TEST_CASE("find returns the entry or nullptr") {
        Directory dir;
        dir.add(entry_for("ECHO"));
        dir.add(entry_for("MAINT"));
        const auto* e = dir.find(uid_of("MAINT"));
        REQUIRE(e != nullptr);
        CHECK(e->userid.str() == "MAINT");
        CHECK(dir.find(uid_of("NOBODY")) == nullptr);
    }

    TEST_CASE("entries are sorted by userid") {
        Directory dir;
        dir.add(entry_for("ZED"));
        dir.add(entry_for("ALPHA"));
        dir.add(entry_for("MAINT"));
        std::string order;
        for (const auto& [id, e] : dir.entries())
            order += std::string(id.str()) + " ";
        CHECK(order == "ALPHA MAINT ZED ");
    }

    TEST_CASE("find_by_posix matches the uid first and then the user name") {
        Directory dir;
        DirectoryEntry oper = entry_for("OPERATOR");
        oper.posix_uid = 0;
        DirectoryEntry alice = entry_for("ALICE");
        alice.posix_uname = "alice";
        DirectoryEntry bob = entry_for("BOB");
        bob.posix_uid = 1001;
        bob.posix_uname = "robert";
        dir.add(oper);
        dir.add(alice);
        dir.add(bob);

        SUBCASE("by uid") {
            const auto* e = dir.find_by_posix(0, "root");
            REQUIRE(e != nullptr);
            CHECK(e->userid.str() == "OPERATOR");
        }
        SUBCASE("by user name") {
            const auto* e = dir.find_by_posix(1000, "alice");
            REQUIRE(e != nullptr);
            CHECK(e->userid.str() == "ALICE");
        }
        SUBCASE("a uid claim wins over a name claim") {
            const auto* e = dir.find_by_posix(1001, "alice");
            REQUIRE(e != nullptr);
            CHECK(e->userid.str() == "BOB");
        }
        SUBCASE("user names are case-sensitive") {
            CHECK(dir.find_by_posix(2000, "Alice") == nullptr);
        }
        SUBCASE("an unknown account matches nothing") {
            CHECK(dir.find_by_posix(4242, "mallory") == nullptr);
            CHECK(dir.find_by_posix(4242, "") == nullptr);
        }
    }

    TEST_CASE("an empty user name never matches an entry without UNAME") {
        Directory dir;
        dir.add(entry_for("ECHO"));
        CHECK(dir.find_by_posix(1000, "") == nullptr);
    }

    TEST_CASE("resolve_host_path expands only a leading $STATE/") {
        CHECK(resolve_host_path("$STATE/disks/MAINT/191", "/var/lib/cpd") ==
              "/var/lib/cpd/disks/MAINT/191");
        CHECK(resolve_host_path("$STATE/disks/MAINT/191", "/var/lib/cpd/") ==
              "/var/lib/cpd/disks/MAINT/191");
        CHECK(resolve_host_path("$STATE/x", "/") == "/x");
        CHECK(resolve_host_path("/srv/disks/191", "/var/lib/cpd") == "/srv/disks/191");
        CHECK(resolve_host_path("/srv/$STATE/191", "/var/lib/cpd") == "/srv/$STATE/191");
    }

} // TEST_SUITE
