// SPDX-License-Identifier: MIT
// Unit tests of the Poller with a scripted FrameDrainer: rounds are bracketed
// for the RoundObserver, a doorbell brings its guest back, a guest with more
// to say keeps its turn without starving others, a detached guest is left
// alone, and the pre-sleep spin looks only at guests that were recently active.
#include "routing/poller.hpp"
#include "routing_rig.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <thread>
#include <map>
#include <string>

using namespace cpd::daemon;
using namespace cpd::daemon::test;
namespace proto = cpd::proto;
using namespace std::chrono_literals;

namespace {

/// Consumes every frame a guest wrote (up to `batch`), logging whose turn it was.
class ScriptedDrainer final : public FrameDrainer {
  public:
    DrainResult drain(Guest& g) override {
        order.emplace_back(g.userid.str());
        ++drained[std::string(g.userid.str())];
        DrainResult r;
        cpd::ipc::RecordView v;
        while (r.frames < batch && g.outbound.peek(v) == cpd::ipc::RingStatus::ok) {
            g.outbound.consume();
            ++r.frames;
        }
        r.state = g.outbound.is_empty() ? Drain::empty : Drain::more;
        return r;
    }
    int batch = 64;
    std::vector<std::string> order;
    std::map<std::string, int> drained;
};

/// Counts round edges and checks they alternate.
class CountingRounds final : public RoundObserver {
  public:
    void begin_round() override {
        CHECK_FALSE(open);
        open = true;
        ++begun;
    }
    void end_round() override {
        CHECK(open);
        open = false;
        ++ended;
    }
    bool open = false;
    int begun = 0, ended = 0;
};

struct Rig {
    boost::asio::io_context io;
    GuestTable table;
    ScriptedDrainer drainer;
    CountingRounds rounds;
    Poller poller{io, drainer, rounds};

    /// Runs handlers until `pred` holds (or 2 s pass).
    template <class Pred> bool run_until(Pred pred) {
        const auto end = std::chrono::steady_clock::now() + 2s;
        while (!pred() && std::chrono::steady_clock::now() < end) {
            io.run_for(1ms);
        }
        return pred();
    }
};

const proto::SmsgSend hello{*proto::Userid::parse("ANYONE"), "hello"};

} // namespace

TEST_SUITE("cpd.routing.poller") {

    TEST_CASE("an attached guest is drained in a round the observer sees begin and end") {
        Rig r;
        RigGuest g = add_guest(r.io, r.table, "ALPHA");
        g.say(hello);
        r.poller.attach(g.cpd);
        REQUIRE(r.run_until([&] { return r.drainer.drained["ALPHA"] >= 1; }));
        r.io.poll();
        CHECK(r.rounds.begun >= 1);
        CHECK(r.rounds.begun == r.rounds.ended);
        CHECK(g.cpd->outbound.is_empty());
    }

    TEST_CASE("a sleeping guest's doorbell brings it back for another round") {
        Rig r;
        RigGuest g = add_guest(r.io, r.table, "ALPHA");
        r.poller.attach(g.cpd);
        REQUIRE(r.run_until([&] { return g.cpd->bell_armed; })); // asleep, bell watched
        const int before = r.drainer.drained["ALPHA"];
        g.say(hello);
        REQUIRE(r.run_until([&] { return r.drainer.drained["ALPHA"] > before; }));
        CHECK(r.poller.totals().wakeups >= 1);
    }

    TEST_CASE("a guest with more to say takes turns with the others") {
        Rig r;
        r.drainer.batch = 1;
        RigGuest busy = add_guest(r.io, r.table, "BUSY");
        RigGuest quiet = add_guest(r.io, r.table, "QUIET");
        for (int i = 0; i < 5; ++i) {
            busy.say(hello);
        }
        quiet.say(hello);
        r.poller.attach(busy.cpd);
        r.poller.attach(quiet.cpd);
        REQUIRE(r.run_until([&] { return busy.cpd->outbound.is_empty(); }));
        // QUIET's one frame is handled in the first round, not after BUSY's five.
        const auto& o = r.drainer.order;
        REQUIRE(o.size() >= 2);
        CHECK(o[0] == "BUSY");
        CHECK(o[1] == "QUIET");
    }

    TEST_CASE("a detached guest is not drained again") {
        Rig r;
        RigGuest g = add_guest(r.io, r.table, "ALPHA");
        r.poller.attach(g.cpd);
        REQUIRE(r.run_until([&] { return g.cpd->bell_armed; }));
        g.cpd->state = GuestState::gone;
        r.poller.detach(*g.cpd);
        const int before = r.drainer.drained["ALPHA"];
        g.say(hello);
        r.io.run_for(20ms);
        CHECK(r.drainer.drained["ALPHA"] == before);
    }

    TEST_CASE("the spin before sleeping looks only at guests that were recently active") {
        Rig r;
        RigGuest chatty = add_guest(r.io, r.table, "CHATTY");
        std::vector<RigGuest> idle;
        for (int i = 0; i < 50; ++i) {
            idle.push_back(add_guest(r.io, r.table, "IDLE" + std::to_string(i), 4096));
            r.poller.attach(idle.back().cpd);
        }
        r.poller.attach(chatty.cpd);
        REQUIRE(r.run_until([&] {
            return std::all_of(idle.begin(), idle.end(), [](auto& g) { return g.cpd->bell_armed; });
        }));
        CHECK(r.poller.active_guests() == 0); // nobody has said anything yet
        // An idle guest writes without ringing its bell (as it would if it saw cpd
        // awake): only its doorbell may bring it back, never a spin for someone else.
        REQUIRE(cpd::ipc::push_frame(idle[7].outbound, hello) == cpd::ipc::RingStatus::ok);
        const int idle_before = r.drainer.drained["IDLE7"];
        for (int i = 0; i < 20; ++i) {
            const int n = r.drainer.drained["CHATTY"];
            chatty.say(hello);
            REQUIRE(r.run_until([&] { return r.drainer.drained["CHATTY"] > n; }));
        }
        CHECK(r.poller.active_guests() == 1);
        CHECK(r.drainer.drained["IDLE7"] == idle_before);
        idle[7].outbound.wake_if_sleeping(idle[7].cpd->outbound_bell);
        REQUIRE(r.run_until([&] { return r.drainer.drained["IDLE7"] > idle_before; }));
    }

    TEST_CASE("a guest that stops talking leaves the spin set after the active window") {
        Rig r;
        RigGuest g = add_guest(r.io, r.table, "ALPHA");
        r.poller.attach(g.cpd);
        g.say(hello);
        REQUIRE(r.run_until([&] { return r.poller.active_guests() == 1; }));
        std::this_thread::sleep_for(Poller::active_window + 5ms);
        RigGuest other = add_guest(r.io, r.table, "BETA");
        r.poller.attach(other.cpd); // any round forgets the inactive
        other.say(hello);
        REQUIRE(r.run_until([&] { return r.drainer.drained["BETA"] >= 1; }));
        r.io.poll();
        CHECK(r.poller.active_guests() == 1); // BETA only
    }

} // TEST_SUITE
