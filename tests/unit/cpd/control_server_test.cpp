// SPDX-License-Identifier: MIT
// ControlServer on a real listening socket in a private directory: accepted
// connections are close-on-exec (a guest forked later must not inherit one)
// and each gets a session.
#include "control/control_server.hpp"

#include "cpd/ipc/frame_io.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

using namespace cpd::daemon;

namespace {

/// Maps every uid to OPERATOR and counts the sessions that asked.
class AnyoneBackend : public ControlBackend {
  public:
    int identify_calls = 0;
    std::optional<Caller> identify(uid_t) override {
        ++identify_calls;
        return Caller{*cpd::proto::Userid::parse("OPERATOR"), "G", false};
    }
    CpOutcome command(const Caller&, std::string_view) override { return {}; }
    CpOutcome smsg(const Caller&, const cpd::proto::Userid&, std::string_view) override {
        return {};
    }
    void listen(const cpd::proto::Userid&, SmsgListener*) override {}
    void unlisten(SmsgListener*) override {}
    bool console_frame(ControlSession&, const Caller&, const cpd::proto::ClientFrame&) override {
        return false;
    }
};

/// The octal "flags:" field of /proc/self/fdinfo/<fd>.
long fd_flags(int fd) {
    std::ifstream in("/proc/self/fdinfo/" + std::to_string(fd));
    std::string key;
    long flags = -1;
    while (in >> key) {
        if (key == "flags:") {
            in >> std::oct >> flags;
            break;
        }
    }
    return flags;
}

} // namespace

TEST_SUITE("cpd.control_server") {

    TEST_CASE("accepted connections are close-on-exec") {
        char tmpl[] = "/tmp/cpd-server-XXXXXX";
        REQUIRE(::mkdtemp(tmpl) != nullptr);
        const std::string path = std::string(tmpl) + "/cpd.sock";
        int listening = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        REQUIRE(listening >= 0);
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path.c_str());
        REQUIRE(::bind(listening, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
        REQUIRE(::listen(listening, 8) == 0);
        {
            boost::asio::io_context io;
            AnyoneBackend backend;
            ControlServer server(io, listening, backend);
            server.start();
            std::error_code ec;
            cpd::ipc::UniqueFd a = cpd::ipc::connect_unix(path, ec);
            cpd::ipc::UniqueFd b = cpd::ipc::connect_unix(path, ec);
            REQUIRE(a);
            REQUIRE(b);
            for (int i = 0; i < 100 && backend.identify_calls < 2; ++i) {
                io.restart();
                io.run_for(std::chrono::milliseconds(10));
            }
            REQUIRE(backend.identify_calls == 2);
            // Every socket this process holds (the listener, both clients, both
            // accepted ends) must carry O_CLOEXEC.
            int sockets = 0;
            for (const auto& e : std::filesystem::directory_iterator("/proc/self/fd")) {
                std::error_code lec;
                const std::string target = std::filesystem::read_symlink(e.path(), lec).string();
                if (target.rfind("socket:", 0) != 0) {
                    continue;
                }
                const int fd = std::stoi(e.path().filename().string());
                ++sockets;
                CHECK_MESSAGE((fd_flags(fd) & O_CLOEXEC) != 0, "fd " << fd << " is inheritable");
            }
            CHECK(sockets >= 5);
            server.close_all();
            server.stop_accepting();
        }
        std::filesystem::remove_all(tmpl);
    }

} // TEST_SUITE
