// SPDX-License-Identifier: MIT
// FrameReader: frames assembled from any split of their bytes, the header
// checked before any payload, an announced length over the limit refused at
// once, and storage that follows the bytes received, not the bytes announced.
#include "control/clients/frame_reader.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using cpd::daemon::FrameReader;
using namespace cpd::proto;

namespace {
std::vector<std::byte> frame(std::string_view command) {
    std::vector<std::byte> out;
    append_frame(out, ClientCpCommand{command});
    return out;
}
} // namespace

TEST_SUITE("cpd.frame_reader") {

    TEST_CASE("a frame fed one byte at a time is ready after its last byte") {
        const auto bytes = frame("Q N");
        FrameReader r(16384);
        CHECK_FALSE(r.in_frame());
        for (std::size_t i = 0; i + 1 < bytes.size(); ++i) {
            CHECK(r.wanted() >= 1);
            REQUIRE(r.feed({&bytes[i], 1}) == FrameReader::Status::more);
            CHECK(r.in_frame());
        }
        REQUIRE(r.feed({&bytes.back(), 1}) == FrameReader::Status::ready);
        auto f = decode_client_frame(r.type(), r.payload());
        REQUIRE(f);
        CHECK(std::get<ClientCpCommand>(*f).text == "Q N");
        r.next();
        CHECK_FALSE(r.in_frame());
        CHECK(r.wanted() == socket_header_size);
    }

    TEST_CASE("a length over the limit is refused with the header alone") {
        auto bytes = frame("Q N");
        bytes[0] = std::byte{0};
        bytes[1] = std::byte{0};
        bytes[2] = std::byte{0x10}; // 1 MiB
        FrameReader r(16384);
        CHECK(r.feed({bytes.data(), socket_header_size}) == FrameReader::Status::too_large);
        CHECK(r.announced() == (1u << 20));
    }

    TEST_CASE("a bad header is reported") {
        std::vector<std::byte> junk(socket_header_size, std::byte{0xEE});
        FrameReader r(16384);
        CHECK(r.feed(junk) == FrameReader::Status::bad);
    }

    TEST_CASE("storage follows what arrived, not what was announced") {
        auto bytes = frame(std::string(16000, 'x'));
        FrameReader r(16384);
        REQUIRE(r.feed({bytes.data(), socket_header_size + 100}) == FrameReader::Status::more);
        CHECK(r.received() == socket_header_size + 100);
        CHECK(r.payload().size() == 100);
        CHECK(r.wanted() == bytes.size() - socket_header_size - 100);
    }

} // TEST_SUITE
