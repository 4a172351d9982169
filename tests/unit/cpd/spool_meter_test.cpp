// SPDX-License-Identifier: MIT
// SpoolMeter: the first spool write of a turn always goes, the ones past the
// per-turn bound wait, and the refusals are counted per guest.
#include "routing/spool_meter.hpp"

#include <doctest/doctest.h>

using namespace cpd::daemon;

TEST_SUITE("cpd.spool_meter") {

    TEST_CASE("a turn takes writes up to the bound; the first one always goes") {
        SpoolMeter meter(100 * 1024);
        const auto alice = *cpd::proto::Userid::parse("ALICE");
        const auto now = SpoolMeter::Clock::now();
        CHECK(meter.admit(alice, 0, 64 * 1024, now));
        CHECK_FALSE(meter.admit(alice, 64 * 1024, 64 * 1024, now));
        CHECK(meter.admit(alice, 64 * 1024, 36 * 1024, now)); // exactly the bound
        CHECK(meter.admit(alice, 0, 1024 * 1024, now));       // one frame larger than the bound
        CHECK(meter.deferred() == 1);
        CHECK_FALSE(meter.admit(alice, 100 * 1024, 1, now));
        CHECK(meter.deferred() == 2);
        meter.forget(alice);
        CHECK(meter.deferred() == 2); // the total stays
    }
}
