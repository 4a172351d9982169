// SPDX-License-Identifier: MIT
// The budget of control-socket clients, one rule at a time against a real cpd
// with small limits: the session caps refuse at once and say why, a request
// announced over the limit is refused unread, half-open, idle and trickling
// sessions time out (consoles and SMSG listeners may idle), and a client that
// does not read its output, console observers included, is dropped.
#include "test_directory.hpp"

#include <doctest/doctest.h>

#include <functional>

#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace cpd::test;
using cpd::proto::CpRc;

namespace {

/// A cpd running ECHO with the given extra cpd.conf lines.
HarnessConfig budget_config(const std::string& extra) {
    HarnessConfig c = test_config("ECHO");
    c.extra_conf = "socket_mode = 0666\n" + extra;
    return c;
}

/// Runs `body` in a child as host uid `id`; returns its exit code.
int as_user(uid_t id, const std::function<int()>& body) {
    pid_t pid = ::fork();
    if (pid == 0) {
        if (::setresgid(id, id, id) != 0 || ::setresuid(id, id, id) != 0) {
            ::_exit(100);
        }
        ::_exit(body());
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 101;
}

/// True if the next frame is a ServerError whose text starts with `id`.
bool error_starts(Client& c, const std::string& id, std::chrono::milliseconds timeout = 5s) {
    Reply r = c.read(timeout);
    if (!r.is_error() || r.text.rfind(id, 0) != 0) {
        MESSAGE("got type " << r.type << " text '" << r.text << "'");
        return false;
    }
    return true;
}

/// A frame header announcing `length` payload bytes of a CP command.
std::vector<std::byte> header_announcing(std::uint32_t length) {
    std::vector<std::byte> bytes;
    cpd::proto::append_frame(bytes, cpd::proto::ClientCpCommand{"Q N"});
    bytes.resize(cpd::proto::socket_header_size);
    for (int i = 0; i < 4; ++i) {
        bytes[i] = static_cast<std::byte>((length >> (8 * i)) & 0xFF);
    }
    return bytes;
}

} // namespace

TEST_SUITE("integration.client_budget") {

    TEST_CASE("a client over max_clients is refused at once with the reason") {
        CpdHarness cpd(budget_config("max_clients = 3"));
        REQUIRE(cpd.start());
        std::vector<Client> held;
        for (int i = 0; i < 3; ++i) {
            held.push_back(cpd.connect());
            REQUIRE(held.back().cp("Q N").rc == CpRc::ok);
        }
        Client extra = cpd.connect();
        REQUIRE(extra.ok());
        CHECK(error_starts(extra, "HCPCON050E Connection refused: cpd has 3 clients"));
        CHECK(extra.read(2s).type == 0); // and closed: nothing more, EOF
        CHECK(cpd.wait_for_log("refused: cpd has 3 clients, its max_clients"));
        held.pop_back(); // one leaves: a place is free again
        CHECK(wait_until([&] { return cpd.connect().cp("Q N").rc == CpRc::ok; }, 5s));
    }

    TEST_CASE("a uid at max_clients_per_uid is refused while another uid gets in") {
        if (not_root()) {
            return;
        }
        CpdHarness cpd(budget_config("max_clients_per_uid = 2"));
        REQUIRE(cpd.start());
        Client a = cpd.connect();
        Client b = cpd.connect();
        REQUIRE(a.cp("Q N").rc == CpRc::ok);
        REQUIRE(b.cp("Q N").rc == CpRc::ok);
        Client c = cpd.connect();
        CHECK(error_starts(c, "HCPCON050E Connection refused: uid 0 has 2 clients"));
        CHECK(as_user(65534, [&] { return cpd.connect().cp("Q N").rc == CpRc::ok ? 0 : 1; }) == 0);
    }

    TEST_CASE("a request announced over the limit is refused before it is read") {
        CpdHarness cpd(budget_config(""));
        REQUIRE(cpd.start());
        Client c = cpd.connect();
        REQUIRE(c.send_raw(header_announcing(1u << 20)));
        CHECK(error_starts(c, "HCPMSG026E Request of 1048576 bytes is over the limit of 16384"));
        CHECK(cpd.wait_for_log("refused: a request of 1048576 bytes"));
        CHECK(cpd.connect().cp("Q N").rc == CpRc::ok);
    }

    TEST_CASE("a client that sends nothing is closed after client_hello_seconds") {
        CpdHarness cpd(budget_config("client_hello_seconds = 1"));
        REQUIRE(cpd.start());
        Client silent = cpd.connect();
        const auto t0 = std::chrono::steady_clock::now();
        CHECK(error_starts(silent, "HCPCON051E Connection closed: no request within 1 s", 10s));
        CHECK(std::chrono::steady_clock::now() - t0 >= 1s); // not before its time
        CHECK(cpd.wait_for_log("closed: no request within 1 s"));
    }

    TEST_CASE("a request that trickles in is cut off after client_frame_seconds") {
        CpdHarness cpd(budget_config("client_frame_seconds = 1"));
        REQUIRE(cpd.start());
        Client c = cpd.connect();
        std::vector<std::byte> bytes = header_announcing(100);
        REQUIRE(c.send_raw(bytes));
        Reply r;
        for (int i = 0; i < 40 && r.type == 0; ++i) { // a byte every 100 ms, for up to 4 s
            c.send_raw({std::byte{'x'}});
            r = c.read(100ms);
        }
        CHECK(r.is_error());
        CHECK(r.text.rfind("HCPCON051E Connection closed: request not complete within 1 s", 0) ==
              0);
        CHECK(cpd.wait_for_log("closed: request not complete within 1 s"));
    }

    TEST_CASE("an idle command client times out, an SMSG listener and a console do not") {
        CpdHarness cpd(budget_config("client_idle_seconds = 1"));
        REQUIRE(cpd.start());
        Client command = cpd.connect();
        REQUIRE(command.cp("Q N").rc == CpRc::ok);
        Client listener = cpd.connect();
        REQUIRE(listener.listen().rc == CpRc::ok);
        Client console = cpd.connect();
        REQUIRE(console.send(cpd::proto::ClientConsoleAttach{
            *cpd::proto::Userid::parse("ECHO"), cpd::proto::AttachMode::observer, false}));
        CHECK(console.read().type == 0x8003); // attached
        CHECK(error_starts(command, "HCPCON051E Connection closed: idle for 1 s", 10s));
        ::sleep(2); // twice the idle limit
        CHECK(listener.cp("Q N").rc == CpRc::ok);
        REQUIRE(console.send(cpd::proto::ClientConsoleDetach{}));
        CHECK(console.cp("Q N").rc == CpRc::ok); // still there (the replay came before)
    }

    TEST_CASE("a client that never reads its replies is dropped, with a log line") {
        CpdHarness cpd(budget_config("client_write_seconds = 1\nclient_output_kib = 16"));
        REQUIRE(cpd.start());
        Client greedy = cpd.connect();
        std::vector<std::byte> burst;
        for (int i = 0; i < 64; ++i) {
            cpd::proto::append_frame(burst, cpd::proto::ClientCpCommand{"Q STATS"});
        }
        for (int i = 0; i < 200; ++i) { // until cpd stops reading us: then our sends block
            if (::send(greedy.fd(), burst.data(), burst.size(), MSG_DONTWAIT | MSG_NOSIGNAL) < 0) {
                break;
            }
        }
        CHECK(cpd.wait_for_log("dropped: does not read its output", 10s));
        CHECK(cpd.connect().cp("Q N").rc == CpRc::ok);
    }

    TEST_CASE("a console observer that does not read is dropped; the writer goes on") {
        CpdHarness cpd(budget_config("client_output_kib = 16"));
        REQUIRE(cpd.start());
        const auto echo = *cpd::proto::Userid::parse("ECHO");
        Client observer = cpd.connect();
        REQUIRE(observer.send(
            cpd::proto::ClientConsoleAttach{echo, cpd::proto::AttachMode::observer, false}));
        Client writer = cpd.connect();
        REQUIRE(writer.send(
            cpd::proto::ClientConsoleAttach{echo, cpd::proto::AttachMode::writer, false}));
        const std::string line(4000, 'o');
        bool dropped = false;
        for (int i = 0; i < 400 && !dropped;
             ++i) { // ~1.6 MB typed: far past socket buffer + 16 KiB
            REQUIRE(writer.send(cpd::proto::ClientConsoleInput{line}));
            while (writer.read(0ms).type != 0) { // the writer reads what it gets
            }
            dropped = cpd.log().find("dropped: does not read its output") != std::string::npos;
            ::usleep(1000);
        }
        CHECK(dropped);
        while (writer.read(100ms).type != 0) {
        }
        CHECK(writer.cp("Q N").rc == CpRc::ok);
    }

} // TEST_SUITE
