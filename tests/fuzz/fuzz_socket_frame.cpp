// SPDX-License-Identifier: MIT
// libFuzzer target: the control socket codecs (what cpd reads from any local
// client, and the tools from cpd). The input is a byte stream of frames as it
// would arrive on the socket: 8-byte headers and payloads, read until the
// bytes run out or a header is refused. Properties: no crash or sanitizer
// report, and an accepted frame re-encodes to exactly its header and payload.
#include "fuzz_check.hpp"

#include "cpd/proto/socket_frame.hpp"

#include <cstdint>
#include <cstring>
#include <vector>

namespace {

/// Re-encodes an accepted frame and compares it with the bytes it came from.
template <class Frame> void check_round_trip(const Frame& f, std::span<const std::byte> frame) {
    cpd::fuzz::require(static_cast<bool>(cpd::proto::validate(f)),
                       "an accepted socket frame fails validate()");
    std::vector<std::byte> again;
    cpd::proto::append_frame(again, f);
    cpd::fuzz::require(again.size() == frame.size() &&
                           std::memcmp(again.data(), frame.data(), again.size()) == 0,
                       "an accepted socket frame does not re-encode to its bytes");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::span<const std::byte> rest(reinterpret_cast<const std::byte*>(data), size);
    while (rest.size() >= 8) {
        auto header = cpd::proto::decode_socket_header(rest.first(8));
        if (!header) {
            return 0; // cpd answers with an error and closes; nothing more to read
        }
        if (rest.size() - 8 < header->length) {
            return 0; // a partial frame: cpd would wait for the rest
        }
        const auto frame = rest.first(8 + header->length);
        const auto payload = frame.subspan(8);
        if (auto c = cpd::proto::decode_client_frame(header->type, payload)) {
            check_round_trip(*c, frame);
        }
        if (auto s = cpd::proto::decode_server_frame(header->type, payload)) {
            check_round_trip(*s, frame);
        }
        rest = rest.subspan(frame.size());
    }
    return 0;
}
