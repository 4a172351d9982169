// SPDX-License-Identifier: MIT
// The spawn helper and cpd's end of it, each against a peer that misbehaves:
// the real helper takes garbage, truncated and ill-fitted orders without
// ending and still starts a guest afterwards; the Spawner drops garbled,
// truncated and oversized answers, logs them, and goes on.
#include "spawner/datagram.hpp"
#include "spawner/spawn_helper.hpp"
#include "spawner/spawner.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace cpd::daemon;
using namespace std::chrono_literals;

namespace {

/// The next answer on `sock`, waiting up to 5 s.
std::optional<FromHelper> next_answer(int sock) {
    pollfd p{sock, POLLIN, 0};
    if (::poll(&p, 1, 5000) != 1) {
        return std::nullopt;
    }
    Datagram d;
    if (receive_datagram(sock, spawn_wire_max_bytes, 0, d) != 0) {
        return std::nullopt;
    }
    return unpack_from_helper(d.bytes);
}

bool alive(pid_t pid) {
    return ::kill(pid, 0) == 0 && ::waitpid(pid, nullptr, WNOHANG) == 0;
}

} // namespace

TEST_SUITE("cpd.spawn_helper") {

    TEST_CASE("the helper survives garbled orders and still starts a guest") {
        HelperProcess h = start_spawn_helper();
        REQUIRE(h.pid > 0);
        const int sock = h.socket.get();
        const std::vector<std::uint8_t> garbage = {1, 2, 3};
        CHECK(send_datagram(sock, garbage, {}) == 0);
        auto order_bytes = pack(ToHelper{KillOrder{99, SIGKILL}}); // no such guest
        CHECK(send_datagram(sock, order_bytes, {}) == 0);
        SpawnOrder o;
        o.tag = 5;
        o.userid = "G";
        o.program = "/bin/true";
        o.argv = {"cpd:G"};
        auto truncated = pack(ToHelper{o});
        truncated.resize(truncated.size() / 2);
        CHECK(send_datagram(sock, truncated, {}) == 0);
        // A whole order without its three descriptors: refused in words.
        CHECK(send_datagram(sock, pack(ToHelper{o}), {}) == 0);
        auto refused = next_answer(sock);
        REQUIRE(refused);
        REQUIRE(std::holds_alternative<Started>(*refused));
        CHECK(std::get<Started>(*refused).pid == -1);
        CHECK(std::get<Started>(*refused).error == "the spawn helper got a malformed order");
        CHECK(alive(h.pid));
        // Now a proper one: a memfd and two eventfds, as cpd sends.
        const int fds[3] = {::memfd_create("seg", MFD_CLOEXEC), ::eventfd(0, EFD_CLOEXEC),
                            ::eventfd(0, EFD_CLOEXEC)};
        o.tag = 6;
        CHECK(send_datagram(sock, pack(ToHelper{o}), fds) == 0);
        for (int fd : fds) {
            ::close(fd);
        }
        bool started = false, heard = false, exited = false;
        for (int i = 0; i < 3; ++i) {
            auto a = next_answer(sock);
            REQUIRE(a);
            if (auto* s = std::get_if<Started>(&*a)) {
                started = s->tag == 6 && s->pid > 0;
            } else if (auto* e = std::get_if<ExecHeard>(&*a)) {
                heard = e->tag == 6 && e->step == 0;
            } else if (auto* x = std::get_if<Exited>(&*a)) {
                exited =
                    x->tag == 6 && WIFEXITED(x->wait_status) && WEXITSTATUS(x->wait_status) == 0;
            }
        }
        CHECK(started);
        CHECK(heard);
        CHECK(exited);
        h.socket.reset(); // cpd gone: the helper ends
        int status = 0;
        CHECK(::waitpid(h.pid, &status, 0) == h.pid);
    }

    TEST_CASE("the Spawner drops garbled answers and takes the good ones after them") {
        int pair[2];
        REQUIRE(::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) == 0);
        cpd::ipc::UniqueFd fake_end(pair[1]);
        HelperProcess fake;
        fake.pid = ::fork(); // stands in for the helper's process: the Spawner kills it at the end
        REQUIRE(fake.pid >= 0);
        if (fake.pid == 0) {
            ::pause();
            ::_exit(0);
        }
        fake.socket.reset(pair[0]);
        boost::asio::io_context io;
        std::vector<std::string> lines;
        int exits = 0, starts = 0;
        Spawner spawner(
            io, Spawner::Events{[&](const Started&) { ++starts; }, [](const ExecHeard&) {},
                                [&](const OutputLine& l) { lines.push_back(l.line); },
                                [&](const Exited&) { ++exits; },
                                [](const std::string&, const std::vector<std::uint64_t>&) {}});
        spawner.start(std::move(fake));
        const int sock = fake_end.get();
        CHECK(send_datagram(sock, std::vector<std::uint8_t>{0xFF, 0xFF, 0xFF, 0xFF}, {}) == 0);
        auto half = pack(FromHelper{Started{1, 42, 0, "x"}});
        half.resize(half.size() - 1);
        CHECK(send_datagram(sock, half, {}) == 0);
        std::vector<std::uint8_t> huge(spawn_wire_max_bytes + 100, 0x67);
        CHECK(send_datagram(sock, huge, {}) == 0);
        const int devnull = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
        const int one[1] = {devnull};
        CHECK(send_datagram(sock, pack(FromHelper{Exited{1, 0}}), one) == 0); // fds: refused
        ::close(devnull);
        CHECK(send_datagram(sock, pack(FromHelper{OutputLine{1, "guest G: after"}}), {}) == 0);
        CHECK(send_datagram(sock, pack(FromHelper{Exited{2, 0}}), {}) == 0);
        for (int i = 0; i < 100 && exits < 1; ++i) {
            io.restart();
            io.run_for(10ms);
        }
        CHECK(starts == 0);
        CHECK(lines == std::vector<std::string>{"guest G: after"});
        CHECK(exits == 1);
    }

} // TEST_SUITE
