// SPDX-License-Identifier: MIT
// The daemon around the guests: start-up exit codes (78 bad directory, 71
// socket in use), the sd_notify sequence on a test NOTIFY_SOCKET, and what a
// guest process inherits (user, environment, descriptors, process name).
#include "test_directory.hpp"

#include "cpd/ipc/unique_fd.hpp"

#include <doctest/doctest.h>

#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace cpd::test;
using cpd::proto::CpRc;

namespace {

/// Reads datagrams until `needle` arrives; returns everything read.
std::string read_notify(int fd, const std::string& needle, std::chrono::milliseconds timeout) {
    std::string all;
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (all.find(needle) == std::string::npos && std::chrono::steady_clock::now() < deadline) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, 100) == 1) {
            char buf[512];
            ssize_t n = ::recv(fd, buf, sizeof buf, 0);
            if (n > 0) {
                all.append(buf, static_cast<std::size_t>(n)).append("|");
            }
        }
    }
    return all;
}

} // namespace

TEST_SUITE("integration.daemon") {

TEST_CASE("a bad directory at start exits 78 naming file and line") {
    HarnessConfig c = test_config("");
    c.directory = "USER OK NOPASS 16M 16M G\nUSER BAD!ID NOPASS\nIPL\n";
    CpdHarness cpd(c);
    CHECK_FALSE(cpd.start(3s));
    int status = cpd.wait_exit(5s);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 78);
    CHECK(cpd.log().find("user.direct:2") != std::string::npos);
    CHECK(cpd.log().find("user.direct:3") != std::string::npos);
}

TEST_CASE("a socket another cpd listens on exits 71") {
    CpdHarness first(test_config(""));
    REQUIRE(first.start());
    HarnessConfig c = test_config("");
    c.env = {"CPD_SOCKET=" + first.socket_path()}; // the environment beats cpd.conf
    CpdHarness second(c);
    CHECK_FALSE(second.start(2s));
    int status = second.wait_exit(5s);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 71);
    CHECK(first.connect().cp("Q USERS").rc == CpRc::ok); // the first one is untouched
}

TEST_CASE("cpd tells the service manager ready, reloading, status and stopping") {
    char tmpl[] = "/tmp/cpd-notify-XXXXXX";
    REQUIRE(::mkdtemp(tmpl) != nullptr);
    std::string path = std::string(tmpl) + "/notify";
    cpd::ipc::UniqueFd fd(::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path.c_str());
    REQUIRE(::bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    HarnessConfig c = test_config("ECHO");
    c.env = {"NOTIFY_SOCKET=" + path};
    {
        CpdHarness cpd(c);
        REQUIRE(cpd.start());
        std::string seen = read_notify(fd.get(), "READY=1", 3s);
        CHECK(seen.find("READY=1\nSTATUS=1 guest logged on") != std::string::npos);
        ::kill(cpd.pid(), SIGHUP);
        seen = read_notify(fd.get(), "READY=1", 3s);
        CHECK(seen.find("RELOADING=1\nMONOTONIC_USEC=") == 0);
        cpd.connect().cp("XAUTOLOG SINK");
        CHECK(read_notify(fd.get(), "STATUS=2 guests", 3s).find("STATUS=2 guests logged on") !=
              std::string::npos);
        pid_t echo = cpd.guest_pid("ECHO");
        REQUIRE(echo > 0);
        std::string environ = read_file("/proc/" + std::to_string(echo) + "/environ");
        CHECK(environ.find("NOTIFY_SOCKET") == std::string::npos);
        cpd.stop(SIGTERM);
        CHECK(read_notify(fd.get(), "STOPPING=1", 3s).find("STOPPING=1") != std::string::npos);
    }
    std::filesystem::remove_all(tmpl);
}

TEST_CASE("a guest inherits only its rings, a clean environment and its userid as name") {
    HarnessConfig c = test_config("ECHO");
    c.env = {"CPD_SECRET_FOR_CPD=1", "LISTEN_FDS=7"};
    CpdHarness cpd(c);
    REQUIRE(cpd.start());
    pid_t pid = cpd.guest_pid("ECHO");
    REQUIRE(pid > 0);
    std::string proc = "/proc/" + std::to_string(pid);
    std::vector<std::string> fds;
    for (const auto& e : std::filesystem::directory_iterator(proc + "/fd")) {
        fds.push_back(e.path().filename().string());
    }
    std::sort(fds.begin(), fds.end());
    // 0-2 stdio, 3 segment, 4-5 doorbells; whatever the runtime opened itself
    // (its own epoll and eventfds) must not be anything of cpd's: no sockets.
    for (const auto& f : fds) {
        std::string target = std::filesystem::read_symlink(proc + "/fd/" + f).string();
        CHECK_MESSAGE(target.find("socket:") != 0, "fd " << f << " -> " << target);
    }
    CHECK(std::filesystem::read_symlink(proc + "/fd/3").string().find("memfd:") != std::string::npos);
    std::string environ = read_file(proc + "/environ");
    CHECK(environ.find("CPD_GUEST_USERID=ECHO") != std::string::npos);
    CHECK(environ.find("CPD_SECRET") == std::string::npos);
    CHECK(environ.find("LISTEN_FDS") == std::string::npos);
    CHECK(read_file(proc + "/cmdline").rfind("cpd:ECHO", 0) == 0);
    if (::geteuid() == 0) {
        std::string status = read_file(proc + "/status");
        // "Uid:\treal\teffective\tsaved\tfs" (that line only), "Gid:" alike:
        // never root.
        for (const std::string key : {"\nUid:", "\nGid:"}) {
            const auto at = status.find(key);
            REQUIRE_MESSAGE(at != std::string::npos, key.substr(1) << " missing in " << status);
            const auto line = status.substr(at + 1, status.find('\n', at + 1) - at - 1);
            std::istringstream fields(line.substr(4));
            int ids = 0;
            for (long id = 0; fields >> id; ++ids) {
                CHECK_MESSAGE(id != 0, "field " << ids << " is 0: " << line);
            }
            CHECK_MESSAGE(ids == 4, line);
        }
    }
}

TEST_CASE("a guest logged on by a connected client inherits none of cpd's sockets") {
    CpdHarness cpd(test_config(""));
    REQUIRE(cpd.start());
    Client watcher = cpd.connect(); // open control connections when the guest is forked
    Client op = cpd.connect();
    REQUIRE(watcher.cp("Q USERS").rc == CpRc::ok);
    REQUIRE(op.cp("XAUTOLOG SINK").rc == CpRc::ok);
    pid_t pid = cpd.guest_pid("SINK");
    REQUIRE(pid > 0);
    const std::string proc = "/proc/" + std::to_string(pid);
    for (const auto& e : std::filesystem::directory_iterator(proc + "/fd")) {
        std::error_code ec;
        const std::string target = std::filesystem::read_symlink(e.path(), ec).string();
        CHECK_MESSAGE(target.find("socket:") != 0, e.path().filename() << " -> " << target);
    }
}

TEST_CASE("a guest program that cannot be executed ends its logon, and QUERY and the log say why") {
    HarnessConfig c = test_config("");
    c.directory += "USER NOEXEC NOPASS 16M 16M G\n IPL $DIR/noexec\n";
    CpdHarness cpd(c);
    REQUIRE(cpd.start());
    const std::string program = cpd.dir() + "/noexec";
    {
        std::ofstream(program) << "neither #! nor ELF\n"; // passes access(X_OK); execve: ENOEXEC
    }
    std::filesystem::permissions(program, std::filesystem::perms::owner_all |
                                              std::filesystem::perms::others_exec |
                                              std::filesystem::perms::group_exec);
    Client op = cpd.connect();
    // Answered at fork, as z/VM answers AUTOLOG before the guest's IPL: cpd
    // does not wait for the exec.
    CHECK(op.cp("XAUTOLOG NOEXEC").rc == CpRc::ok);
    const std::string why = program + ": " + std::strerror(ENOEXEC);
    CHECK(cpd.wait_for_log("supervisor: NOEXEC: unable to log on: " + why));
    Reply q;
    CHECK(wait_until([&] { return (q = op.cp("Q NOEXEC")).rc == CpRc::not_logged_on; }, 5s));
    CHECK(q.text == "HCPCQU045E NOEXEC not logged on\nNOEXEC   last session ended: could not be "
                    "started: " + why);
    CHECK(op.cp("XAUTOLOG SINK").rc == CpRc::ok); // cpd carries on
    CHECK(cpd.guest_pid("SINK") > 0);
    CHECK(cpd.guest_pids().size() == 1); // SINK alone: nothing left of NOEXEC
    CHECK(cpd.stop() == 0);
}

} // TEST_SUITE
