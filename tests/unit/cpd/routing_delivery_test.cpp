// SPDX-License-Identifier: MIT
// Unit tests of Delivery, the one owner of pushes to guests' inbound rings:
// publishing per round, the must-not-lose backlog and its order, cutting CP
// responses to fit, collapsing QUIESCE/RESUME toggles, the backlog bounds,
// and forcing off a guest that corrupts its inbound ring.
#include "routing/delivery.hpp"
#include "routing/response_cut.hpp"
#include "routing_rig.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace cpd::daemon;
using namespace cpd::daemon::test;
using cpd::ipc::RingStatus;
namespace proto = cpd::proto;

namespace {

const proto::Userid sender = *proto::Userid::parse("OTHER");

/// Fills the guest's ring with SMSGs until one does not fit.
int fill(Delivery& d, RigGuest& g) {
    int n = 0;
    while (d.offer(*g.cpd, proto::SmsgDeliver{sender, "filler"}) == RingStatus::ok) {
        ++n;
    }
    return n;
}

/// Pops every visible frame; returns how many there were.
int drain(RigGuest& g) {
    int n = 0;
    while (g.next()) {
        ++n;
    }
    return n;
}

struct Rig {
    boost::asio::io_context io;
    GuestTable table;
    RecordingControl control;
    RigGuest guest = add_guest(io, table, "TARGET", 4096);
};

} // namespace

TEST_SUITE("cpd.routing.delivery") {

    TEST_CASE("an offer outside a round is visible to the guest at once") {
        Rig r;
        Delivery d(r.io, r.table, r.control);
        REQUIRE(d.offer(*r.guest.cpd, proto::SmsgDeliver{sender, "hello"}) == RingStatus::ok);
        auto f = r.guest.next();
        REQUIRE(f);
        CHECK(std::get<proto::SmsgDeliver>(*f).text == "hello");
    }

    TEST_CASE("inside a round frames are published once, when the round ends") {
        Rig r;
        Delivery d(r.io, r.table, r.control);
        d.begin_round();
        REQUIRE(d.offer(*r.guest.cpd, proto::SmsgDeliver{sender, "one"}) == RingStatus::ok);
        REQUIRE(d.owe(*r.guest.cpd, proto::CpMessage{"two"}));
        CHECK_FALSE(r.guest.next());
        d.end_round();
        CHECK(drain(r.guest) == 2);
    }

    TEST_CASE("what CP owes waits on a full ring and keeps its place") {
        Rig r;
        Delivery d(r.io, r.table, r.control);
        const int filled = fill(d, r.guest);
        REQUIRE(filled > 0);
        REQUIRE(d.owe(*r.guest.cpd, proto::CpResponse{7, proto::CpRc::ok, "the answer"}));
        CHECK(d.backlog_frames(r.guest.cpd->userid) == 1);
        // Nothing overtakes it: a droppable frame fails while the response waits.
        CHECK(d.offer(*r.guest.cpd, proto::SmsgDeliver{sender, "late"}) == RingStatus::full);

        SUBCASE("a round after the guest drained delivers it, after the earlier frames") {
            CHECK(drain(r.guest) == filled);
            d.begin_round();
            d.end_round();
        }
        SUBCASE("the retry timer delivers it when the guest drains without telling cpd") {
            CHECK(drain(r.guest) == filled);
            r.io.run_for(std::chrono::milliseconds(50));
        }
        auto f = r.guest.next();
        REQUIRE(f);
        const auto* resp = std::get_if<proto::CpResponse>(&*f);
        REQUIRE(resp != nullptr);
        CHECK(resp->tag == 7);
        CHECK(resp->text == "the answer");
        CHECK(d.backlog_frames(r.guest.cpd->userid) == 0);
        CHECK(d.offer(*r.guest.cpd, proto::SmsgDeliver{sender, "now"}) == RingStatus::ok);
        CHECK(r.control.forced.empty());
    }

    TEST_CASE("owed frames go out in the order they were owed") {
        Rig r;
        Delivery d(r.io, r.table, r.control);
        fill(d, r.guest);
        for (std::uint32_t tag = 1; tag <= 20; ++tag) {
            REQUIRE(d.owe(*r.guest.cpd, proto::CpResponse{tag, proto::CpRc::ok, "r"}));
        }
        std::uint32_t expected = 1;
        for (int round = 0; round < 100 && expected <= 20; ++round) {
            while (auto f = r.guest.next()) {
                if (const auto* resp = std::get_if<proto::CpResponse>(&*f)) {
                    CHECK(resp->tag == expected);
                    ++expected;
                }
            }
            d.begin_round();
            d.end_round();
        }
        CHECK(expected == 21);
    }

    TEST_CASE("a CP response larger than the ring can carry is cut and marked") {
        boost::asio::io_context io;
        GuestTable table;
        RecordingControl control;
        RigGuest g = add_guest(io, table, "SMALL", 64 * 1024);
        Delivery d(io, table, control);
        std::string big;
        for (int i = 0; big.size() < 100'000; ++i) {
            big += "LINE " + std::to_string(i) + " of a large answer\n";
        }
        big.pop_back();
        REQUIRE(d.owe(*g.cpd, proto::CpResponse{3, proto::CpRc::ok, big}));
        auto f = g.next();
        REQUIRE(f);
        const auto& resp = std::get<proto::CpResponse>(*f);
        CHECK(resp.tag == 3);
        CHECK(resp.text.size() <= g.cpd->inbound.max_payload());
        CHECK(resp.text.starts_with("LINE 0 of a large answer\n"));
        const std::string_view last = resp.text.substr(resp.text.rfind('\n') + 1);
        CHECK(last.starts_with(response_cut_mark));
        CHECK(last.find(std::to_string(big.size()) + " bytes") != std::string_view::npos);
        CHECK(d.totals().responses_cut == 1);
    }

    TEST_CASE("quiesce and resume toggled against a full ring leave at most one of each") {
        Rig r;
        Delivery d(r.io, r.table, r.control);
        fill(d, r.guest);
        for (int i = 0; i < 5000; ++i) {
            REQUIRE(d.owe(*r.guest.cpd, proto::IucvQuiesced{1, {}}));
            REQUIRE(d.owe(*r.guest.cpd, proto::IucvResumed{1, {}}));
        }
        CHECK(d.backlog_frames(r.guest.cpd->userid) == 0);
        REQUIRE(d.owe(*r.guest.cpd, proto::IucvQuiesced{2, {}}));
        REQUIRE(d.owe(*r.guest.cpd, proto::IucvQuiesced{1, {}}));
        CHECK(d.backlog_frames(r.guest.cpd->userid) == 2); // other paths do not cancel
        CHECK(r.control.forced.empty());
        CHECK(d.totals().collapsed == 5000);
    }

    TEST_CASE("a backlog over its bound forces the guest off once, saying which bound") {
        boost::asio::io_context io;
        GuestTable table;
        RecordingControl control;
        RigGuest g = add_guest(io, table, "DEAF", 4096);
        SUBCASE("frames") {
            Delivery d(io, table, control, BacklogBounds{8, 1u << 20});
            fill(d, g);
            for (int i = 0; i < 20; ++i) {
                d.owe(*g.cpd, proto::CpMessage{"owed"});
            }
            REQUIRE(control.forced.size() == 1);
            CHECK(control.forced[0].find("over the bound of 8 frames") != std::string::npos);
            CHECK(control.forced[0].find("(frames)") != std::string::npos);
        }
        SUBCASE("bytes") {
            Delivery d(io, table, control, BacklogBounds{4096, 100});
            fill(d, g);
            for (int i = 0; i < 20; ++i) {
                d.owe(*g.cpd,
                      proto::CpMessage{"owed, and long enough to pass one hundred bytes in a few"});
            }
            REQUIRE(control.forced.size() == 1);
            CHECK(control.forced[0].find("(bytes)") != std::string::npos);
        }
        CHECK(g.cpd->faulted);
    }

    TEST_CASE("a guest whose inbound ring head is corrupt is forced off the moment cpd needs it") {
        Rig r;
        Delivery d(r.io, r.table, r.control);
        auto& control = r.guest.inbound_control();
        SUBCASE("head beyond the tail") {
            control.head.store(control.tail.load() + 64 * 4096);
        }
        SUBCASE("head not record-aligned") {
            control.head.store(3);
        }
        RingStatus st = RingStatus::ok;
        for (int i = 0; i < 1000 && st == RingStatus::ok; ++i) {
            st = d.offer(*r.guest.cpd, proto::SmsgDeliver{sender, "to a broken ring"});
        }
        CHECK(st == RingStatus::corrupt);
        REQUIRE(r.control.forced.size() == 1);
        CHECK(r.control.forced[0].find("corrupt inbound ring") != std::string::npos);
        CHECK(r.guest.cpd->faulted);
        CHECK(d.totals().corrupt_rings == 1);
        CHECK(d.owe(*r.guest.cpd, proto::CpMessage{"too late"})); // accepted, nobody forced twice
        CHECK(r.control.forced.size() == 1);
    }

    TEST_CASE("a guest that is gone is owed nothing, and forget drops its backlog") {
        Rig r;
        Delivery d(r.io, r.table, r.control);
        fill(d, r.guest);
        REQUIRE(d.owe(*r.guest.cpd, proto::CpMessage{"waits"}));
        d.forget(*r.guest.cpd);
        CHECK(d.backlog_frames(r.guest.cpd->userid) == 0);
        r.guest.cpd->state = GuestState::gone;
        CHECK_FALSE(d.owe(*r.guest.cpd, proto::CpMessage{"nobody"}));
    }

} // TEST_SUITE
