// SPDX-License-Identifier: MIT
// The guest runtime's local IUCV rules against a fake CP: path ids, what is
// refused at once (pending, severed, quiesced, msglimit, unknown reply) and
// how incoming paths are answered.
#include "fake_cp.hpp"
#include "scripted_guest.hpp"

#include <string>

using cpd::test::FakeCp;
using cpd::test::ScriptedGuest;
using cpd::test::uid;
namespace proto = cpd::proto;

namespace {

/// Types `command` and returns the one line it writes (after checking its ConsoleEnd).
std::string run(FakeCp& cp, const std::string& command) {
    cp.type(command);
    std::string out = cp.line();
    cpd::test::Received r;
    CHECK(cp.expect<proto::ConsoleEnd>(r).rc == 0);
    return out;
}

/// CONNECTs to PEER and completes the path with `msglimit`; returns the path id.
std::uint32_t connect_path(FakeCp& cp, std::uint16_t msglimit) {
    cp.type("CONNECT PEER");
    cpd::test::Received r;
    const auto c = cp.expect<proto::IucvConnect>(r);
    CHECK(c.target == uid("PEER"));
    CHECK(cp.line() == "CONNECT " + std::to_string(c.path) + " ok");
    CHECK(cp.expect<proto::ConsoleEnd>(r).rc == 0);
    cp.push(proto::IucvComplete{c.path, uid("PEER"), msglimit, {}});
    CHECK(cp.line() == "COMPLETE " + std::to_string(c.path) + " PEER");
    return c.path;
}

} // namespace

TEST_SUITE("guest.iucv") {

    TEST_CASE("connect numbers paths from 1 and refuses a bad target at once") {
        FakeCp cp;
        ScriptedGuest g;
        cp.start(g);
        CHECK(cp.line().starts_with("IPL"));
        cpd::test::Received r;
        CHECK(run(cp, "CONNECT BAD%NAME") == "CONNECT 0 invalid_userid");
        cp.type("CONNECT PEER 5");
        const auto c = cp.expect<proto::IucvConnect>(r);
        CHECK(c.path == 1);
        CHECK(c.msglimit == 5);
        CHECK(c.user_data == cpd::guest::user_data_from("TEST"));
        CHECK(cp.line() == "CONNECT 1 ok");
        CHECK(cp.expect<proto::ConsoleEnd>(r).rc == 0);
        SUBCASE("send on a pending path is refused") {
            CHECK(run(cp, "SEND 1 1WAY 4") == "SEND 0 pending_path");
            CHECK(run(cp, "QUIESCE 1") == "QUIESCE pending_path");
        }
        SUBCASE("a failed connect forgets the path") {
            cp.push(proto::IucvFailed{1, proto::IucvRc::not_logged_on});
            CHECK(cp.line() == "FAILED 1 not_logged_on");
            CHECK(run(cp, "SEND 1 1WAY 4") == "SEND 0 invalid_path");
            cp.type("CONNECT PEER");
            CHECK(cp.expect<proto::IucvConnect>(r).path == 2); // never reused
        }
    }

    TEST_CASE("send, sever and the states that refuse them") {
        FakeCp cp;
        ScriptedGuest g;
        cp.start(g);
        CHECK(cp.line().starts_with("IPL"));
        cpd::test::Received r;
        CHECK(run(cp, "SEND 99 1WAY 4") == "SEND 0 invalid_path");
        const std::uint32_t p = connect_path(cp, 2);

        SUBCASE("one-way sends get increasing msgids; too much data is refused") {
            cp.type("SEND " + std::to_string(p) + " 1WAY 10");
            const auto s = cp.expect<proto::IucvSend>(r);
            CHECK(s.path == p);
            CHECK_FALSE(s.two_way);
            CHECK(s.data.size() == 10);
            CHECK(cp.line() == "SEND " + std::to_string(s.msgid) + " ok");
            CHECK(cp.expect<proto::ConsoleEnd>(r).rc == 0);
            cp.type("SEND " + std::to_string(p) + " 1WAY 1");
            CHECK(cp.expect<proto::IucvSend>(r).msgid == s.msgid + 1);
            CHECK(cp.line().ends_with(" ok"));
            CHECK(cp.expect<proto::ConsoleEnd>(r).rc == 0);
            CHECK(run(cp, "SEND " + std::to_string(p) + " 1WAY 65536") == "SEND 0 data_too_long");
        }
        SUBCASE("sever twice: the second is invalid_path, and sends fail after it") {
            cp.type("SEVER " + std::to_string(p));
            CHECK(cp.expect<proto::IucvSever>(r).path == p);
            CHECK(cp.line() == "SEVER ok");
            CHECK(cp.expect<proto::ConsoleEnd>(r).rc == 0);
            CHECK(run(cp, "SEVER " + std::to_string(p)) == "SEVER invalid_path");
            CHECK(run(cp, "SEND " + std::to_string(p) + " 1WAY 1") == "SEND 0 invalid_path");
        }
        SUBCASE("a path severed by the peer is forgotten") {
            cp.push(proto::IucvSevered{p, uid("PEER"), {}});
            CHECK(cp.line() == "SEVERED " + std::to_string(p) + " PEER");
            CHECK(run(cp, "SEND " + std::to_string(p) + " 1WAY 1") == "SEND 0 invalid_path");
            CHECK(run(cp, "SEVER " + std::to_string(p)) == "SEVER invalid_path");
        }
        SUBCASE("a quiesced path refuses sends until resumed") {
            cp.push(proto::IucvQuiesced{p, {}});
            CHECK(cp.line() == "QUIESCED " + std::to_string(p));
            CHECK(run(cp, "SEND " + std::to_string(p) + " 1WAY 1") == "SEND 0 path_quiesced");
            cp.push(proto::IucvResumed{p, {}});
            CHECK(cp.line() == "RESUMED " + std::to_string(p));
            cp.type("SEND " + std::to_string(p) + " 1WAY 1");
            cp.expect<proto::IucvSend>(r);
            CHECK(cp.line().ends_with(" ok"));
        }
    }

    TEST_CASE("two-way sends stop at the msglimit until replies arrive") {
        FakeCp cp;
        ScriptedGuest g;
        cp.start(g);
        CHECK(cp.line().starts_with("IPL"));
        cpd::test::Received r;
        const std::uint32_t p = connect_path(cp, 2);
        const std::string send = "SEND " + std::to_string(p) + " 2WAY 8";
        cp.type(send);
        const std::uint32_t first = cp.expect<proto::IucvSend>(r).msgid;
        CHECK(cp.line().ends_with(" ok"));
        CHECK(cp.expect<proto::ConsoleEnd>(r).rc == 0);
        cp.type(send);
        const std::uint32_t second = cp.expect<proto::IucvSend>(r).msgid;
        CHECK(cp.line().ends_with(" ok"));
        CHECK(cp.expect<proto::ConsoleEnd>(r).rc == 0);
        CHECK(run(cp, send) == "SEND 0 msglimit_exceeded");

        SUBCASE("a reply frees one slot") {
            cp.push(proto::IucvReplyIn{p, first, {}});
            CHECK(cp.line() == "REPLYIN " + std::to_string(p) + " " + std::to_string(first));
        }
        SUBCASE("a failed send frees one slot") {
            cp.push(proto::IucvSendFailed{p, second, proto::IucvRc::invalid_path});
            CHECK(cp.line().starts_with("SENDFAILED"));
        }
        cp.type(send);
        CHECK(cp.expect<proto::IucvSend>(r).two_way);
        CHECK(cp.line().ends_with(" ok"));
        CHECK(cp.expect<proto::ConsoleEnd>(r).rc == 0);
        CHECK(run(cp, send) == "SEND 0 msglimit_exceeded");
    }

    TEST_CASE("incoming paths are answered and replies must match a two-way message") {
        FakeCp cp;
        ScriptedGuest g;
        constexpr std::uint32_t incoming = 0xFFFFFFFFu;

        SUBCASE("refused: the answer says no and the path is unknown") {
            g.accept = false;
            cp.start(g);
            CHECK(cp.line().starts_with("IPL"));
            cp.push(proto::IucvPending{incoming, uid("CALLER"), 10, {}});
            CHECK(cp.line() == "PENDING 4294967295 CALLER");
            cpd::test::Received r;
            const auto a = cp.expect<proto::IucvAnswer>(r);
            CHECK(a.path == incoming);
            CHECK_FALSE(a.accept);
            CHECK(run(cp, "SEVER 4294967295") == "SEVER invalid_path");
        }
        SUBCASE("accepted: replies match received two-way msgids only, once") {
            cp.start(g);
            CHECK(cp.line().starts_with("IPL"));
            cp.push(proto::IucvPending{incoming, uid("CALLER"), 10, {}});
            CHECK(cp.line() == "PENDING 4294967295 CALLER");
            cpd::test::Received r;
            CHECK(cp.expect<proto::IucvAnswer>(r).accept);
            cp.push(proto::IucvComplete{incoming, uid("CALLER"), 10, {}});
            CHECK(cp.line() == "COMPLETE 4294967295 CALLER");
            const std::byte payload[5]{};
            cp.push(proto::IucvMessage{incoming, 7, true, payload});
            CHECK(cp.line() == "MESSAGE 4294967295 7 5 2WAY");
            CHECK(run(cp, "REPLY 4294967295 8") == "REPLY invalid_path");
            cp.type("REPLY 4294967295 7");
            const auto rep = cp.expect<proto::IucvReply>(r);
            CHECK(rep.msgid == 7);
            CHECK(rep.data.size() == 3);
            CHECK(cp.line() == "REPLY ok");
            CHECK(cp.expect<proto::ConsoleEnd>(r).rc == 0);
            CHECK(run(cp, "REPLY 4294967295 7") == "REPLY invalid_path");
        }
    }

    TEST_CASE("an answer that finds the outbound ring full goes out once cpd drains it") {
        FakeCp cp({1u << 16, 1u << 12}); // 4 KiB outbound ring
        ScriptedGuest g;
        g.fill_on_ipl = true; // the guest fills its outbound ring at IPL
        cp.start(g);
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        cp.push(proto::IucvPending{0xFFFFFFFFu, uid("CALLER"), 10, {}});
        // Far longer than the guest could ever wait inside a callback: the answer
        // must survive until cpd reads the ring again, without blocking the guest.
        std::this_thread::sleep_for(std::chrono::milliseconds(400));
        bool answered = false;
        while (auto f = cp.next(1000)) {
            if (const auto* a = std::get_if<proto::IucvAnswer>(&f->frame)) {
                CHECK(a->path == 0xFFFFFFFFu);
                CHECK(a->accept);
                answered = true;
                break;
            }
        }
        CHECK(answered);
    }

} // TEST_SUITE
