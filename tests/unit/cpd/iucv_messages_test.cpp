// SPDX-License-Identifier: MIT
// IucvPaths traffic: SEND on pending, quiesced and severed paths, the 65,535
// byte limit, two-way messages with REPLY, MSGLIMIT (directory cap too),
// QUIESCE/RESUME, full rings and ordering. Drives the registry through a FakeSink.
#include "iucv_fake_sink.hpp"

#include <doctest/doctest.h>

using namespace cpd::daemon;
using namespace cpd::daemon::test;
using cpd::proto::IucvAnswer;
using cpd::proto::IucvComplete;
using cpd::proto::IucvMessage;
using cpd::proto::IucvPending;
using cpd::proto::IucvQuiesce;
using cpd::proto::IucvQuiesced;
using cpd::proto::IucvReply;
using cpd::proto::IucvReplyIn;
using cpd::proto::IucvResume;
using cpd::proto::IucvResumed;
using cpd::proto::IucvSend;
using cpd::proto::IucvSendFailed;
using cpd::proto::IucvSever;

namespace {

/// SEND from `who` on its local id `path`.
IucvRc send(Fixture& fx, std::string_view who, std::uint32_t path, std::uint32_t msgid,
            std::span<const std::byte> data, bool two_way = false) {
    return fx.paths.send(uid(who), IucvSend{path, msgid, two_way, data});
}

/// Checks that exactly one IucvSendFailed with `rc` went to `who` and nothing else.
void check_send_failed(Fixture& fx, std::string_view who, std::uint32_t path, std::uint32_t msgid,
                       IucvRc rc) {
    auto sent = fx.sink.take();
    REQUIRE(sent.size() == 1);
    CHECK(sent[0].to == uid(who));
    CHECK(sent[0].via_notify);
    const auto& f = as<IucvSendFailed>(sent[0]);
    CHECK(f.path == path);
    CHECK(f.msgid == msgid);
    CHECK(f.rc == rc);
}

} // namespace

TEST_SUITE("cpd.iucv") {

    TEST_CASE("a message reaches the peer intact on the peer's local id, both ways") {
        Fixture fx;
        fx.open_guests({"A", "B"});
        const auto t = fx.establish("A", 1, "B");
        const auto data = bytes(1000, 7);
        REQUIRE(send(fx, "A", 1, 42, data) == IucvRc::ok);
        auto sent = fx.sink.take();
        REQUIRE(sent.size() == 1);
        CHECK(sent[0].to == uid("B"));
        CHECK_FALSE(sent[0].via_notify);
        CHECK(as<IucvMessage>(sent[0]).path == t);
        CHECK(as<IucvMessage>(sent[0]).msgid == 42);
        CHECK_FALSE(as<IucvMessage>(sent[0]).two_way);
        CHECK(sent[0].data == data);

        REQUIRE(send(fx, "B", t, 1, bytes(3)) == IucvRc::ok);
        sent = fx.sink.take();
        REQUIRE(sent.size() == 1);
        CHECK(sent[0].to == uid("A"));
        CHECK(as<IucvMessage>(sent[0]).path == 1);

        const auto row = fx.paths.query().at(0);
        CHECK(row.messages_out == 1);
        CHECK(row.bytes_out == 1000);
        CHECK(row.messages_in == 1);
        CHECK(row.bytes_in == 3);
    }

    TEST_CASE("the data span goes to the sink without a copy") {
        Fixture fx;
        fx.open_guests({"A", "B"});
        fx.establish("A", 1, "B");
        struct SpySink : FakeSink {
            const std::byte* seen = nullptr;
            bool try_deliver(const Userid& to, const cpd::proto::CpdFrame& f) override {
                if (auto* m = std::get_if<IucvMessage>(&f))
                    seen = m->data.data();
                return FakeSink::try_deliver(to, f);
            }
        };
        SpySink spy;
        spy.dir = fx.sink.dir;
        spy.on = fx.sink.on;
        IucvPaths paths(spy);
        REQUIRE(paths.connect(uid("A"), {1, uid("B"), 0, {}}) == IucvRc::ok);
        const auto t = as<IucvPending>(spy.take().at(0)).path;
        REQUIRE(paths.answer(uid("B"), IucvAnswer{t, true, {}}) == IucvRc::ok);
        const auto data = bytes(64);
        REQUIRE(paths.send(uid("A"), IucvSend{1, 1, false, data}) == IucvRc::ok);
        CHECK(spy.seen == data.data());
    }

    TEST_CASE("a send on a pending, severed or foreign path fails and delivers nothing") {
        Fixture fx;
        fx.open_guests({"A", "B", "C"});
        const auto data = bytes(10);
        SUBCASE("pending") {
            REQUIRE(fx.connect("A", 1, "B") == IucvRc::ok);
            fx.sink.take();
            CHECK(send(fx, "A", 1, 5, data) == IucvRc::pending_path);
            check_send_failed(fx, "A", 1, 5, IucvRc::pending_path);
        }
        SUBCASE("severed by the peer") {
            const auto t = fx.establish("A", 1, "B");
            REQUIRE(fx.paths.sever(uid("B"), IucvSever{t, {}}) == IucvRc::ok);
            fx.sink.take();
            CHECK(send(fx, "A", 1, 5, data) == IucvRc::invalid_path);
            check_send_failed(fx, "A", 1, 5, IucvRc::invalid_path);
        }
        SUBCASE("never existed") {
            CHECK(send(fx, "A", 9, 5, data) == IucvRc::invalid_path);
            check_send_failed(fx, "A", 9, 5, IucvRc::invalid_path);
        }
        SUBCASE("another guest's local id") {
            fx.establish("A", 1, "B");
            CHECK(send(fx, "C", 1, 5, data) == IucvRc::invalid_path);
            check_send_failed(fx, "C", 1, 5, IucvRc::invalid_path);
        }
        CHECK(fx.paths.totals().messages == 0);
        CHECK(fx.paths.totals().send_failures == 1);
    }

    TEST_CASE("65535 bytes are delivered intact and 65536 are refused") {
        Fixture fx;
        fx.open_guests({"A", "B"});
        fx.establish("A", 1, "B");
        const auto max = bytes(65535, 3);
        REQUIRE(send(fx, "A", 1, 1, max) == IucvRc::ok);
        auto sent = fx.sink.take();
        REQUIRE(sent.size() == 1);
        CHECK(sent[0].data == max);

        const auto over = bytes(65536);
        CHECK(send(fx, "A", 1, 2, over) == IucvRc::data_too_long);
        check_send_failed(fx, "A", 1, 2, IucvRc::data_too_long);
        CHECK(send(fx, "A", 1, 3, {}) == IucvRc::ok); // zero bytes is a message too
    }

    TEST_CASE("a two-way message is answered by a reply to the original sender") {
        Fixture fx;
        fx.open_guests({"A", "B"});
        const auto t = fx.establish("A", 1, "B");
        REQUIRE(send(fx, "A", 1, 77, bytes(4), true) == IucvRc::ok);
        auto sent = fx.sink.take();
        REQUIRE(sent.size() == 1);
        CHECK(as<IucvMessage>(sent[0]).two_way);
        CHECK(fx.paths.query().at(0).outstanding == 1);

        SUBCASE("the reply arrives") {
            const auto answer = bytes(300, 9);
            REQUIRE(fx.paths.reply(uid("B"), IucvReply{t, 77, answer}) == IucvRc::ok);
            sent = fx.sink.take();
            REQUIRE(sent.size() == 1);
            CHECK(sent[0].to == uid("A"));
            CHECK(as<IucvReplyIn>(sent[0]).path == 1);
            CHECK(as<IucvReplyIn>(sent[0]).msgid == 77);
            CHECK(sent[0].data == answer);
            CHECK(fx.paths.query().at(0).outstanding == 0);
            CHECK(fx.paths.totals().replies == 1);
            // a second reply to the same message has nothing to answer
            CHECK(fx.paths.reply(uid("B"), IucvReply{t, 77, {}}) == IucvRc::invalid_path);
            check_send_failed(fx, "B", t, 77, IucvRc::invalid_path);
        }
        SUBCASE("only the receiver can reply, and only to a message it got") {
            CHECK(fx.paths.reply(uid("A"), IucvReply{1, 77, {}}) == IucvRc::invalid_path);
            check_send_failed(fx, "A", 1, 77, IucvRc::invalid_path);
            CHECK(fx.paths.reply(uid("B"), IucvReply{t, 78, {}}) == IucvRc::invalid_path);
            check_send_failed(fx, "B", t, 78, IucvRc::invalid_path);
        }
        SUBCASE("a one-way message cannot be replied to") {
            REQUIRE(send(fx, "A", 1, 80, bytes(1)) == IucvRc::ok);
            fx.sink.take();
            CHECK(fx.paths.reply(uid("B"), IucvReply{t, 80, {}}) == IucvRc::invalid_path);
            fx.sink.take();
        }
        SUBCASE("a msgid still awaiting a reply cannot be sent again") {
            CHECK(send(fx, "A", 1, 77, bytes(1), true) == IucvRc::invalid_path);
            check_send_failed(fx, "A", 1, 77, IucvRc::invalid_path);
        }
        SUBCASE("a full ring at the sender keeps the message outstanding for a retry") {
            fx.sink.full.insert(uid("A"));
            CHECK(fx.paths.reply(uid("B"), IucvReply{t, 77, bytes(2)}) == IucvRc::busy);
            check_send_failed(fx, "B", t, 77, IucvRc::busy);
            fx.sink.full.clear();
            CHECK(fx.paths.reply(uid("B"), IucvReply{t, 77, bytes(2)}) == IucvRc::ok);
        }
    }

    TEST_CASE("MSGLIMIT bounds outstanding two-way messages with rc 3") {
        Fixture fx;
        std::uint16_t requested = 0;
        std::uint32_t expected = IucvPaths::default_msglimit;
        SUBCASE("default 10") {
            fx.open_guests({"A", "B"});
        }
        SUBCASE("the CONNECT's limit") {
            fx.open_guests({"A", "B"});
            requested = 3;
            expected = 3;
        }
        SUBCASE("capped by the source's named statement") {
            fx.sink.load("USER A PW\nIUCV B MSGLIMIT 2\nIUCV ANY MSGLIMIT 7\nUSER B PW\n");
            requested = 5;
            expected = 2;
        }
        SUBCASE("capped by the source's ANY statement") {
            fx.sink.load("USER A PW\nIUCV ANY MSGLIMIT 4\nUSER B PW\nIUCV ALLOW MSGLIMIT 1\n");
            expected = 4;
        }
        SUBCASE("capped by the target's ALLOW statement") {
            fx.sink.load("USER A PW\nUSER B PW\nIUCV ALLOW MSGLIMIT 6\n");
            requested = 100;
            expected = 6;
        }
        SUBCASE("a cap above the request leaves the request") {
            fx.sink.load("USER A PW\nUSER B PW\nIUCV ALLOW MSGLIMIT 600\n");
            requested = 20;
            expected = 20;
        }
        CAPTURE(expected);
        const auto t = fx.establish("A", 1, "B", requested);
        CHECK(fx.paths.query().at(0).msglimit == expected);
        for (std::uint32_t i = 0; i < expected; ++i)
            REQUIRE(send(fx, "A", 1, 100 + i, bytes(1), true) == IucvRc::ok);
        fx.sink.take();
        CHECK(send(fx, "A", 1, 999, bytes(1), true) == IucvRc::msglimit_exceeded);
        check_send_failed(fx, "A", 1, 999, IucvRc::msglimit_exceeded);
        CHECK(send(fx, "A", 1, 1000, bytes(1)) == IucvRc::ok);    // one-way is not limited
        CHECK(send(fx, "B", t, 1, bytes(1), true) == IucvRc::ok); // the other direction is free
        fx.sink.take();
        REQUIRE(fx.paths.reply(uid("B"), IucvReply{t, 100, {}}) == IucvRc::ok);
        CHECK(send(fx, "A", 1, 999, bytes(1), true) == IucvRc::ok);
    }

    TEST_CASE("quiesce stops the peer's sends until resume; replies still flow") {
        Fixture fx;
        fx.open_guests({"A", "B"});
        const auto t = fx.establish("A", 1, "B");
        REQUIRE(send(fx, "A", 1, 1, bytes(1), true) == IucvRc::ok);
        fx.sink.take();

        REQUIRE(fx.paths.quiesce(uid("B"), IucvQuiesce{t, ud("HOLD")}) == IucvRc::ok);
        auto sent = fx.sink.take();
        REQUIRE(sent.size() == 1);
        CHECK(sent[0].to == uid("A"));
        CHECK(as<IucvQuiesced>(sent[0]).path == 1);
        CHECK(as<IucvQuiesced>(sent[0]).user_data == ud("HOLD"));
        CHECK(fx.paths.query().at(0).state == IucvPathState::quiesced);

        CHECK(send(fx, "A", 1, 2, bytes(1)) == IucvRc::path_quiesced);
        check_send_failed(fx, "A", 1, 2, IucvRc::path_quiesced);
        CHECK(send(fx, "B", t, 9, bytes(1)) == IucvRc::ok); // the quiescer may still send
        CHECK(fx.paths.reply(uid("B"), IucvReply{t, 1, {}}) == IucvRc::ok);
        fx.sink.take();
        CHECK(fx.paths.quiesce(uid("B"), IucvQuiesce{t, {}}) == IucvRc::ok); // again: no news
        CHECK(fx.sink.take().empty());

        REQUIRE(fx.paths.resume(uid("B"), IucvResume{t, ud("GO")}) == IucvRc::ok);
        sent = fx.sink.take();
        REQUIRE(sent.size() == 1);
        CHECK(as<IucvResumed>(sent[0]).path == 1);
        CHECK(as<IucvResumed>(sent[0]).user_data == ud("GO"));
        CHECK(fx.paths.query().at(0).state == IucvPathState::established);
        CHECK(send(fx, "A", 1, 3, bytes(1)) == IucvRc::ok);
        CHECK(fx.paths.resume(uid("B"), IucvResume{t, {}}) == IucvRc::ok);
        CHECK(fx.sink.take().size() == 1); // only the message

        SUBCASE("quiesce needs an established path of one's own") {
            CHECK(fx.paths.quiesce(uid("A"), IucvQuiesce{7, {}}) == IucvRc::invalid_path);
            REQUIRE(fx.connect("A", 2, "B") == IucvRc::ok);
            fx.sink.take();
            CHECK(fx.paths.quiesce(uid("A"), IucvQuiesce{2, {}}) == IucvRc::invalid_path);
            CHECK(fx.paths.resume(uid("A"), IucvResume{2, {}}) == IucvRc::invalid_path);
            CHECK(fx.sink.take().empty());
        }
    }

    TEST_CASE("a full peer ring fails the send with rc 61 and counts it") {
        Fixture fx;
        fx.open_guests({"A", "B"});
        fx.establish("A", 1, "B");
        fx.sink.full.insert(uid("B"));
        CHECK(send(fx, "A", 1, 4, bytes(8), true) == IucvRc::busy);
        check_send_failed(fx, "A", 1, 4, IucvRc::busy);
        CHECK(fx.paths.query().at(0).outstanding == 0);
        CHECK(fx.paths.query().at(0).messages_out == 0);
        CHECK(fx.paths.totals().ring_full == 1);
        fx.sink.full.clear();
        CHECK(send(fx, "A", 1, 4, bytes(8), true) == IucvRc::ok);
    }

    TEST_CASE("many messages on one path arrive in order") {
        Fixture fx;
        fx.open_guests({"A", "B"});
        const auto t = fx.establish("A", 1, "B");
        constexpr std::uint32_t count = 5000;
        for (std::uint32_t i = 0; i < count; ++i)
            REQUIRE(send(fx, "A", 1, i, bytes(i % 97, i)) == IucvRc::ok);
        const auto sent = fx.sink.take();
        REQUIRE(sent.size() == count);
        for (std::uint32_t i = 0; i < count; ++i) {
            const auto& m = as<IucvMessage>(sent[i]);
            REQUIRE(m.path == t);
            REQUIRE(m.msgid == i);
            REQUIRE(sent[i].data == bytes(i % 97, i));
        }
        CHECK(fx.paths.query().at(0).messages_out == count);
    }

    TEST_CASE("a self-path carries messages between the guest's two ids") {
        Fixture fx;
        fx.sink.add("A");
        const auto t = fx.establish("A", 1, "A");
        REQUIRE(send(fx, "A", 1, 1, bytes(5), true) == IucvRc::ok);
        auto sent = fx.sink.take();
        REQUIRE(sent.size() == 1);
        CHECK(as<IucvMessage>(sent[0]).path == t);
        REQUIRE(fx.paths.reply(uid("A"), IucvReply{t, 1, bytes(2)}) == IucvRc::ok);
        sent = fx.sink.take();
        REQUIRE(sent.size() == 1);
        CHECK(as<IucvReplyIn>(sent[0]).path == 1);
        CHECK(fx.paths.reply(uid("A"), IucvReply{1, 1, {}}) == IucvRc::invalid_path);
    }

    TEST_CASE("severing purges outstanding two-way messages") {
        Fixture fx;
        fx.open_guests({"A", "B"});
        const auto t = fx.establish("A", 1, "B");
        REQUIRE(send(fx, "A", 1, 1, bytes(1), true) == IucvRc::ok);
        REQUIRE(fx.paths.guest_gone(uid("B")) == 1);
        auto sent = fx.sink.take();
        REQUIRE(sent.size() == 2); // the message, then the IucvSevered; no IucvSendFailed
        CHECK(std::holds_alternative<cpd::proto::IucvSevered>(sent[1].frame));
        CHECK(fx.paths.reply(uid("B"), IucvReply{t, 1, {}}) == IucvRc::invalid_path);
    }

} // TEST_SUITE
