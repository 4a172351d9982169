// SPDX-License-Identifier: MIT
// Unit tests of a hostile peer: headers and positions written by a
// "malicious" producer or consumer must make the other end report corrupt,
// never read or write outside the ring (guard pages turn that into a crash),
// and stay corrupt afterwards.
#include "ring_fixture.hpp"

#include <doctest/doctest.h>

#include <ostream> // doctest prints std::error_code through it

#include <cstdint>
#include <random>
#include <vector>

using cpd::ipc::RecordView;
using cpd::ipc::RingStatus;
using cpd::ipc::test::GuardedRing;
using cpd::ipc::test::pattern;

namespace {

/// Publishes `tail` as a producer would.
void set_tail(GuardedRing& ring, std::uint64_t tail) { ring.control().tail.store(tail); }

/// Checks the reader reports corrupt now and on every later call.
void check_stays_corrupt(cpd::ipc::RingReader& r) {
    RecordView v;
    CHECK(r.peek(v) == RingStatus::corrupt);
    CHECK(r.peek(v) == RingStatus::corrupt);
    CHECK(r.is_corrupt());
    std::uint32_t type = 0;
    std::vector<std::byte> out;
    CHECK(r.pop(type, out) == RingStatus::corrupt);
}

} // namespace

TEST_SUITE("ipc.ring") {

TEST_CASE("a corrupted record header is reported as corrupt") {
    GuardedRing ring(4096);
    auto r = ring.reader();
    SUBCASE("length beyond the capacity") {
        ring.poke_header(0, 0xFFFFFFF0u, 1);
        set_tail(ring, 64);
    }
    SUBCASE("length beyond the published tail") {
        ring.poke_header(0, 100, 1);
        set_tail(ring, 64);
    }
    SUBCASE("record crossing the end of the data area") {
        ring.poke_header(4088, 64, 1);
        ring.control().head.store(4088);
        r = ring.reader();
        set_tail(ring, 4088 + 200);
    }
    SUBCASE("zero type") {
        ring.poke_header(0, 8, 0);
        set_tail(ring, 16);
    }
    SUBCASE("pad that does not reach the end of the data area") {
        ring.poke_header(0, 64, cpd::proto::record_pad);
        set_tail(ring, 128);
    }
    SUBCASE("pad longer than the rest of the data area") {
        ring.poke_header(4000, 200, cpd::proto::record_pad);
        ring.control().head.store(4000);
        r = ring.reader();
        set_tail(ring, 4096 + 64);
    }
    SUBCASE("pad not yet fully published") {
        ring.poke_header(4000, 88, cpd::proto::record_pad);
        ring.control().head.store(4000);
        r = ring.reader();
        set_tail(ring, 4040);
    }
    check_stays_corrupt(r);
}

TEST_CASE("a corrupted producer position is reported as corrupt") {
    GuardedRing ring(4096);
    auto w = ring.writer();
    auto r = ring.reader();
    REQUIRE(w.push(1, pattern(8, 1)) == RingStatus::ok);
    std::uint32_t type = 0;
    std::vector<std::byte> out;
    REQUIRE(r.pop(type, out) == RingStatus::ok); // reader now at 16
    SUBCASE("tail beyond head plus capacity") { set_tail(ring, 16 + 4096 + 8); }
    SUBCASE("tail moving backwards") { set_tail(ring, 8); }
    SUBCASE("tail misaligned") { set_tail(ring, 21); }
    SUBCASE("tail near the top of the 64-bit range") { set_tail(ring, ~std::uint64_t{0} - 7); }
    CHECK_FALSE(r.is_empty());
    check_stays_corrupt(r);
}

TEST_CASE("a corrupted consumer position is reported as corrupt by the producer") {
    GuardedRing ring(4096);
    auto w = ring.writer();
    auto big = pattern(1000, 1);
    for (int i = 0; i < 4; ++i) {
        REQUIRE(w.push(1, big) == RingStatus::ok); // 4 * 1008 = 4032 bytes used
    }
    SUBCASE("head beyond tail") { ring.control().head.store(8192); }
    SUBCASE("head misaligned") { ring.control().head.store(1004); }
    SUBCASE("head moving backwards") {
        ring.control().head.store(1008);
        REQUIRE(w.push(1, big) == RingStatus::ok); // sees 1008, ok
        ring.control().head.store(0);
    }
    CHECK(w.push(1, big) == RingStatus::corrupt);
    CHECK(w.is_corrupt());
    CHECK(w.push(1, pattern(0, 0)) == RingStatus::corrupt);
}

TEST_CASE("random garbage in a ring never leads the reader out of bounds") {
    GuardedRing ring(4096);
    std::mt19937_64 rng(12345);
    int corrupt = 0;
    for (int trial = 0; trial < 2000; ++trial) {
        auto* words = reinterpret_cast<std::uint32_t*>(ring.data());
        for (std::size_t i = 0; i < ring.capacity() / 4; ++i) {
            // mostly small values so some headers look plausible
            words[i] = static_cast<std::uint32_t>(rng() % (i % 2 == 0 ? 5000 : 4));
        }
        const std::uint64_t head = (rng() % 512) * 8;
        ring.control().head.store(head);
        ring.control().tail.store(head + (rng() % 700) * 8);
        auto r = ring.reader();
        RecordView v;
        RingStatus s = RingStatus::ok;
        for (int step = 0; step < 50 && s == RingStatus::ok; ++step) {
            s = r.peek(v);
            if (s == RingStatus::ok) {
                REQUIRE(v.payload.data() >= ring.data());
                REQUIRE(v.payload.data() + v.payload.size() <= ring.data() + ring.capacity());
                r.consume();
            }
        }
        corrupt += s == RingStatus::corrupt ? 1 : 0;
    }
    CHECK(corrupt > 1000); // garbage is nearly always caught
}

} // TEST_SUITE
