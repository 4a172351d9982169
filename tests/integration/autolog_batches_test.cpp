// SPDX-License-Identifier: MIT
// The autolog list is started in batches, one per turn of cpd's loop: a
// SIGTERM that arrives while a long list is being started is served at once,
// stops the list, and cpd ends in order. The list is held mid-way by the test
// itself, not by a slow machine: it takes the sweep lock of cpd's guest uid
// range, so every guest's child waits before exec, the spawn helper's slots
// fill, and the autolog waits for orders to start.
#include "test_directory.hpp"

#include <doctest/doctest.h>

#include <csignal>
#include <cstddef>
#include <string>

#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace cpd::test;
using cpd::proto::CpRc;

namespace {

/// Binds the abstract socket "cpd-sweep-<sweeper>" that isolation/sweep_lock
/// takes as its lock; the descriptor holds it until closed (-1 if taken).
int hold_sweep_lock(unsigned sweeper) {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    const std::string name = "cpd-sweep-" + std::to_string(sweeper);
    name.copy(addr.sun_path + 1, name.size()); // sun_path[0] = '\0': abstract
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const auto len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + name.size());
    if (fd >= 0 && ::bind(fd, reinterpret_cast<const sockaddr*>(&addr), len) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

} // namespace

TEST_SUITE("integration.autolog_batches") {

    TEST_CASE("SIGTERM during a long autolog stops the list and shuts down") {
        constexpr int n = 600;
        HarnessConfig c;
        c.directory = "USER OPERATOR NOPASS 64M 128M ABCDEFG\n POSIXINFO UID 0\n";
        for (int i = 0; i < n; ++i) {
            const std::string id = "A" + std::to_string(i);
            c.directory += "USER " + id + " NOPASS 16M 16M G\n IPL SINK\n";
            c.autolog += (c.autolog.empty() ? "" : " ") + id;
        }
        c.guest_uid_count = n + 16; // this test starts one cpd at a time
        CpdHarness cpd(c);
        const int lock = hold_sweep_lock(cpd.guest_uid_base());
        REQUIRE(lock >= 0);
        // start() waits for READY, which comes only after the whole list:
        // give it too little time, then talk to cpd while the list waits.
        (void)cpd.start(1s);
        REQUIRE(cpd.pid() > 0);
        Client op;
        REQUIRE(wait_until([&] { return (op = cpd.connect()).ok(); }, 10s));
        CHECK(op.cp("Q N").rc == CpRc::ok); // served during the autolog
        CHECK(cpd.log().find("cpd: ready") == std::string::npos); // the list is held
        REQUIRE(::kill(cpd.pid(), SIGTERM) == 0);
        REQUIRE(cpd.wait_for_log("cpd: shutdown by SIGTERM"));
        ::close(lock); // the held children go on, to be ended by the shutdown
        const int status = cpd.wait_exit(60s);
        REQUIRE(status != -1);
        CHECK(WIFEXITED(status));
        CHECK(WEXITSTATUS(status) == 0);
        const std::string log = cpd.log();
        CHECK(log.find("cpd: shutdown by SIGTERM") != std::string::npos);
        CHECK(log.find("users not logged on") != std::string::npos);
        CHECK(log.find("cpd: ready") == std::string::npos);
    }

} // TEST_SUITE
