// SPDX-License-Identifier: MIT
// Unit tests of FrameHandler with real rings, a real Delivery and SmsgRouter,
// and recording stand-ins for the rest of cpd: SMSGs stamped with the
// sender, refusals as CP messages, CP commands answered even through a full
// ring, IUCV SEND and REPLY checked from a private copy of their prefix,
// batches, and guests forced off for frames that break the rules.
#include "routing/frame_handler.hpp"
#include "routing_rig.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace cpd::daemon;
using namespace cpd::daemon::test;
using cpd::ipc::RingStatus;
namespace proto = cpd::proto;

namespace {

/// Records the IUCV frames handed on (data copied: the frames only borrow it).
class RecordingIucv final : public IucvHandler {
  public:
    void on_guest_frame(const proto::Userid& from, const proto::GuestFrame& frame) override {
        from_.push_back(std::string(from.str()));
        if (const auto* s = std::get_if<proto::IucvSend>(&frame)) {
            data.emplace_back(reinterpret_cast<const char*>(s->data.data()), s->data.size());
            msgids.push_back(s->msgid);
        } else if (const auto* r = std::get_if<proto::IucvReply>(&frame)) {
            data.emplace_back(reinterpret_cast<const char*>(r->data.data()), r->data.size());
            msgids.push_back(r->msgid);
        } else {
            data.emplace_back("other");
            msgids.push_back(0);
        }
    }
    void on_guest_gone(const proto::Userid&) override {}
    std::vector<std::string> from_, data;
    std::vector<std::uint32_t> msgids;
};

struct Rig {
    boost::asio::io_context io;
    GuestTable table;
    RecordingControl control;
    ScriptedCommands commands;
    BufferingConsoleHub console{100};
    RecordingIucv iucv;
    Delivery delivery{io, table, control};
    SmsgRouter smsg{table, delivery};
    FrameHandler handler{delivery, smsg, control, commands, console, iucv};
    RigGuest alice = add_guest(io, table, "ALICE");
    RigGuest bob = add_guest(io, table, "BOB", 4096);
};

std::vector<std::byte> bytes_of(std::string_view s) {
    const auto* p = reinterpret_cast<const std::byte*>(s.data());
    return {p, p + s.size()};
}

} // namespace

TEST_SUITE("cpd.routing.frames") {

    TEST_CASE("an SMSG reaches its target stamped with the sender's userid") {
        Rig r;
        r.alice.say(proto::SmsgSend{userid("BOB"), "hi bob"});
        CHECK(r.handler.drain(*r.alice.cpd).frames == 1);
        auto f = r.bob.next();
        REQUIRE(f);
        const auto& m = std::get<proto::SmsgDeliver>(*f);
        CHECK(m.from == userid("ALICE"));
        CHECK(m.text == "hi bob");
        CHECK(r.smsg.totals().routed == 1);
        CHECK(r.alice.cpd->counters.routed_out == 1);
    }

    TEST_CASE("an SMSG to a userid not logged on earns the sender HCPMSG045E") {
        Rig r;
        r.alice.say(proto::SmsgSend{userid("NOBODY"), "anyone?"});
        r.handler.drain(*r.alice.cpd);
        auto f = r.alice.next();
        REQUIRE(f);
        const auto& m = std::get<proto::MessageDeliver>(*f);
        CHECK(m.kind == proto::MessageKind::emsg);
        CHECK(m.from.str() == "SYSTEM");
        CHECK(m.text == "HCPMSG045E NOBODY not logged on");
    }

    TEST_CASE("under SET EMSG CODE the refusal is the id alone, under OFF nothing") {
        Rig r;
        r.alice.cpd->messages.emsg = EmsgMode::code;
        r.alice.say(proto::SmsgSend{userid("NOBODY"), "anyone?"});
        r.handler.drain(*r.alice.cpd);
        auto f = r.alice.next();
        REQUIRE(f);
        CHECK(std::get<proto::MessageDeliver>(*f).text == "HCPMSG045E");
        r.alice.cpd->messages.emsg = EmsgMode::off;
        r.alice.say(proto::SmsgSend{userid("NOBODY"), "anyone?"});
        r.handler.drain(*r.alice.cpd);
        CHECK_FALSE(r.alice.next());
    }

    TEST_CASE("a CP command is answered with its tag even when the guest's ring is full") {
        Rig r;
        while (r.delivery.offer(*r.bob.cpd, proto::SmsgDeliver{userid("X"), "flood"}) ==
               RingStatus::ok) {
        }
        r.commands.answer = {proto::CpRc::ok, "HCPTELL done"};
        r.bob.say(proto::CpCommand{42, "TELL ALICE hi"});
        r.handler.drain(*r.bob.cpd);
        REQUIRE(r.commands.commands.size() == 1);
        CHECK(r.commands.commands[0] == "BOB: TELL ALICE hi");
        bool answered = false;
        for (int i = 0; i < 200 && !answered; ++i) { // the guest reads; cpd retries each round
            while (auto f = r.bob.next()) {
                if (const auto* resp = std::get_if<proto::CpResponse>(&*f)) {
                    CHECK(resp->tag == 42);
                    CHECK(resp->text == "HCPTELL done");
                    answered = true;
                }
            }
            r.delivery.begin_round();
            r.delivery.end_round();
        }
        CHECK(answered);
        CHECK(r.control.forced.empty());
    }

    TEST_CASE("IUCV SEND and REPLY data is handed on from the ring, prefix checked") {
        Rig r;
        const auto data = bytes_of("payload bytes");
        r.alice.say(proto::IucvSend{1, 77, true, data});
        r.alice.say(proto::IucvReply{1, 78, data});
        CHECK(r.handler.drain(*r.alice.cpd).frames == 2);
        REQUIRE(r.iucv.data.size() == 2);
        CHECK(r.iucv.data[0] == "payload bytes");
        CHECK(r.iucv.msgids[0] == 77);
        CHECK(r.iucv.msgids[1] == 78);
        CHECK(r.control.forced.empty());
    }

    TEST_CASE("an IUCV SEND whose length field lies gets its guest forced off") {
        Rig r;
        const auto data = bytes_of("four");
        std::vector<std::byte> payload(proto::encoded_size(proto::IucvSend{1, 1, false, data}));
        proto::encode(proto::IucvSend{1, 1, false, data}, payload);
        SUBCASE("longer than what follows") {
            payload[9] = std::byte{0xFF};
        }
        SUBCASE("a two-way flag that is neither 0 nor 1") {
            payload[8] = std::byte{7};
        }
        SUBCASE("shorter than the fixed prefix") {
            payload.resize(5);
        }
        REQUIRE(r.alice.outbound.push(static_cast<std::uint32_t>(proto::RingFrameType::iucv_send),
                                      payload) == RingStatus::ok);
        CHECK(r.handler.drain(*r.alice.cpd).state == Drain::dead);
        REQUIRE(r.control.forced.size() == 1);
        CHECK(r.control.forced[0].find("corrupt frame: type 0x0") != std::string::npos);
        CHECK(r.iucv.data.empty());
    }

    TEST_CASE("a record that does not decode gets its guest forced off, naming its type") {
        Rig r;
        const std::vector<std::byte> junk(3, std::byte{0xEE});
        REQUIRE(r.alice.outbound.push(static_cast<std::uint32_t>(proto::RingFrameType::cp_command),
                                      junk) == RingStatus::ok);
        CHECK(r.handler.drain(*r.alice.cpd).state == Drain::dead);
        REQUIRE(r.control.forced.size() == 1);
        CHECK(r.control.forced[0].starts_with("ALICE: corrupt frame/ring: corrupt frame: type 0x"));
        CHECK(r.alice.cpd->faulted);
    }

    TEST_CASE("a batch ends after batch_frames frames and says there is more") {
        Rig r;
        for (int i = 0; i < FrameHandler::batch_frames + 3; ++i) {
            REQUIRE(cpd::ipc::push_frame(r.alice.outbound, proto::SetSmsg{true}) == RingStatus::ok);
        }
        const DrainResult first = r.handler.drain(*r.alice.cpd);
        CHECK(first.frames == FrameHandler::batch_frames);
        CHECK(first.state == Drain::more);
        const DrainResult second = r.handler.drain(*r.alice.cpd);
        CHECK(second.frames == 3);
        CHECK(second.state == Drain::empty);
        CHECK(r.handler.frames() == FrameHandler::batch_frames + 3);
    }

    TEST_CASE("LOGOFF, a panic, SET SMSG and console lines go where they belong") {
        Rig r;
        r.console.on_guest_logon(userid("ALICE"));
        r.alice.say(proto::SetSmsg{false});
        r.alice.say(proto::ConsoleOutput{"a console line"});
        r.alice.say(proto::HandlerPanic{"boom"});
        r.alice.say(proto::LogoffRequest{});
        r.handler.drain(*r.alice.cpd);
        CHECK_FALSE(r.alice.cpd->smsg_on);
        REQUIRE(r.console.replay(userid("ALICE")) != nullptr);
        CHECK(r.console.replay(userid("ALICE"))->lines().back().find("a console line") !=
              std::string::npos);
        CHECK(r.control.panics == std::vector<std::string>{"ALICE: boom"});
        CHECK(r.control.logoffs == std::vector<std::string>{"ALICE"});
    }

    TEST_CASE("the cached SMSG target follows logoffs, logons and listeners") {
        struct Listener final : SmsgListener {
            std::vector<std::string> texts;
            void on_smsg_event(const proto::Userid&, std::string_view text) override {
                texts.emplace_back(text);
            }
        };
        Rig r;
        const proto::Userid alice = userid("ALICE"), bob = userid("BOB");
        CHECK(r.smsg.route(alice, nullptr, bob, "one") == proto::CpRc::ok); // BOB is cached now
        CHECK(r.bob.next().has_value());
        r.bob.cpd->state = GuestState::logging_off; // a cached guest that stops running
        CHECK(r.smsg.route(alice, nullptr, bob, "two") == proto::CpRc::not_logged_on);
        r.bob.cpd->state = GuestState::running;
        CHECK(r.smsg.route(alice, nullptr, bob, "three") == proto::CpRc::ok);
        Listener listener; // a listener that comes after the target was cached is told too
        r.smsg.add_listener(bob, &listener);
        CHECK(r.smsg.route(alice, nullptr, bob, "four") == proto::CpRc::ok);
        CHECK(listener.texts == std::vector<std::string>{"four"});
        r.smsg.remove_listener(&listener);
        CHECK(r.smsg.route(alice, nullptr, bob, "five") == proto::CpRc::ok);
        CHECK(listener.texts.size() == 1);
        // Gone: the Router forgets it before the table drops it.
        r.smsg.forget_target(bob);
        r.table.erase(bob);
        CHECK(r.smsg.route(alice, nullptr, bob, "six") == proto::CpRc::not_logged_on);
        // A refusal is not cached: a listener for an unknown userid is found at once.
        const proto::Userid carol = userid("CAROL");
        CHECK(r.smsg.route(alice, nullptr, carol, "seven") == proto::CpRc::not_logged_on);
        r.smsg.add_listener(carol, &listener);
        CHECK(r.smsg.route(alice, nullptr, carol, "eight") == proto::CpRc::ok);
        CHECK(listener.texts.back() == "eight");
        r.smsg.remove_listener(&listener);
    }

} // TEST_SUITE
