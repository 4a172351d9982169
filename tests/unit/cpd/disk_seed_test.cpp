// SPDX-License-Identifier: MIT
// The first files of a new minidisk: open_disk_directory copies the seed
// directory's regular files (0644) into a $STATE/disks/ disk it creates, and
// never into a disk that already existed; links and subdirectories in the
// seed tree are skipped, and a missing seed directory is no error.
#include "minidisks/disk_directory.hpp"
#include "minidisks/disk_seed.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <sys/stat.h>

using namespace cpd::daemon;
namespace fs = std::filesystem;

namespace {

/// A private temp dir with a state directory and a seed tree, removed at scope end.
struct SeedRig {
    std::string path;
    std::string state;
    std::string seed;
    SeedRig() {
        char t[] = "/tmp/cpd-seed-XXXXXX";
        REQUIRE(::mkdtemp(t) != nullptr);
        path = t;
        state = path + "/state";
        seed = path + "/conf/disks";
        REQUIRE(prepare_disk_area(state, false) == "");
    }
    ~SeedRig() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
    void put(const std::string& rel, const std::string& text) const {
        fs::create_directories(fs::path(seed + "/" + rel).parent_path());
        std::ofstream(seed + "/" + rel) << text;
    }
};

std::string read(const std::string& path) {
    std::ifstream in(path);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

int file_mode(const std::string& path) {
    struct stat st {};
    return ::lstat(path.c_str(), &st) == 0 ? static_cast<int>(st.st_mode & 07777) : -1;
}

} // namespace

TEST_SUITE("cpd.disk_seed") {

    TEST_CASE("a new $STATE/disks/ disk gets its seed files, readable by linked guests") {
        SeedRig rig;
        rig.put("MAINT/191/profile.exec", "/* PROFILE EXEC */\n");
        rig.put("MAINT/191/readme.text", "Welcome\n");
        rig.put("MAINT/191/sub/nested.text", "not a seed file\n");
        fs::create_symlink("/etc/passwd", rig.seed + "/MAINT/191/passwd.text");
        const DiskDirectory d = open_disk_directory("$STATE/disks/MAINT/191", rig.state, rig.seed);
        REQUIRE(d.error == "");
        const std::string disk = rig.state + "/disks/MAINT/191";
        CHECK(read(disk + "/profile.exec") == "/* PROFILE EXEC */\n");
        CHECK(read(disk + "/readme.text") == "Welcome\n");
        CHECK(file_mode(disk + "/profile.exec") == 0644);
        CHECK_FALSE(fs::exists(fs::symlink_status(disk + "/passwd.text")));
        CHECK_FALSE(fs::exists(disk + "/sub"));
    }

    TEST_CASE("a disk that already exists is never seeded again") {
        SeedRig rig;
        rig.put("MAINT/191/profile.exec", "seed\n");
        REQUIRE(open_disk_directory("$STATE/disks/MAINT/191", rig.state, rig.seed).error == "");
        const std::string profile = rig.state + "/disks/MAINT/191/profile.exec";
        fs::remove(profile); // the user erased it
        rig.put("MAINT/191/later.text", "added to the seed later\n");
        REQUIRE(open_disk_directory("$STATE/disks/MAINT/191", rig.state, rig.seed).error == "");
        CHECK_FALSE(fs::exists(profile));
        CHECK_FALSE(fs::exists(rig.state + "/disks/MAINT/191/later.text"));
    }

    TEST_CASE("no seed directory, no seed root or a path outside $STATE/disks/ copies nothing") {
        SeedRig rig;
        rig.put("MAINT/191/profile.exec", "seed\n");
        CHECK(open_disk_directory("$STATE/disks/BOB/191", rig.state, rig.seed).error == "");
        CHECK(fs::is_empty(rig.state + "/disks/BOB/191"));
        CHECK(open_disk_directory("$STATE/disks/MAINT/191", rig.state).error == "");
        CHECK(fs::is_empty(rig.state + "/disks/MAINT/191"));
        CHECK(seed_dir_of("$STATE/other/MAINT/191", rig.seed) == "");
        CHECK(seed_dir_of("/srv/disks/MAINT/191", rig.seed) == "");
        CHECK(seed_dir_of("$STATE/disks/MAINT/191", rig.seed) == rig.seed + "/MAINT/191");
    }

} // TEST_SUITE
