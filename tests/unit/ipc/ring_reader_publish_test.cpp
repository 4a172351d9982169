// SPDX-License-Identifier: MIT
// The reader's lazy head publish: it stores its position for the writer only
// when it has consumed everything it saw, or once an eighth of the ring is
// consumed since the last store. These tests pin that rule from the writer's
// side: space the reader freed comes back (a reader that never published
// would leave the writer full forever), and no position is published before
// the records below it are consumed.
#include "ring_fixture.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <vector>

using namespace cpd::ipc;
using cpd::ipc::test::GuardedRing;

namespace {

constexpr std::uint32_t capacity = 4096;
constexpr std::size_t payload_size = 120; // a 128-byte record: 32 fill the ring exactly
constexpr std::uint64_t footprint = cpd::proto::record_footprint(payload_size);
constexpr std::uint64_t eighth = capacity / 8; // 4 records
static_assert(footprint == 128 && capacity % footprint == 0);

/// The head position the writer can see.
std::uint64_t published_head(GuardedRing& ring) {
    return ring.control().head.load();
}

/// Pushes records until the writer reports full; returns how many went in.
int fill(RingWriter& w) {
    const std::vector<std::byte> payload(payload_size);
    int n = 0;
    while (w.push(1, payload) == RingStatus::ok) {
        ++n;
    }
    return n;
}

/// Pops one record, which must be there.
void pop_one(RingReader& r) {
    std::uint32_t type = 0;
    std::vector<std::byte> out;
    REQUIRE(r.pop(type, out) == RingStatus::ok);
}

} // namespace

TEST_SUITE("ipc.ring_reader_publish") {

    TEST_CASE("a reader that consumed everything it saw publishes its head at once") {
        GuardedRing ring(capacity);
        RingWriter w = ring.writer();
        RingReader r = ring.reader();
        const std::vector<std::byte> payload(payload_size);

        SUBCASE("a few records, far less than an eighth of the ring") {
            REQUIRE(w.push(1, payload) == RingStatus::ok);
            REQUIRE(w.push(2, payload) == RingStatus::ok);
            pop_one(r);
            pop_one(r);
            CHECK(published_head(ring) == 2 * footprint);
        }
        SUBCASE("a full ring: the writer gets all of it back") {
            const int n = fill(w);
            REQUIRE(n == static_cast<int>(capacity / footprint));
            for (int i = 0; i < n; ++i) {
                pop_one(r);
            }
            CHECK(published_head(ring) == capacity);
            CHECK(fill(w) == n); // never-published head: this would stay 0 forever
        }
    }

    TEST_CASE(
        "a reader working through a backlog publishes once it consumed an eighth of the ring") {
        GuardedRing ring(capacity);
        RingWriter w = ring.writer();
        RingReader r = ring.reader();
        const std::vector<std::byte> payload(payload_size);
        REQUIRE(fill(w) == static_cast<int>(capacity / footprint));

        for (std::uint64_t consumed = footprint; consumed < eighth; consumed += footprint) {
            pop_one(r);
            CAPTURE(consumed);
            CHECK(published_head(ring) == 0); // lazy: no store per record
            CHECK(w.push(1, payload) == RingStatus::full);
        }
        pop_one(r); // the record that completes the eighth
        CHECK(published_head(ring) == eighth);
        CHECK(w.push(1, payload) == RingStatus::ok); // the freed space is the writer's again

        for (int i = 0; i < 4; ++i) { // the next eighth is published the same way
            pop_one(r);
        }
        CHECK(published_head(ring) == 2 * eighth);
    }

    TEST_CASE("the published head never passes an unconsumed record and lags by under an eighth") {
        GuardedRing ring(capacity);
        RingWriter w = ring.writer();
        RingReader r = ring.reader();
        const std::vector<std::byte> payload(payload_size);
        std::uint64_t pushed = 0, consumed = 0;
        // Uneven bursts so the positions drift across many wrap-arounds.
        for (int round = 0; round < 1500; ++round) {
            for (int i = 0; i < 1 + round % 7 && w.push(1, payload) == RingStatus::ok; ++i) {
                pushed += footprint;
            }
            for (int i = 0; i < 1 + round % 5 && consumed < pushed; ++i) {
                RecordView view;
                REQUIRE(r.peek(view) == RingStatus::ok);
                CHECK(published_head(ring) <= consumed); // peeked is not consumed
                r.consume();
                consumed += footprint;
                const std::uint64_t head = published_head(ring);
                CAPTURE(round);
                CHECK(head <= consumed);
                if (consumed == pushed) {
                    CHECK(head == consumed);
                } else {
                    CHECK(consumed - head < eighth);
                }
            }
        }
        CHECK(pushed > 100 * capacity);
    }

} // TEST_SUITE
