// SPDX-License-Identifier: MIT
// Processor tests of what CMS says when the host says no: a disk linked R/W
// whose directory this uid cannot write is accessed and shown R/O, and file
// errors name their cause (read-only, permission denied, no space). The
// cases that need another uid or a full file system run in a forked child
// (as nobody, or in a mount namespace of its own with a tiny tmpfs).
#include "cms_test_support.hpp"

#include <doctest/doctest.h>

#include <cerrno>
#include <cstring>
#include <functional>

#include <grp.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace cms_test;

namespace {

constexpr uid_t nobody = 65534;

/// Runs `body` in a forked child and returns what it returned (its console
/// lines), or "child failed: ..." if it could not run.
std::string in_child(const std::function<std::string()>& body) {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        ::close(fds[0]);
        std::string out;
        try {
            out = body();
        } catch (const std::exception& e) {
            out = std::string("child failed: ") + e.what();
        }
        const char* p = out.data();
        for (std::size_t left = out.size(); left > 0;) {
            const ssize_t n = ::write(fds[1], p, left);
            if (n <= 0) {
                break;
            }
            p += n;
            left -= static_cast<std::size_t>(n);
        }
        ::_exit(0);
    }
    ::close(fds[1]);
    std::string out;
    char buf[4096];
    for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;) {
        out.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fds[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status));
    return out;
}

/// Becomes nobody when running as root (so permissions apply); throws if it cannot.
void drop_root() {
    if (::geteuid() != 0) {
        return;
    }
    if (::setgroups(0, nullptr) != 0 || ::setgid(nobody) != 0 || ::setuid(nobody) != 0) {
        throw std::runtime_error("unable to become nobody");
    }
}

/// The result of each line, joined: the lines, then "rc=N".
std::string run_all(cpd::cms::CommandProcessor& cms, std::initializer_list<const char*> lines) {
    std::string out;
    for (const char* line : lines) {
        const auto r = cms.execute(line);
        out += text(r) + "rc=" + std::to_string(r.rc) + "\n";
    }
    return out;
}

} // namespace

TEST_SUITE("guest.cms.file_errors") {

    TEST_CASE("a disk linked R/W that the host does not let this uid write is accessed R/O") {
        TempDir dir;
        const fs::path ro = dir.path() / "ro";
        put(ro / "readme.text", "hello\n");
        put(ro / "secret.text", "no\n");
        fs::permissions(dir.path(),
                        fs::perms::owner_all | fs::perms::group_exec | fs::perms::others_exec);
        fs::permissions(ro, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                fs::perms::others_read | fs::perms::others_exec);
        fs::permissions(ro / "secret.text", fs::perms::none);
        if (::geteuid() != 0) {
            fs::permissions(ro, fs::perms::owner_write, fs::perm_options::remove);
        }
        const std::string out = in_child([&] {
            drop_root();
            cpd::cms::CommandProcessor cms("user1", {{'A', false, "191", ro.string()}});
            std::string lines;
            for (const std::string& l : cms.ipl()) {
                lines += l + "\n";
            }
            return lines + run_all(cms, {"QUERY DISK", "COPYFILE README TEXT A NEW TEXT A",
                                         "ERASE README TEXT A", "TYPE SECRET TEXT A"});
        });
        CAPTURE(out);
        CHECK(has(out, "DMSACP723I A (191) R/O\n"));
        CHECK(has(out, "CPD191 191  A  R/O        2  "));
        CHECK(has(out, "DMSCPY037E Filemode A is accessed as read/only\nrc=28\n"));
        CHECK(has(out, "DMSERS037E Filemode A is accessed as read/only\nrc=28\n"));
        CHECK(has(out, "DMSTYP104S Error accessing file SECRET TEXT A on filemode A: "
                       "permission denied\nrc=28\n"));
        CHECK(fs::exists(ro / "readme.text"));
    }

    TEST_CASE("a write to a full file system says no space, and leaves no partial file") {
        if (::geteuid() != 0) {
            MESSAGE("needs root for a private tmpfs; the R/O and permission cases still run");
            return;
        }
        TempDir dir;
        const fs::path small = dir.path() / "small";
        const fs::path src = dir.path() / "src";
        fs::create_directories(small);
        put(src / "big.data", std::string(256 * 1024, 'x') + "\n");
        const std::string out = in_child([&] {
            if (::unshare(CLONE_NEWNS) != 0 ||
                ::mount("none", "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0 ||
                ::mount("cms-test", small.c_str(), "tmpfs", 0, "size=16k") != 0) {
                return std::string("child failed: no private tmpfs: ") + std::strerror(errno);
            }
            cpd::cms::CommandProcessor cms(
                "user1", {{'A', false, "191", small.string()}, {'B', true, "192", src.string()}});
            cms.ipl();
            std::string lines = run_all(cms, {"COPYFILE BIG DATA B BIG DATA A", "LISTFILE * * A"});
            std::error_code ec;
            for (const auto& e : fs::directory_iterator(small, ec)) {
                lines += "left: " + e.path().filename().string() + "\n";
            }
            return lines;
        });
        CAPTURE(out);
        REQUIRE_FALSE(has(out, "child failed"));
        CHECK(has(out, "DMSCPY105S Error writing file BIG DATA A on filemode A: no space left on "
                       "disk\nrc=28\n"));
        CHECK(has(out, "DMSLST002E File * * A not found\nrc=28\n"));
        CHECK_FALSE(has(out, "left: "));
    }

    TEST_CASE("host errno values map to the statuses whose messages name them") {
        using cpd::cms::FsStatus;
        using cpd::cms::status_of_errno;
        CHECK(status_of_errno(0) == FsStatus::ok);
        CHECK(status_of_errno(EACCES) == FsStatus::permission_denied);
        CHECK(status_of_errno(EPERM) == FsStatus::permission_denied);
        CHECK(status_of_errno(ENOSPC) == FsStatus::no_space);
        CHECK(status_of_errno(EDQUOT) == FsStatus::no_space);
        CHECK(status_of_errno(EROFS) == FsStatus::read_only);
        CHECK(status_of_errno(EIO) == FsStatus::io_error);
    }

} // TEST_SUITE
