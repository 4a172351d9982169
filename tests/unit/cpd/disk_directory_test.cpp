// SPDX-License-Identifier: MIT
// open_disk_directory in a private temp dir standing in for $STATE: the
// directories on the way are cpd's and 0711, the disk 0770, and a symbolic
// link planted below the state directory (as a guest could) fails the walk
// without anything being created in or given away at the link's target.
#include "minidisks/disk_access.hpp"
#include "minidisks/disk_directory.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

using namespace cpd::daemon;
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

/// Opens `host_path` below `state`; "" or the error.
std::string open_disk(const std::string& host_path, const std::string& state) {
    return open_disk_directory(host_path, state).error;
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

TEST_SUITE("cpd.disk_directory") {

    TEST_CASE("$STATE/ minidisk directories are cpd's: 0711 on the way, 0770 for the disk") {
        TempDir tmp;
        const std::string state = tmp.path + "/state";
        CHECK(prepare_disk_area(state, false) == "");
        CHECK(dir_mode(state) == 0711);
        CHECK(dir_mode(state + "/disks") == 0711);
        CHECK(open_disk("$STATE/disks/ALICE/191", state) == "");
        CHECK(dir_mode(state + "/disks/ALICE") == 0711);
        CHECK(dir_mode(state + "/disks/ALICE/191") == 0770);
        // A second logon finds everything in place; a mode changed by hand is put back.
        REQUIRE(::chmod((state + "/disks/ALICE").c_str(), 0777) == 0);
        CHECK(open_disk("$STATE/disks/ALICE/191", state + "/") == "");
        CHECK(dir_mode(state + "/disks/ALICE") == 0711);
    }

    TEST_CASE("the disk area is made with its missing parents") {
        TempDir tmp;
        const std::string state = tmp.path + "/home/.local/state/cpd";
        CHECK(prepare_disk_area(state, false) == "");
        CHECK(dir_mode(tmp.path + "/home/.local") == 0700);
        CHECK(dir_mode(state) == 0711);
        CHECK(dir_mode(state + "/disks") == 0711);
        REQUIRE(std::system(("touch " + tmp.path + "/file").c_str()) == 0);
        CHECK(prepare_disk_area(tmp.path + "/file/state", false) ==
              "unable to create state directory " + tmp.path + "/file/state: Not a directory");
    }

    TEST_CASE("an absolute minidisk path must exist and is not created") {
        TempDir tmp;
        const DiskDirectory d = open_disk_directory(tmp.path + "/absent/191", tmp.path + "/state");
        CHECK(d.error.find("unable to open " + tmp.path + "/absent/191") == 0);
        CHECK(dir_mode(tmp.path + "/absent") == -1);
        CHECK(dir_mode(tmp.path + "/state") == -1);
        CHECK(open_disk(tmp.path, tmp.path + "/state") == "");
    }

    TEST_CASE("an absolute minidisk must be cpd's own and no system directory") {
        TempDir tmp;
        for (const char* path :
             {"/", "/etc", "/etc/cpd", "/usr/lib", "/dev", "//etc", "/tmp/../etc"}) {
            CHECK(open_disk(path, tmp.path) ==
                  std::string(path) + " is a system directory and cannot be a minidisk");
        }
        const std::string foreign = tmp.path + "/foreign";
        REQUIRE(::mkdir(foreign.c_str(), 0755) == 0);
        if (::geteuid() == 0 && ::chown(foreign.c_str(), 65534, 65534) == 0) {
            CHECK(open_disk(foreign, tmp.path).find(foreign + " belongs to uid 65534") == 0);
            CHECK(dir_mode(foreign) == 0755); // left as it was
        }
    }

    TEST_CASE("the ACL of a disk grants each linked uid its mode and nothing to others") {
        const auto acl = encode_disk_acl({{700002, false}, {700001, true}, {700002, true}});
        // version 2, USER_OBJ rwx, USER 700001 rwx, USER 700002 rwx (write wins),
        // GROUP_OBJ ---, MASK rwx, OTHER ---: 4 + 6 * 8 bytes, sorted by tag then id.
        REQUIRE(acl.size() == 4 + 6 * 8);
        auto u16 = [&](std::size_t at) { return acl[at] | (acl[at + 1] << 8); };
        auto u32 = [&](std::size_t at) {
            return static_cast<unsigned>(u16(at) | (u16(at + 2) << 16));
        };
        CHECK(u32(0) == 2);
        const unsigned tags[] = {0x01, 0x02, 0x02, 0x04, 0x10, 0x20};
        const unsigned perms[] = {7, 7, 7, 0, 7, 0};
        for (std::size_t i = 0; i < 6; ++i) {
            CHECK(static_cast<unsigned>(u16(4 + 8 * i)) == tags[i]);
            CHECK(static_cast<unsigned>(u16(6 + 8 * i)) == perms[i]);
        }
        CHECK(u32(8 + 8) == 700001);
        CHECK(u32(8 + 16) == 700002);
        const auto read_only = encode_disk_acl({{5, false}});
        CHECK(static_cast<unsigned>(read_only[4 + 8 + 2]) == 5); // r-x
    }

    TEST_CASE("set_disk_grants writes an ACL the kernel accepts") {
        TempDir tmp;
        const std::string state = tmp.path + "/state";
        DiskDirectory d = open_disk_directory("$STATE/disks/ALICE/191", state);
        REQUIRE(d.error == "");
        const std::string problem = set_disk_grants(d.fd.get(), {{1879048199, false}});
        if (problem == "the file system has no POSIX ACLs") {
            MESSAGE("no POSIX ACLs on /tmp here; not tested");
            return;
        }
        CHECK(problem == "");
        char value[256];
        const ssize_t n =
            ::getxattr(d.path.c_str(), "system.posix_acl_access", value, sizeof value);
        CHECK(n == 4 + 5 * 8);
        CHECK(set_disk_grants(d.fd.get(), {}) == "");
    }

    TEST_CASE("a symbolic link inside a minidisk path fails and is not followed") {
        TempDir tmp;
        const std::string state = tmp.path + "/state";
        const std::string target = tmp.path + "/target";
        REQUIRE(::mkdir(state.c_str(), 0711) == 0);
        REQUIRE(::mkdir(target.c_str(), 0755) == 0);
        REQUIRE(::mkdir((state + "/disks").c_str(), 0700) == 0);
        REQUIRE(::symlink(target.c_str(), (state + "/disks/ALICE").c_str()) == 0);

        const std::string problem = open_disk("$STATE/disks/ALICE/191", state);
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

        const std::string problem = open_disk("$STATE/191", state);
        INFO(problem);
        CHECK(problem.find(state + "/191 is not a directory") == 0);
        CHECK(dir_mode(target) == 0755);
    }

    TEST_CASE("a file in the way fails with a clear message") {
        TempDir tmp;
        const std::string state = tmp.path + "/state";
        REQUIRE(::mkdir(state.c_str(), 0711) == 0);
        REQUIRE(std::system(("touch " + state + "/disks").c_str()) == 0);
        const std::string problem = open_disk("$STATE/disks/191", state);
        CHECK(problem.find(state + "/disks is not a directory") == 0);
    }

    TEST_CASE("'..' in a $STATE/ path is refused at run time too") {
        TempDir tmp;
        const std::string state = tmp.path + "/state";
        CHECK(open_disk("$STATE/../escaped", state) ==
              "minidisk path $STATE/../escaped leaves the state directory");
        CHECK(dir_mode(tmp.path + "/escaped") == -1);
    }

} // TEST_SUITE
