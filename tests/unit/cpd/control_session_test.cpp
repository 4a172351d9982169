// SPDX-License-Identifier: MIT
// ControlSession against a fake backend on a socket pair: the client's
// identity is resolved once per session and again only after a directory
// reload, which can change its classes or refuse it on its next frame; a
// listening client follows a reload that maps it to another userid.
#include "control/control_session.hpp"

#include "cpd/ipc/frame_io.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <vector>

#include <sys/socket.h>
#include <unistd.h>

using namespace cpd::daemon;
using namespace cpd::proto;

namespace {

/// Counts identify() calls; the mapping and generation are set by the test.
class CountingBackend : public ControlBackend {
  public:
    std::optional<Caller> mapping = Caller{*Userid::parse("ALICE"), "G", false};
    std::uint64_t generation = 0;
    int identify_calls = 0;
    std::vector<std::string> commands; ///< "<userid> <classes> <line>" per command run

    std::optional<Caller> identify(uid_t) override {
        ++identify_calls;
        return mapping;
    }
    std::uint64_t directory_generation() const override { return generation; }
    CpOutcome command(const Caller& caller, std::string_view line) override {
        commands.push_back(std::string(caller.userid.str()) + " " + caller.classes + " " +
                           std::string(line));
        return {};
    }
    CpOutcome smsg(const Caller&, const Userid&, std::string_view) override { return {}; }
    std::vector<std::string> listens; ///< "+USERID" per listen, "-" per unlisten

    void listen(const Userid& userid, SmsgListener*) override {
        listens.push_back("+" + std::string(userid.str()));
    }
    void unlisten(SmsgListener*) override { listens.push_back("-"); }
    bool console_frame(ControlSession&, const Caller&, const ClientFrame&) override {
        return false;
    }
};

/// A started session on one end of a socket pair; the test is the client at the other.
struct Connection {
    boost::asio::io_context io;
    CountingBackend backend;
    std::shared_ptr<ControlSession> session;
    cpd::ipc::UniqueFd peer;

    Connection() {
        int sv[2];
        REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0);
        peer.reset(sv[1]);
        session = std::make_shared<ControlSession>(
            ControlSession::Socket(io, boost::asio::local::stream_protocol(), sv[0]), backend);
        session->start();
    }
    /// Sends a CP command and returns the reply frame's type, rc and text.
    std::string cp(std::string_view line) { return request(ClientCpCommand{line}); }

    /// Sends `frame` and returns the reply (see cp()).
    std::string request(const ClientFrame& frame) {
        std::vector<std::byte> bytes;
        append_frame(bytes, frame);
        std::error_code ec;
        REQUIRE(cpd::ipc::write_all(peer.get(), bytes, ec));
        return next_reply();
    }

    /// The next frame cpd sent: "cp RC", "error RC TEXT", "smsg FROM TEXT" or "no reply".
    std::string next_reply() {
        std::error_code ec;
        cpd::ipc::RawFrame raw;
        for (int i = 0; i < 50; ++i) {
            io.restart();
            io.run_for(std::chrono::milliseconds(10));
            if (cpd::ipc::read_frame(peer.get(), raw, ec, 0)) {
                auto f = decode_server_frame(raw.type, raw.payload);
                REQUIRE(f);
                if (const auto* r = std::get_if<ServerCpResponse>(&*f)) {
                    return "cp " + std::to_string(static_cast<int>(r->rc));
                }
                if (const auto* e = std::get_if<ServerError>(&*f)) {
                    return "error " + std::to_string(static_cast<int>(e->rc)) + " " +
                           std::string(e->text);
                }
                if (const auto* m = std::get_if<ServerSmsgEvent>(&*f)) {
                    return "smsg " + std::string(m->from.str()) + " " + std::string(m->text);
                }
                return "?";
            }
        }
        return "no reply";
    }
};

} // namespace

TEST_SUITE("cpd.control_session") {

    TEST_CASE("a client is identified once, not on every frame") {
        Connection c;
        for (int i = 0; i < 5; ++i) {
            CHECK(c.cp("Q N") == "cp 0");
        }
        CHECK(c.backend.identify_calls == 1);
        CHECK(c.backend.commands.size() == 5);
    }

    TEST_CASE("after a directory reload the next frame runs with the new classes") {
        Connection c;
        CHECK(c.cp("Q N") == "cp 0");
        c.backend.mapping->classes = "ABG";
        CHECK(c.cp("Q N") == "cp 0"); // no reload yet: the cached caller
        c.backend.generation = 1;
        CHECK(c.cp("Q N") == "cp 0");
        CHECK(c.cp("Q N") == "cp 0");
        CHECK(c.backend.identify_calls == 2);
        REQUIRE(c.backend.commands.size() == 4);
        CHECK(c.backend.commands[1] == "ALICE G Q N");
        CHECK(c.backend.commands[2] == "ALICE ABG Q N");
        CHECK(c.backend.commands[3] == "ALICE ABG Q N");
    }

    TEST_CASE("a client whose mapping a reload removed is refused on its next frame") {
        Connection c;
        CHECK(c.cp("Q N") == "cp 0");
        c.backend.mapping.reset();
        c.backend.generation = 7;
        CHECK(c.cp("Q N") ==
              "error 2 HCPCMD002E Host user uid " + std::to_string(::getuid()) + " not authorized");
        CHECK(c.backend.commands.size() == 1); // the refused frame did not run
    }

    TEST_CASE("a listener mapped to another userid by a reload stops getting the old one's SMSGs") {
        Connection c;
        CHECK(c.request(ClientSmsgListen{}) == "cp 0");
        CHECK(c.backend.listens == std::vector<std::string>{"+ALICE"});
        const Userid bob = *Userid::parse("BOB");
        c.session->on_smsg_event(bob, "for alice");
        CHECK(c.next_reply() == "smsg BOB for alice");

        c.backend.mapping->userid = *Userid::parse("CAROL");
        c.backend.generation = 1;
        c.session->on_directory_reloaded(); // what the router tells every listener
        CHECK(c.backend.listens == std::vector<std::string>{"+ALICE", "-", "+CAROL"});
        c.session->on_smsg_event(bob, "for carol");
        CHECK(c.next_reply() == "smsg BOB for carol");

        c.backend.mapping->userid = *Userid::parse("DAVE");
        c.backend.generation = 2;
        c.session->on_smsg_event(bob, "for carol again"); // before it heard of the reload
        CHECK(c.next_reply() == "no reply");
        CHECK(c.backend.listens.back() == "+DAVE");

        c.backend.mapping.reset(); // a reload that drops the mapping ends the session
        c.backend.generation = 3;
        c.session->on_smsg_event(bob, "for nobody");
        CHECK(c.next_reply().starts_with("error 2 HCPCMD002E"));
        c.session->on_smsg_event(bob, "after the refusal");
        CHECK(c.next_reply() == "no reply");
        c.peer.reset(); // the client closes: the session ends and stops listening
        c.io.restart();
        c.io.run_for(std::chrono::milliseconds(50));
        CHECK(c.backend.listens.back() == "-");
    }

    TEST_CASE("a client the directory does not map is refused at connect") {
        boost::asio::io_context io;
        CountingBackend backend;
        backend.mapping.reset();
        int sv[2];
        REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0);
        cpd::ipc::UniqueFd peer(sv[1]);
        auto session = std::make_shared<ControlSession>(
            ControlSession::Socket(io, boost::asio::local::stream_protocol(), sv[0]), backend);
        session->start();
        io.run_for(std::chrono::milliseconds(20));
        cpd::ipc::RawFrame raw;
        std::error_code ec;
        REQUIRE(cpd::ipc::read_frame(peer.get(), raw, ec, 100));
        auto f = decode_server_frame(raw.type, raw.payload);
        REQUIRE(f);
        const auto* e = std::get_if<ServerError>(&*f);
        REQUIRE(e != nullptr);
        CHECK(e->rc == CpRc::not_authorized);
        CHECK(backend.identify_calls == 1);
    }

} // TEST_SUITE
