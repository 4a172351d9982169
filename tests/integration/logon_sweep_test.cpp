// SPDX-License-Identifier: MIT
// The sweep at logon by the guest's own cgroup: a new incarnation whose
// group holds nothing but itself takes its uid without a kill(-1) walk of
// every process on the host; a process of the guest's uid left in its group
// (planted here by the test, as a previous incarnation could leave it) is
// killed before the new incarnation runs. Needs root and a memory cgroup.
#include "test_directory.hpp"

#include <doctest/doctest.h>

#include <cerrno>
#include <csignal>

#include <fcntl.h>
#include <grp.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace cpd::test;
using cpd::proto::CpRc;

namespace {

/// The directory of `pid`'s v1 memory group, or its v2 group ("" if none).
std::string memory_group_of(pid_t pid) {
    std::string unified;
    for (const std::string& line : read_lines("/proc/" + std::to_string(pid) + "/cgroup")) {
        const auto first = line.find(':');
        const auto second = line.find(':', first + 1);
        const std::string controllers = "," + line.substr(first + 1, second - first - 1) + ",";
        if (controllers.find(",memory,") != std::string::npos) {
            std::string dir = "/sys/fs/cgroup/memory";
            dir += line.substr(second + 1);
            return dir;
        }
        if (line.starts_with("0::")) {
            unified = "/sys/fs/cgroup";
            unified += line.substr(second + 1);
        }
    }
    return unified;
}

/// Forks a process that joins `group` and takes `uid`, as a guest's leftover
/// would be: in the group, under the uid, doing nothing. Returns its pid.
pid_t plant_leftover(const std::string& group, uid_t uid) {
    const std::string procs = group + "/cgroup.procs";
    const pid_t pid = ::fork();
    if (pid == 0) {
        const int fd = ::open(procs.c_str(), O_WRONLY | O_CLOEXEC);
        if (fd < 0 || ::write(fd, "0", 1) != 1 || ::setgroups(0, nullptr) != 0 ||
            ::setresgid(uid, uid, uid) != 0 || ::setresuid(uid, uid, uid) != 0) {
            ::_exit(1);
        }
        ::prctl(PR_SET_PDEATHSIG, SIGKILL); // never outlives the test
        for (;;) {
            ::pause();
        }
    }
    return pid;
}

/// True once `pid` is listed in `group`'s cgroup.procs.
bool in_group(const std::string& group, pid_t pid) {
    for (const std::string& line : read_lines(group + "/cgroup.procs")) {
        if (line == std::to_string(pid)) {
            return true;
        }
    }
    return false;
}

} // namespace

TEST_SUITE("integration.logon_sweep") {

    TEST_CASE("a process left in a guest's cgroup is killed before its next incarnation runs") {
        if (not_root()) {
            return;
        }
        CpdHarness cpd(test_config("ECHO"));
        REQUIRE(cpd.start());
        REQUIRE(wait_until([&] { return cpd.guest_pid("ECHO") != 0; }, 10s));
        const pid_t first = cpd.guest_pid("ECHO");
        const std::string group = memory_group_of(first);
        if (cpd.log().find("cgroup") == std::string::npos || !group.ends_with("/ECHO")) {
            MESSAGE("cpd uses no memory cgroup here: the sweep by cgroup is not tested");
            return;
        }
        struct stat st {};
        REQUIRE(::stat(("/proc/" + std::to_string(first)).c_str(), &st) == 0);
        const uid_t uid = st.st_uid;
        Client op = cpd.connect();
        REQUIRE(op.cp("FORCE ECHO").rc == CpRc::ok);
        REQUIRE(
            wait_until([&] { return cpd.guest_pid("ECHO") == 0 && !process_exists(first); }, 10s));
        // cpd removes the empty group at logoff; the leftover's group is the
        // one the next logon finds (a group cpd could not remove is reused).
        REQUIRE((::mkdir(group.c_str(), 0755) == 0 || errno == EEXIST));
        const pid_t leftover = plant_leftover(group, uid);
        REQUIRE(leftover > 0);
        REQUIRE(wait_until([&] { return in_group(group, leftover); }, 5s));
        CHECK(process_alive(leftover));

        REQUIRE(op.cp("XAUTOLOG ECHO").rc == CpRc::ok);
        REQUIRE(wait_until([&] { return cpd.guest_pid("ECHO") != 0; }, 10s));
        int status = 0;
        CHECK(wait_until([&] { return ::waitpid(leftover, &status, WNOHANG) == leftover; }, 10s));
        CHECK(WIFSIGNALED(status));
        CHECK(WTERMSIG(status) == SIGKILL);
        // The new incarnation survived its own sweep and answers.
        CHECK(op.smsg("ECHO", "hello").rc == CpRc::ok);
        CHECK(process_alive(cpd.guest_pid("ECHO")));
        if (::waitpid(leftover, &status, WNOHANG) == 0) { // failed above: clean up
            ::kill(leftover, SIGKILL);
            ::waitpid(leftover, &status, 0);
        }
    }
}
