// SPDX-License-Identifier: MIT
// OutputBuffer: FIFO order, the limit on allocated bytes (never passed, a
// refused append changes nothing), reuse of the consumed front, and the
// block freed once drained.
#include "control/clients/output_buffer.hpp"

#include <doctest/doctest.h>

#include <vector>

using cpd::daemon::OutputBuffer;

namespace {
std::vector<std::byte> bytes(std::size_t n, char c) {
    return std::vector<std::byte>(n, std::byte(c));
}
} // namespace

TEST_SUITE("cpd.output_buffer") {

    TEST_CASE("an empty buffer holds no memory") {
        OutputBuffer b(1024);
        CHECK(b.empty());
        CHECK(b.memory() == 0);
        CHECK(b.append({}));
        CHECK(b.memory() == 0);
    }

    TEST_CASE("bytes come out in order and the drained block is freed") {
        OutputBuffer b(64 * 1024);
        REQUIRE(b.append(bytes(10, 'a')));
        REQUIRE(b.append(bytes(5, 'b')));
        CHECK(b.size() == 15);
        CHECK(b.pending()[9] == std::byte('a'));
        CHECK(b.pending()[10] == std::byte('b'));
        b.consume(12);
        CHECK(b.size() == 3);
        CHECK(b.pending()[0] == std::byte('b'));
        b.consume(3);
        CHECK(b.empty());
        CHECK(b.memory() == 0);
    }

    TEST_CASE("memory never passes the limit; a refused append changes nothing") {
        OutputBuffer b(10000);
        int appended = 0;
        while (b.append(bytes(700, 'x'))) {
            ++appended;
            CHECK(b.memory() <= 10000);
        }
        CHECK(appended == 14); // 9,800 bytes; a 15th would pass 10,000
        CHECK(b.size() == 9800);
        CHECK(b.memory() <= 10000);
        CHECK_FALSE(b.append(bytes(201, 'y')));
        CHECK(b.size() == 9800);
        CHECK(b.append(bytes(200, 'y'))); // exactly at the limit
    }

    TEST_CASE("the consumed front is reused instead of growing") {
        OutputBuffer b(8192);
        REQUIRE(b.append(bytes(4096, 'a')));
        const std::size_t block = b.memory();
        b.consume(4000);
        REQUIRE(b.append(bytes(3000, 'b')));
        CHECK(b.memory() == block);
        CHECK(b.pending()[0] == std::byte('a'));
        CHECK(b.pending()[96] == std::byte('b'));
    }

} // TEST_SUITE
