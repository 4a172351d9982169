// SPDX-License-Identifier: MIT
// Unit tests of RingWriter / RingReader in one process over a guarded ring:
// zero, one, many, full, wrap-around, every size up to the maximum, records
// that never fit, reservations, and the sleep/wake handshake. Corruption by a
// hostile peer is in ring_corrupt_test.cpp.
#include "ring_fixture.hpp"

#include <doctest/doctest.h>

#include <ostream> // doctest prints std::error_code through it

#include <cstdint>
#include <vector>

using cpd::ipc::Doorbell;
using cpd::ipc::RecordView;
using cpd::ipc::RingStatus;
using cpd::ipc::test::GuardedRing;
using cpd::ipc::test::pattern;

TEST_SUITE("ipc.ring") {

TEST_CASE("pop on an empty ring returns nothing") {
    GuardedRing ring(4096);
    auto r = ring.reader();
    std::uint32_t type = 0;
    std::vector<std::byte> out;
    CHECK(r.pop(type, out) == RingStatus::empty);
    CHECK(r.is_empty());
    CHECK(r.used_bytes() == 0);
}

TEST_CASE("one pushed record pops with its type and bytes") {
    GuardedRing ring(4096);
    auto w = ring.writer();
    auto r = ring.reader();
    auto payload = pattern(13, 1);
    REQUIRE(w.push(7, payload) == RingStatus::ok);
    CHECK(w.used_bytes() == cpd::proto::record_footprint(13));
    CHECK_FALSE(r.is_empty());
    std::uint32_t type = 0;
    std::vector<std::byte> out;
    REQUIRE(r.pop(type, out) == RingStatus::ok);
    CHECK(type == 7);
    CHECK(out == payload);
    CHECK(r.pop(type, out) == RingStatus::empty);
}

TEST_CASE("many records come out in the order they went in") {
    GuardedRing ring(8192);
    auto w = ring.writer();
    auto r = ring.reader();
    for (std::uint32_t i = 1; i <= 100; ++i) {
        REQUIRE(w.push(i, pattern(i % 37, i)) == RingStatus::ok);
    }
    for (std::uint32_t i = 1; i <= 100; ++i) {
        std::uint32_t type = 0;
        std::vector<std::byte> out;
        REQUIRE(r.pop(type, out) == RingStatus::ok);
        CHECK(type == i);
        CHECK(out == pattern(i % 37, i));
    }
    CHECK(r.is_empty());
}

TEST_CASE("a full ring refuses a push, then drains and refills") {
    GuardedRing ring(4096);
    auto w = ring.writer();
    auto r = ring.reader();
    // 64-byte payloads take 72 bytes: 56 fit in 4096 (4032), the 57th does not.
    std::uint32_t pushed = 0;
    while (w.push(pushed + 1, pattern(64, pushed)) == RingStatus::ok) {
        ++pushed;
    }
    CHECK(pushed == 4096 / 72);
    CHECK(w.push(1, pattern(64, 0)) == RingStatus::full);
    for (int round = 0; round < 3; ++round) {
        for (std::uint32_t i = 0; i < pushed; ++i) {
            std::uint32_t type = 0;
            std::vector<std::byte> out;
            REQUIRE(r.pop(type, out) == RingStatus::ok);
            CHECK(out.size() == 64);
        }
        CHECK(r.is_empty());
        for (std::uint32_t i = 0; i < pushed; ++i) {
            REQUIRE(w.push(i + 1, pattern(64, i)) == RingStatus::ok);
        }
        CHECK(w.push(1, pattern(64, 0)) == RingStatus::full);
    }
}

TEST_CASE("records wrap around the end of the data area and stay contiguous") {
    GuardedRing ring(4096);
    auto w = ring.writer();
    auto r = ring.reader();
    std::uint64_t bytes = 0;
    for (std::uint32_t i = 1; i <= 2000; ++i) {
        const std::size_t n = (i * 97u) % 700;
        REQUIRE(w.push(i, pattern(n, i)) == RingStatus::ok);
        RecordView v;
        REQUIRE(r.peek(v) == RingStatus::ok);
        CHECK(v.type == i);
        REQUIRE(v.payload.size() == n);
        const auto* lo = ring.data();
        CHECK(v.payload.data() >= lo);
        CHECK(v.payload.data() + n <= lo + ring.capacity());
        CHECK(std::vector<std::byte>(v.payload.begin(), v.payload.end()) == pattern(n, i));
        r.consume();
        bytes += n;
    }
    CHECK(bytes > 20 * ring.capacity()); // wrapped many times
    CHECK(r.is_empty());
}

TEST_CASE("records of every size from zero to the maximum round-trip") {
    GuardedRing ring(4096);
    auto w = ring.writer();
    auto r = ring.reader();
    REQUIRE(w.max_payload() == 4096 / 2 - 8);
    std::vector<std::byte> out;
    for (std::size_t n = 0; n <= w.max_payload(); ++n) {
        auto payload = pattern(n, static_cast<std::uint32_t>(n));
        REQUIRE(w.push(1, payload) == RingStatus::ok);
        std::uint32_t type = 0;
        REQUIRE(r.pop(type, out) == RingStatus::ok);
        CHECK(type == 1);
        REQUIRE(out == payload);
        // a small record in between moves the start to ever-different offsets
        REQUIRE(w.push(2, pattern(n % 61, 5)) == RingStatus::ok);
        REQUIRE(r.pop(type, out) == RingStatus::ok);
        CHECK(type == 2);
        CHECK(out.size() == n % 61);
    }
    CHECK(r.is_empty());
}

TEST_CASE("a record that can never fit is too big and leaves the ring usable") {
    GuardedRing ring(4096);
    auto w = ring.writer();
    auto r = ring.reader();
    CHECK(w.push(1, pattern(w.max_payload() + 1, 0)) == RingStatus::too_big);
    CHECK(w.push(1, pattern(100000, 0)) == RingStatus::too_big);
    SUBCASE("reserved types are refused too") {
        CHECK(w.push(0, pattern(1, 0)) == RingStatus::too_big);
        CHECK(w.push(cpd::proto::record_pad, pattern(1, 0)) == RingStatus::too_big);
    }
    CHECK(w.used_bytes() == 0);
    REQUIRE(w.push(3, pattern(w.max_payload(), 9)) == RingStatus::ok);
    std::uint32_t type = 0;
    std::vector<std::byte> out;
    REQUIRE(r.pop(type, out) == RingStatus::ok);
    CHECK(out == pattern(w.max_payload(), 9));
}

TEST_CASE("a maximum record fits after a drain wherever the wrap point lies") {
    GuardedRing ring(4096);
    std::vector<std::byte> out;
    std::uint32_t type = 0;
    for (std::uint64_t position = 0; position < 3 * 4096; position += 8) {
        ring.control().head.store(position); // an empty ring, drained up to `position`
        ring.control().tail.store(position);
        auto w = ring.writer();
        auto r = ring.reader();
        REQUIRE(w.push(5, pattern(w.max_payload(), 2)) == RingStatus::ok);
        REQUIRE(r.pop(type, out) == RingStatus::ok);
        CHECK(type == 5);
        CHECK(out.size() == w.max_payload());
        CHECK(w.push(6, pattern(w.max_payload() + 1, 2)) == RingStatus::too_big);
    }
}

TEST_CASE("reserve and push2 build a record in place") {
    GuardedRing ring(4096);
    auto w = ring.writer();
    auto r = ring.reader();
    RingStatus status;
    auto area = w.reserve(5, status);
    REQUIRE(status == RingStatus::ok);
    REQUIRE(area.size() == 5);
    std::memcpy(area.data(), "hello", 5);
    CHECK(r.is_empty()); // not published before commit
    REQUIRE(w.commit(9) == RingStatus::ok);
    auto a = pattern(3, 1);
    auto b = pattern(4, 2);
    REQUIRE(w.push2(10, a, b) == RingStatus::ok);
    std::uint32_t type = 0;
    std::vector<std::byte> out;
    REQUIRE(r.pop(type, out) == RingStatus::ok);
    CHECK(type == 9);
    CHECK(std::memcmp(out.data(), "hello", 5) == 0);
    REQUIRE(r.pop(type, out) == RingStatus::ok);
    CHECK(type == 10);
    a.insert(a.end(), b.begin(), b.end());
    CHECK(out == a);
}

TEST_CASE("a reserved record type is refused at commit and the space stays free") {
    GuardedRing ring(4096);
    auto w = ring.writer();
    auto r = ring.reader();
    for (std::uint32_t reserved : {0u, cpd::proto::record_pad}) {
        CAPTURE(reserved);
        RingStatus status;
        auto area = w.reserve(8, status);
        REQUIRE(status == RingStatus::ok);
        std::memset(area.data(), 0x5A, area.size());
        CHECK(w.commit(reserved) == RingStatus::too_big);
        CHECK(w.commit(7) == RingStatus::too_big); // the reservation is gone
        CHECK(r.is_empty());
        CHECK(w.push(reserved, pattern(8, 1)) == RingStatus::too_big);
    }
    REQUIRE(w.push(7, pattern(8, 2)) == RingStatus::ok); // lands where the refused ones would have
    std::uint32_t type = 0;
    std::vector<std::byte> out;
    REQUIRE(r.pop(type, out) == RingStatus::ok);
    CHECK(type == 7);
    CHECK(out == pattern(8, 2));
    CHECK(r.is_empty());
}

TEST_CASE("the producer rings only when the consumer announced sleep") {
    GuardedRing ring(4096);
    auto w = ring.writer();
    auto r = ring.reader();
    std::error_code ec;
    auto bell = Doorbell::create(ec);
    REQUIRE_FALSE(ec);
    REQUIRE(w.push(1, pattern(1, 1)) == RingStatus::ok);
    CHECK_FALSE(w.wake_if_sleeping(bell)); // consumer awake: no syscall
    CHECK_FALSE(r.prepare_sleep());        // data present: must not sleep
    CHECK(ring.control().consumer_sleeping.load() == 0);
    std::uint32_t type = 0;
    std::vector<std::byte> out;
    REQUIRE(r.pop(type, out) == RingStatus::ok);
    REQUIRE(r.prepare_sleep());
    CHECK(ring.control().consumer_sleeping.load() == 1);
    REQUIRE(w.push(1, pattern(1, 1)) == RingStatus::ok);
    CHECK(w.wake_if_sleeping(bell));
    CHECK_FALSE(w.wake_if_sleeping(bell)); // flag taken by the first wake
    CHECK(bell.wait(0));
    CHECK(bell.drain() == 1);
    CHECK(r.wait(bell, 1000)); // data is there: returns at once
}

} // TEST_SUITE
