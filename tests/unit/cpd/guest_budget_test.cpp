// SPDX-License-Identifier: MIT
// GuestBudget with an injected clock: bursts, the sustained rate, ready_at,
// deferrals counted once per waiting unit, one log line per interval, lanes
// and guests independent of each other, and the log text.
#include "routing/guest_budget.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <string>

using namespace cpd::daemon;
using namespace std::chrono_literals;
using Clock = GuestBudget::Clock;

namespace {

/// An arbitrary start, far from the clock's epoch.
const Clock::time_point t0 = Clock::time_point{} + 1000h;

BudgetLimits limits(std::uint32_t per_second, std::uint32_t burst) {
    BudgetLimits l;
    l.cp_command = {per_second, burst};
    l.empty_wakeup = {per_second, burst};
    l.console_line = {per_second, burst};
    return l;
}

/// How many units go at `now` before the first refusal.
int drain(GuestBudget& b, BudgetKind k, Clock::time_point now) {
    int n = 0;
    while (b.spend(k, now).go) {
        ++n;
        REQUIRE(n < 1'000'000);
    }
    return n;
}

} // namespace

TEST_CASE("a fresh budget allows its burst at once, then defers") {
    GuestBudget b(limits(100, 10));
    CHECK(drain(b, BudgetKind::cp_command, t0) == 10);
    CHECK(b.is_throttled(BudgetKind::cp_command));
    CHECK(b.counters(BudgetKind::cp_command).spent == 10);
    CHECK(b.counters(BudgetKind::cp_command).deferred == 1);
}

TEST_CASE("the sustained rate is the configured one") {
    GuestBudget b(limits(100, 10));
    drain(b, BudgetKind::cp_command, t0);
    // Over one second at 1 ms steps, 100 more units go: one every 10 ms.
    int allowed = 0;
    for (int ms = 1; ms <= 1000; ++ms) {
        while (b.spend(BudgetKind::cp_command, t0 + std::chrono::milliseconds(ms)).go) {
            ++allowed;
        }
    }
    CHECK(allowed == 100);
}

TEST_CASE("ready_at says exactly when the next unit goes") {
    GuestBudget b(limits(100, 10));
    CHECK(b.ready_at(BudgetKind::cp_command) <= t0); // fresh: ready now
    drain(b, BudgetKind::cp_command, t0);
    const Clock::time_point ready = b.ready_at(BudgetKind::cp_command);
    CHECK(ready == t0 + 10ms);
    CHECK_FALSE(b.spend(BudgetKind::cp_command, ready - 1ns).go);
    CHECK(b.spend(BudgetKind::cp_command, ready).go);
    CHECK_FALSE(b.is_throttled(BudgetKind::cp_command));
}

TEST_CASE("an idle guest gets its whole burst back, never more") {
    GuestBudget b(limits(100, 10));
    drain(b, BudgetKind::console_line, t0);
    CHECK(drain(b, BudgetKind::console_line, t0 + 1h) == 10);
}

TEST_CASE("a unit asked for again while it waits is one deferral") {
    GuestBudget b(limits(100, 1));
    CHECK(b.spend(BudgetKind::cp_command, t0).go);
    for (int i = 0; i < 50; ++i) {
        CHECK_FALSE(b.spend(BudgetKind::cp_command, t0 + std::chrono::microseconds(i)).go);
    }
    CHECK(b.counters(BudgetKind::cp_command).deferred == 1);
    CHECK(b.spend(BudgetKind::cp_command, t0 + 10ms).go);
    CHECK_FALSE(b.spend(BudgetKind::cp_command, t0 + 10ms).go);
    CHECK(b.counters(BudgetKind::cp_command).deferred == 2);
    CHECK(b.counters(BudgetKind::cp_command).spent == 2);
}

TEST_CASE("kinds are separate lanes") {
    GuestBudget b(limits(100, 5));
    drain(b, BudgetKind::cp_command, t0);
    CHECK(b.is_throttled(BudgetKind::cp_command));
    CHECK_FALSE(b.is_throttled(BudgetKind::empty_wakeup));
    CHECK(drain(b, BudgetKind::empty_wakeup, t0) == 5);
    CHECK(drain(b, BudgetKind::console_line, t0) == 5);
}

TEST_CASE("every guest has the same budget: one spammer leaves another untouched") {
    GuestBudget spammer(limits(100, 5)), bystander(limits(100, 5));
    for (int ms = 0; ms < 100; ++ms) {
        drain(spammer, BudgetKind::cp_command, t0 + std::chrono::milliseconds(ms));
    }
    CHECK(drain(bystander, BudgetKind::cp_command, t0 + 100ms) == 5);
    // The spammer got its burst plus the rate, not one unit more.
    CHECK(spammer.counters(BudgetKind::cp_command).spent == 5 + 9);
}

TEST_CASE("rate 0 means unlimited") {
    BudgetLimits l = limits(100, 1);
    l.console_line = {0, 1};
    GuestBudget b(l);
    for (int i = 0; i < 10'000; ++i) {
        REQUIRE(b.spend(BudgetKind::console_line, t0).go);
    }
    CHECK(b.ready_at(BudgetKind::console_line) <= t0);
    CHECK(b.counters(BudgetKind::console_line).deferred == 0);
}

TEST_CASE("one throttle log line per interval; the deferrals between are summed") {
    BudgetLimits l = limits(1000, 1);
    l.log_interval = 10s;
    GuestBudget b(l);
    const BudgetKind k = BudgetKind::empty_wakeup;
    int lines = 0;
    Clock::time_point now = t0;
    auto step = [&] { // one allowed unit and one deferred, every millisecond
        if (b.spend(k, now).log) {
            ++lines;
        }
        if (b.spend(k, now).log) {
            ++lines;
        }
        now += 1ms;
    };
    step();
    CHECK(lines == 1);
    CHECK(b.deferred_for_log(k) == 1);
    for (int i = 0; i < 9999; ++i) { // up to t0 + 10 s less 1 ms: no new line
        step();
    }
    CHECK(lines == 1);
    step(); // t0 + 10 s
    CHECK(lines == 2);
    CHECK(b.deferred_for_log(k) == 10'000);
    CHECK(b.counters(k).deferred == 10'001);
}

TEST_CASE("the throttle line names the guest, the kind, the limit and the counts") {
    GuestBudget b(limits(500, 2));
    const auto id = cpd::proto::Userid::parse("SPAM");
    REQUIRE(id);
    drain(b, BudgetKind::cp_command, t0);
    const std::string text = throttle_text(*id, b, BudgetKind::cp_command);
    CHECK(text.find("router: SPAM: throttled: CP commands over 500/s (burst 2)") == 0);
    CHECK(text.find("its frames wait on its ring") != std::string::npos);
    CHECK(text.find("1 deferred since the last line, 1 in all, 2 allowed") != std::string::npos);
    drain(b, BudgetKind::empty_wakeup, t0);
    CHECK(throttle_text(*id, b, BudgetKind::empty_wakeup).find("its doorbell is not watched") !=
          std::string::npos);
}
