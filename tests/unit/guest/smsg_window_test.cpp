// SPDX-License-Identifier: MIT
// SmsgWindow and SmsgCredits against a recording Context: the window stops
// the sender at its size and at a full ring, credits reopen it (only the
// receiver's, and never wider than what was sent), and the receiver credits
// every N, retrying later when its own ring is full.
#include "cpd/guest/smsg_window.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace cpd::guest;

namespace {

Userid uid(std::string_view s) {
    return *Userid::parse(s);
}

/// Records SMSGs; `ring_full` makes send_smsg say busy; call_later is kept.
class RecordingContext final : public Context {
  public:
    struct Sent {
        std::string to, text;
    };
    std::vector<Sent> sent;
    bool ring_full = false;
    std::vector<std::function<void(Context&)>> later;

    const Userid& userid() const noexcept override { return me_; }
    std::string_view parm() const noexcept override { return {}; }
    SendStatus send_smsg(std::string_view to, std::string_view text) noexcept override {
        if (ring_full) {
            return SendStatus::busy;
        }
        sent.push_back({std::string(to), std::string(text)});
        return SendStatus::ok;
    }
    SendStatus set_smsg(bool) noexcept override { return SendStatus::ok; }
    void logoff() noexcept override {}
    SendStatus console_write(std::string_view) noexcept override { return SendStatus::ok; }
    SendStatus console_end(int) noexcept override { return SendStatus::ok; }
    SendStatus cp_command(std::uint32_t, std::string_view) noexcept override {
        return SendStatus::ok;
    }
    ConnectResult iucv_connect(std::string_view, const UserData&, std::uint16_t) noexcept override {
        return {};
    }
    IucvRc iucv_sever(PathId, const UserData&) noexcept override { return IucvRc::ok; }
    IucvSendResult iucv_send(PathId, std::span<const std::byte>, bool) noexcept override {
        return {};
    }
    IucvRc iucv_reply(PathId, std::uint32_t, std::span<const std::byte>) noexcept override {
        return IucvRc::ok;
    }
    IucvRc iucv_quiesce(PathId, const UserData&) noexcept override { return IucvRc::ok; }
    IucvRc iucv_resume(PathId, const UserData&) noexcept override { return IucvRc::ok; }
    bool call_later(std::chrono::microseconds, std::function<void(Context&)> fn) noexcept override {
        later.push_back(std::move(fn));
        return true;
    }

  private:
    Userid me_ = uid("TESTER");
};

const std::string credit_2 = "\x1F"
                             "CREDIT 2";

} // namespace

TEST_SUITE("guest.smsg_window") {

    TEST_CASE("the window stops the sender at its size until the receiver credits") {
        RecordingContext ctx;
        SmsgWindow w("RECV", 3);
        for (int i = 0; i < 3; ++i) {
            CHECK(w.send(ctx, "data") == SendStatus::ok);
        }
        CHECK(w.is_window_full());
        CHECK(w.send(ctx, "data") == SendStatus::busy);
        CHECK(ctx.sent.size() == 3); // waited, not sent, not dropped
        CHECK(w.waits() == 1);
        CHECK(w.on_smsg(uid("RECV"), credit_2));
        CHECK(w.in_flight() == 1);
        CHECK(w.send(ctx, "data") == SendStatus::ok);
        CHECK(w.send(ctx, "data") == SendStatus::ok);
        CHECK(w.send(ctx, "data") == SendStatus::busy);
        CHECK(w.sent() == 5);
        CHECK(ctx.sent.back().to == "RECV");
    }

    TEST_CASE("a full ring is a wait too, and nothing is counted as sent") {
        RecordingContext ctx;
        SmsgWindow w("RECV", 8);
        ctx.ring_full = true;
        CHECK(w.send(ctx, "data") == SendStatus::busy);
        CHECK(w.sent() == 0);
        CHECK(w.in_flight() == 0);
        CHECK(w.waits() == 1);
        ctx.ring_full = false;
        CHECK(w.send(ctx, "data") == SendStatus::ok);
        CHECK(w.sent() == 1);
    }

    TEST_CASE("only the receiver's well-formed credits open the window, never wider") {
        RecordingContext ctx;
        SmsgWindow w("RECV", 2);
        CHECK(w.send(ctx, "a") == SendStatus::ok);
        CHECK(w.send(ctx, "b") == SendStatus::ok);
        CHECK_FALSE(w.on_smsg(uid("OTHER"), credit_2));  // someone else's: the program's SMSG
        CHECK_FALSE(w.on_smsg(uid("RECV"), "CREDIT 2")); // no marker: the program's SMSG
        CHECK(w.on_smsg(uid("RECV"), "\x1F"
                                     "CREDIT 9")); // more than in flight: taken, ignored
        CHECK(w.on_smsg(uid("RECV"), "\x1F"
                                     "CREDIT x"));
        CHECK(w.is_window_full());
        CHECK(w.on_smsg(uid("RECV"), credit_2));
        CHECK(w.in_flight() == 0);
    }

    TEST_CASE("a bad target is refused at once") {
        RecordingContext ctx;
        SmsgWindow w("not a userid", 4);
        CHECK(w.send(ctx, "data") == SendStatus::invalid_userid);
        CHECK(ctx.sent.empty());
    }

    TEST_CASE("the receiver credits every N, and later when its ring is full") {
        RecordingContext ctx;
        SmsgCredits c(2);
        c.on_smsg(ctx, uid("SEND"));
        CHECK(ctx.sent.empty());
        c.on_smsg(ctx, uid("SEND"));
        REQUIRE(ctx.sent.size() == 1);
        CHECK(ctx.sent[0].to == "SEND");
        CHECK(ctx.sent[0].text == credit_2);
        CHECK(is_smsg_credit(ctx.sent[0].text));

        ctx.ring_full = true;
        c.on_smsg(ctx, uid("SEND"));
        c.on_smsg(ctx, uid("SEND")); // owed 2: the credit finds the ring full
        CHECK(ctx.sent.size() == 1);
        REQUIRE(ctx.later.size() == 1);
        c.on_smsg(ctx, uid("SEND")); // owed 3, the retry already armed
        CHECK(ctx.later.size() == 1);
        ctx.ring_full = false;
        ctx.later[0](ctx);
        REQUIRE(ctx.sent.size() == 2);
        CHECK(ctx.sent[1].text == "\x1F"
                                  "CREDIT 3");
        CHECK(c.received() == 5);
    }
}
