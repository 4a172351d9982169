// SPDX-License-Identifier: MIT
// The OTP-style restart limit and the backoff, on a clock the test moves.
#include "guests/lifecycle/restart_window.hpp"

#include <doctest/doctest.h>

using namespace cpd::daemon;
using namespace std::chrono_literals;

TEST_SUITE("cpd.restart_window") {

    TEST_CASE("at most LIMIT restarts within WITHIN, the backoff doubling up to its maximum") {
        RestartPolicy p;
        p.limit = 4;
        p.window = 60s;
        p.backoff = 100ms;
        p.max_backoff = 300ms;
        RestartWindow w;
        auto now = RestartWindow::Clock::time_point{} + 1h;
        const std::chrono::milliseconds delays[4] = {100ms, 200ms, 300ms, 300ms};
        for (int i = 0; i < 4; ++i) {
            const RestartDecision d = w.decide(p, now);
            REQUIRE(d.restart);
            CHECK(d.recent == static_cast<std::uint32_t>(i));
            CHECK(d.delay == delays[i]);
            w.note_restart(now);
            now += 1s;
        }
        const RestartDecision last = w.decide(p, now);
        CHECK_FALSE(last.restart);
        CHECK(last.recent == 4);
    }

    TEST_CASE("restarts older than the window no longer count") {
        RestartPolicy p;
        p.limit = 1;
        p.window = 10s;
        RestartWindow w;
        auto now = RestartWindow::Clock::time_point{} + 1h;
        w.note_restart(now);
        CHECK_FALSE(w.decide(p, now + 9s).restart);
        const RestartDecision d = w.decide(p, now + 10s);
        CHECK(d.restart);
        CHECK(d.recent == 0);
        CHECK(d.delay == p.backoff); // the backoff starts over too
    }

    TEST_CASE("clear starts the limit afresh") {
        RestartPolicy p;
        p.limit = 1;
        RestartWindow w;
        const auto now = RestartWindow::Clock::time_point{} + 1h;
        w.note_restart(now);
        CHECK_FALSE(w.decide(p, now).restart);
        w.clear();
        CHECK(w.decide(p, now).restart);
    }

    TEST_CASE("a thousand restarts do not overflow the backoff") {
        RestartPolicy p;
        p.limit = 1000;
        p.backoff = 1h;
        p.max_backoff = 1h;
        RestartWindow w;
        const auto now = RestartWindow::Clock::time_point{} + 1h;
        for (int i = 0; i < 999; ++i) {
            w.note_restart(now);
        }
        const RestartDecision d = w.decide(p, now);
        CHECK(d.restart);
        CHECK(d.delay == 1h);
    }

} // TEST_SUITE
