// SPDX-License-Identifier: MIT
// Deferred publishing: a writer that publishes once per batch keeps records
// invisible until publish() (or wake_if_sleeping()) and loses none of them.
#include "ring_fixture.hpp"

#include <doctest/doctest.h>

#include <array>
#include <cstddef>
#include <vector>

using namespace cpd::ipc;
using cpd::ipc::test::GuardedRing;

TEST_SUITE("ipc.ring_publish") {

TEST_CASE("a deferred writer's records stay invisible until it publishes") {
    GuardedRing ring(64 * 1024);
    RingWriter w = ring.writer();
    RingReader r = ring.reader();
    w.set_deferred_publish(true);
    const std::array<std::byte, 16> payload{};
    REQUIRE(w.push(7, payload) == RingStatus::ok);
    REQUIRE(w.push(8, payload) == RingStatus::ok);
    RecordView view;
    CHECK(r.peek(view) == RingStatus::empty);
    w.publish();
    std::uint32_t type = 0;
    std::vector<std::byte> out;
    REQUIRE(r.pop(type, out) == RingStatus::ok);
    CHECK(type == 7);
    REQUIRE(r.pop(type, out) == RingStatus::ok);
    CHECK(type == 8);
    CHECK(r.pop(type, out) == RingStatus::empty);
}

TEST_CASE("a deferred writer publishes by itself once a batch worth of bytes is pending") {
    GuardedRing ring(64 * 1024);
    RingWriter w = ring.writer();
    RingReader r = ring.reader();
    w.set_deferred_publish(true);
    const std::vector<std::byte> payload(RingWriter::publish_batch);
    REQUIRE(w.push(9, payload) == RingStatus::ok);
    RecordView view;
    CHECK(r.peek(view) == RingStatus::ok);
    CHECK(view.type == 9);
}

TEST_CASE("wake_if_sleeping publishes pending records before it checks the sleeper") {
    GuardedRing ring(64 * 1024);
    RingWriter w = ring.writer();
    RingReader r = ring.reader();
    std::error_code ec;
    Doorbell bell = Doorbell::create(ec);
    REQUIRE_FALSE(static_cast<bool>(ec));
    w.set_deferred_publish(true);
    REQUIRE(r.prepare_sleep());
    const std::array<std::byte, 8> payload{};
    REQUIRE(w.push(5, payload) == RingStatus::ok);
    CHECK(w.wake_if_sleeping(bell));
    CHECK(bell.drain() == 1);
    RecordView view;
    CHECK(r.peek(view) == RingStatus::ok);
}

TEST_CASE("a deferred writer that finds the ring full publishes what it holds") {
    GuardedRing ring(4096); // no larger than the publish batch: nothing was published yet
    RingWriter w = ring.writer();
    RingReader r = ring.reader();
    w.set_deferred_publish(true);
    const std::vector<std::byte> payload(100);
    int pushed = 0;
    while (w.push(1, payload) == RingStatus::ok) {
        ++pushed;
    }
    REQUIRE(pushed > 0);
    std::uint32_t type = 0;
    std::vector<std::byte> out;
    int popped = 0;
    while (r.pop(type, out) == RingStatus::ok) { // no publish() by hand
        ++popped;
    }
    CHECK(popped == pushed);
    CHECK(w.push(1, payload) == RingStatus::ok); // and the space comes back
}

TEST_CASE("a deferred writer that fills the ring loses nothing across wrap-arounds") {
    GuardedRing ring(4096);
    RingWriter w = ring.writer();
    RingReader r = ring.reader();
    w.set_deferred_publish(true);
    std::uint32_t next_in = 1, next_out = 1;
    std::vector<std::byte> payload(100), out;
    for (int round = 0; round < 200; ++round) {
        while (w.push(next_in, payload) == RingStatus::ok) {
            ++next_in;
        }
        w.publish();
        std::uint32_t type = 0;
        while (r.pop(type, out) == RingStatus::ok) {
            REQUIRE(type == next_out);
            ++next_out;
        }
    }
    CHECK(next_out == next_in);
    CHECK(next_in > 1000);
}

} // TEST_SUITE
