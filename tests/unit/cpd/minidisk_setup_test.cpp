// SPDX-License-Identifier: MIT
// prepare_minidisks in a private temp dir standing in for $STATE: directories
// are created private to the guest user, and a symbolic link planted below the
// state directory (as a guest could) fails the preparation without anything
// being created in or given away at the link's target.
#include "minidisk_setup.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include <sys/stat.h>
#include <unistd.h>

using namespace cpd::daemon;
using cpd::proto::Userid;
namespace fs = std::filesystem;

namespace {

/// A private temp dir, removed at scope end.
struct TempDir {
    std::string path;
    TempDir() {
        char t[] = "/tmp/cpd-mdisk-XXXXXX";
        REQUIRE(::mkdtemp(t) != nullptr);
        path = t;
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

/// An entry with one read-write MDISK 191 at `host_path`.
DirectoryEntry entry_with(const std::string& host_path) {
    DirectoryEntry e = DirectoryEntry::make(*Userid::parse("ALICE"));
    e.minidisks.push_back(Minidisk{"0191", host_path, true, 'A'});
    return e;
}

/// The current user as the guest user: chown to oneself is allowed without root.
std::optional<RunAs> self() {
    return RunAs{::getuid(), ::getgid(), "self", "/"};
}

/// The directory's mode bits, or -1 when `path` is missing or not a directory
/// (links are not followed).
int dir_mode(const std::string& path) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
        return -1;
    return static_cast<int>(st.st_mode & 07777);
}

} // namespace

TEST_SUITE("cpd.minidisk_setup") {

    TEST_CASE("$STATE/ minidisk directories are created private to the guest user") {
        TempDir tmp;
        const std::string state = tmp.path + "/state";
        const auto e = entry_with("$STATE/disks/ALICE/191");
        CHECK(prepare_minidisks(e, state, self()) == "");
        REQUIRE(dir_mode(state) != -1);
        CHECK((dir_mode(state) & ~0711) == 0); // the umask may clear bits, never add them
        for (const char* sub : {"/disks", "/disks/ALICE", "/disks/ALICE/191"}) {
            INFO(sub);
            const int mode = dir_mode(state + sub);
            REQUIRE(mode != -1);
            CHECK((mode & 077) == 0);
        }
        // A second logon finds everything in place.
        CHECK(prepare_minidisks(e, state, self()) == "");
        CHECK(prepare_minidisks(e, state + "/", std::nullopt) == "");
    }

    TEST_CASE("absolute minidisk paths are left alone") {
        TempDir tmp;
        CHECK(prepare_minidisks(entry_with(tmp.path + "/absent/191"), tmp.path + "/state",
                                self()) == "");
        CHECK(dir_mode(tmp.path + "/absent") == -1);
        CHECK(dir_mode(tmp.path + "/state") == -1);
    }

    TEST_CASE("a symbolic link inside a minidisk path fails and is not followed") {
        TempDir tmp;
        const std::string state = tmp.path + "/state";
        const std::string target = tmp.path + "/target";
        REQUIRE(::mkdir(state.c_str(), 0711) == 0);
        REQUIRE(::mkdir(target.c_str(), 0755) == 0);
        REQUIRE(::mkdir((state + "/disks").c_str(), 0700) == 0);
        REQUIRE(::symlink(target.c_str(), (state + "/disks/ALICE").c_str()) == 0);

        const std::string problem =
            prepare_minidisks(entry_with("$STATE/disks/ALICE/191"), state, self());
        INFO(problem);
        CHECK(problem.find(state + "/disks/ALICE is not a directory") == 0);
        CHECK(fs::is_empty(target));
        CHECK(dir_mode(target) == 0755);
    }

    TEST_CASE("a symbolic link as the minidisk directory itself fails") {
        TempDir tmp;
        const std::string state = tmp.path + "/state";
        const std::string target = tmp.path + "/target";
        REQUIRE(::mkdir(state.c_str(), 0711) == 0);
        REQUIRE(::mkdir(target.c_str(), 0755) == 0);
        REQUIRE(::symlink(target.c_str(), (state + "/191").c_str()) == 0);

        const std::string problem = prepare_minidisks(entry_with("$STATE/191"), state, self());
        INFO(problem);
        CHECK(problem.find(state + "/191 is not a directory") == 0);
        CHECK(dir_mode(target) == 0755);
    }

    TEST_CASE("a file in the way fails with a clear message") {
        TempDir tmp;
        const std::string state = tmp.path + "/state";
        REQUIRE(::mkdir(state.c_str(), 0711) == 0);
        REQUIRE(std::system(("touch " + state + "/disks").c_str()) == 0);
        const std::string problem =
            prepare_minidisks(entry_with("$STATE/disks/191"), state, self());
        CHECK(problem.find(state + "/disks is not a directory") == 0);
    }

    TEST_CASE("'..' in a $STATE/ path is refused at run time too") {
        TempDir tmp;
        const std::string state = tmp.path + "/state";
        CHECK(prepare_minidisks(entry_with("$STATE/../escaped"), state, self()) ==
              "minidisk path $STATE/../escaped leaves the state directory");
        CHECK(dir_mode(tmp.path + "/escaped") == -1);
    }

} // TEST_SUITE
