// SPDX-License-Identifier: MIT
// GuestUidMap: uids handed out in batches with one write of the map, kept
// across a reload, never twice, and all-or-nothing when the range runs out.
#include "isolation/guest_uids.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <vector>

#include <unistd.h>

using cpd::daemon::GuestUidMap;
using cpd::proto::Userid;

namespace {

/// A map file of its own under /tmp, removed at the end of the test.
struct MapFile {
    std::string path = "/tmp/cpd-uidmap-test." + std::to_string(::getpid());
    MapFile() { std::filesystem::remove(path); }
    ~MapFile() { std::filesystem::remove(path); }
    /// Lines in the file.
    long lines() const {
        std::ifstream in(path);
        std::stringstream s;
        s << in.rdbuf();
        const std::string text = s.str();
        return std::count(text.begin(), text.end(), '\n');
    }
};

Userid id(const char* name) {
    return *Userid::parse(name);
}

// Far above any id a test machine's NSS knows.
constexpr uid_t base = 0x7A5A0000;

} // namespace

TEST_SUITE("cpd.guest_uid_map") {
    TEST_CASE("a batch gets distinct uids in one write, and a reload finds them") {
        MapFile file;
        GuestUidMap map(file.path, base, 256);
        REQUIRE(map.load().empty());
        const std::vector<Userid> batch{id("ALICE"), id("BOB"), id("ALICE"), id("CAROL")};
        std::string error;
        REQUIRE(map.assign(batch, error));
        std::set<uid_t> uids;
        for (const char* name : {"ALICE", "BOB", "CAROL"}) {
            const auto uid = map.find(id(name));
            REQUIRE(uid);
            CHECK(*uid > base); // the base is the sweeper's
            CHECK(*uid < base + 256);
            uids.insert(*uid);
        }
        CHECK(uids.size() == 3);
        CHECK(file.lines() == 3); // ALICE once

        GuestUidMap again(file.path, base, 256);
        REQUIRE(again.load().empty());
        for (const char* name : {"ALICE", "BOB", "CAROL"}) {
            CHECK(again.find(id(name)) == map.find(id(name)));
        }
        // Known users keep their uid; a new one gets none of theirs.
        const auto dave = again.uid_of(id("DAVE"), error);
        REQUIRE(dave);
        CHECK(uids.count(*dave) == 0);
        CHECK(again.uid_of(id("BOB"), error) == map.find(id("BOB")));
    }

    TEST_CASE("a batch that does not fit the range gives no uid to any of its users") {
        MapFile file;
        GuestUidMap map(file.path, base, 4); // base + 1 .. base + 3
        REQUIRE(map.load().empty());
        std::string error;
        REQUIRE(map.assign(std::vector<Userid>{id("ONE"), id("TWO")}, error));
        CHECK_FALSE(map.assign(std::vector<Userid>{id("THREE"), id("FOUR")}, error));
        CHECK(error.find("guest uids are in use") != std::string::npos);
        CHECK_FALSE(map.find(id("THREE")));
        CHECK_FALSE(map.find(id("FOUR")));
        CHECK(file.lines() == 2);
        error.clear();
        CHECK(map.uid_of(id("THREE"), error)); // the last one still fits alone
    }
}
