// SPDX-License-Identifier: MIT
// Unit tests of the blocking frame helpers over real Unix sockets: whole
// frames in, clean EOF, EOF inside a frame, bad headers, timeouts (silent and
// stalled peers, queued frames read without waiting), and connecting to a
// listener in a private directory.
#include "cpd/ipc/frame_io.hpp"
#include "cpd/proto/version.hpp"

#include <doctest/doctest.h>

#include <ostream> // doctest prints std::error_code through it

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

using cpd::ipc::frame_errc;
using cpd::ipc::RawFrame;
using cpd::ipc::UniqueFd;

namespace {

/// A connected stream socket pair.
struct Pair {
    UniqueFd a;
    UniqueFd b;
    Pair() {
        int fds[2];
        REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) == 0);
        a.reset(fds[0]);
        b.reset(fds[1]);
    }
};

/// Header bytes as the wire format says: length u32, version u16, type u16, little-endian.
std::vector<std::byte> header(std::uint32_t length, std::uint16_t version, std::uint16_t type) {
    std::vector<std::byte> h(8);
    for (int i = 0; i < 4; ++i) {
        h[i] = static_cast<std::byte>((length >> (8 * i)) & 0xFF);
    }
    h[4] = static_cast<std::byte>(version & 0xFF);
    h[5] = static_cast<std::byte>(version >> 8);
    h[6] = static_cast<std::byte>(type & 0xFF);
    h[7] = static_cast<std::byte>(type >> 8);
    return h;
}

/// Bytes of a frame with this payload text.
std::vector<std::byte> frame(std::uint16_t type, const std::string& text) {
    auto bytes = header(static_cast<std::uint32_t>(text.size()),
                        cpd::proto::socket_protocol_version, type);
    for (char c : text) {
        bytes.push_back(static_cast<std::byte>(c));
    }
    return bytes;
}

/// While it lives, poll() on one descriptor fails with EINVAL (nfds exceeds
/// RLIMIT_NOFILE) but recv() works: a read that succeeds made no poll.
struct PollRefused {
    rlimit original{};
    PollRefused() {
        REQUIRE(::getrlimit(RLIMIT_NOFILE, &original) == 0);
        rlimit none = original;
        none.rlim_cur = 0;
        REQUIRE(::setrlimit(RLIMIT_NOFILE, &none) == 0);
    }
    ~PollRefused() { ::setrlimit(RLIMIT_NOFILE, &original); }
};

using Clock = std::chrono::steady_clock;

/// Milliseconds since `start`.
long long elapsed_ms(Clock::time_point start) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
}

} // namespace

TEST_SUITE("ipc.frame_io") {

TEST_CASE("a whole frame written is read back with its type and payload") {
    Pair p;
    std::error_code ec;
    auto bytes = header(5, cpd::proto::socket_protocol_version, 0x8001);
    for (char c : std::string("hello")) {
        bytes.push_back(static_cast<std::byte>(c));
    }
    auto empty = header(0, cpd::proto::socket_protocol_version, 0x0003);
    bytes.insert(bytes.end(), empty.begin(), empty.end());
    REQUIRE(cpd::ipc::write_all(p.a.get(), bytes, ec));
    RawFrame f;
    REQUIRE(cpd::ipc::read_frame(p.b.get(), f, ec, 1000));
    CHECK(f.type == 0x8001);
    CHECK(std::string(reinterpret_cast<const char*>(f.payload.data()), f.payload.size()) ==
          "hello");
    REQUIRE(cpd::ipc::read_frame(p.b.get(), f, ec, 1000));
    CHECK(f.type == 0x0003);
    CHECK(f.payload.empty());
}

TEST_CASE("a header and a large payload written apart arrive whole through many short sends") {
    Pair p;
    const int small = 4096; // the kernel rounds it up, still far below the payload
    REQUIRE(::setsockopt(p.a.get(), SOL_SOCKET, SO_SNDBUF, &small, sizeof small) == 0);
    // Non-blocking, so each sendmsg takes only what fits: partial sends and waits.
    REQUIRE(::fcntl(p.a.get(), F_SETFL, ::fcntl(p.a.get(), F_GETFL) | O_NONBLOCK) == 0);
    std::vector<std::byte> body(1 << 20);
    for (std::size_t i = 0; i < body.size(); ++i) {
        body[i] = static_cast<std::byte>(i * 7 + i / 251);
    }
    const auto head = header(static_cast<std::uint32_t>(body.size()),
                             cpd::proto::socket_protocol_version, 0x0042);
    std::error_code write_ec;
    std::thread writer([&] { CHECK(cpd::ipc::write_all(p.a.get(), head, body, write_ec)); });
    RawFrame f;
    std::error_code ec;
    const bool got = cpd::ipc::read_frame(p.b.get(), f, ec, 10000);
    writer.join();
    REQUIRE(got);
    CHECK_FALSE(write_ec);
    CHECK(f.type == 0x0042);
    CHECK(f.payload == body);
}

TEST_CASE("a clean close between frames is reported as eof") {
    Pair p;
    p.a.reset();
    RawFrame f;
    std::error_code ec;
    CHECK_FALSE(cpd::ipc::read_frame(p.b.get(), f, ec, 1000));
    CHECK(ec == frame_errc::eof);
}

TEST_CASE("a close inside a frame is a connection reset, not eof") {
    Pair p;
    std::error_code ec;
    SUBCASE("inside the header") {
        auto h = header(4, cpd::proto::socket_protocol_version, 1);
        h.resize(3);
        REQUIRE(cpd::ipc::write_all(p.a.get(), h, ec));
    }
    SUBCASE("inside the payload") {
        auto h = header(4, cpd::proto::socket_protocol_version, 1);
        h.push_back(std::byte{1});
        REQUIRE(cpd::ipc::write_all(p.a.get(), h, ec));
    }
    p.a.reset();
    RawFrame f;
    CHECK_FALSE(cpd::ipc::read_frame(p.b.get(), f, ec, 1000));
    CHECK(ec == std::errc::connection_reset);
}

TEST_CASE("a bad header is a protocol error") {
    Pair p;
    std::error_code ec;
    SUBCASE("unknown version") {
        REQUIRE(cpd::ipc::write_all(p.a.get(), header(0, 0x7777, 1), ec));
    }
    SUBCASE("length over the limit") {
        REQUIRE(cpd::ipc::write_all(
            p.a.get(), header(cpd::proto::socket_max_payload + 1, cpd::proto::socket_protocol_version, 1),
            ec));
    }
    RawFrame f;
    CHECK_FALSE(cpd::ipc::read_frame(p.b.get(), f, ec, 1000));
    CHECK(ec == std::errc::protocol_error);
}

TEST_CASE("a silent peer times out") {
    Pair p;
    RawFrame f;
    std::error_code ec;
    CHECK_FALSE(cpd::ipc::read_frame(p.b.get(), f, ec, 30));
    CHECK(ec == std::errc::timed_out);
}

TEST_CASE("a frame already in the socket is read by recv alone, whatever the timeout") {
    Pair p;
    std::error_code ec;
    REQUIRE(cpd::ipc::write_all(p.a.get(), frame(0x8001, "queued"), ec));
    int timeout_ms = -1;
    SUBCASE("no timeout") { timeout_ms = -1; }
    SUBCASE("a long timeout") { timeout_ms = 1000; }
    SUBCASE("a timeout already over") { timeout_ms = 0; }
    RawFrame f;
    bool read = false;
    {
        PollRefused no_poll;
        read = cpd::ipc::read_frame(p.b.get(), f, ec, timeout_ms);
    }
    CHECK_MESSAGE(read, "read_frame polled before a recv that had data: " << ec.message());
    CHECK(f.type == 0x8001);
    CHECK(std::string(reinterpret_cast<const char*>(f.payload.data()), f.payload.size()) ==
          "queued");
    // Nothing is queued now, so the next read waits and its timeout still holds.
    const auto start = Clock::now();
    CHECK_FALSE(cpd::ipc::read_frame(p.b.get(), f, ec, 30));
    CHECK(ec == std::errc::timed_out);
    CHECK(elapsed_ms(start) >= 25);
}

TEST_CASE("a peer that sends half a frame and stalls times out") {
    Pair p;
    std::error_code ec;
    auto bytes = frame(0x8001, "half of it");
    SUBCASE("inside the header") { bytes.resize(5); }
    SUBCASE("inside the payload") { bytes.resize(cpd::proto::socket_header_size + 4); }
    REQUIRE(cpd::ipc::write_all(p.a.get(), bytes, ec));
    RawFrame f;
    const auto start = Clock::now();
    CHECK_FALSE(cpd::ipc::read_frame(p.b.get(), f, ec, 60));
    CHECK(ec == std::errc::timed_out); // the peer is still there: not a reset
    const long long waited = elapsed_ms(start);
    CHECK(waited >= 55);
    CHECK(waited < 5000);
}

TEST_CASE("writing to a closed peer is an error, not a SIGPIPE") {
    Pair p;
    p.b.reset();
    std::error_code ec;
    CHECK_FALSE(cpd::ipc::write_all(p.a.get(), header(0, 1, 1), ec));
    CHECK(ec == std::errc::broken_pipe);
}

TEST_CASE("connect_unix reaches a listener and reports a missing one") {
    char tmpl[] = "/tmp/cpd-ipc-test-XXXXXX";
    REQUIRE(::mkdtemp(tmpl) != nullptr);
    const std::string dir = tmpl;
    const std::string path = dir + "/cpd.sock";
    UniqueFd listener{::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)};
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
    REQUIRE(::bind(listener.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    REQUIRE(::listen(listener.get(), 1) == 0);
    std::error_code ec;
    auto fd = cpd::ipc::connect_unix(path, ec);
    CHECK_FALSE(ec);
    CHECK(static_cast<bool>(fd));
    auto missing = cpd::ipc::connect_unix(dir + "/nothing.sock", ec);
    CHECK_FALSE(static_cast<bool>(missing));
    CHECK(ec == std::errc::no_such_file_or_directory);
    cpd::ipc::connect_unix(std::string(200, 'x'), ec);
    CHECK(ec == std::errc::filename_too_long);
    std::filesystem::remove_all(dir);
}

} // TEST_SUITE
