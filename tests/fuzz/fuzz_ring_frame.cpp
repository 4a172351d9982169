// SPDX-License-Identifier: MIT
// libFuzzer target: the ring frame decoders (what cpd reads from a guest's ring
// and a guest from cpd's). The first byte picks a frame type (or, at 0xff, the
// next four bytes give any raw type); the rest is the payload. Properties: no
// crash or sanitizer report, and an accepted frame re-encodes to the payload.
#include "fuzz_check.hpp"

#include "cpd/proto/ring_frame.hpp"

#include <array>
#include <cstdint>
#include <cstring>
#include <vector>

namespace {

using cpd::proto::RingFrameType;

constexpr std::array<RingFrameType, 30> known_types = {
    RingFrameType::smsg_send,      RingFrameType::set_smsg,         RingFrameType::logoff_request,
    RingFrameType::cp_command,     RingFrameType::console_output,   RingFrameType::console_end,
    RingFrameType::handler_panic,  RingFrameType::iucv_connect,     RingFrameType::iucv_answer,
    RingFrameType::iucv_sever,     RingFrameType::iucv_send,        RingFrameType::iucv_reply,
    RingFrameType::iucv_quiesce,   RingFrameType::iucv_resume,      RingFrameType::smsg_deliver,
    RingFrameType::cp_message,     RingFrameType::logoff,           RingFrameType::cp_response,
    RingFrameType::console_input,  RingFrameType::iucv_pending,     RingFrameType::iucv_complete,
    RingFrameType::iucv_failed,    RingFrameType::iucv_severed,     RingFrameType::iucv_message,
    RingFrameType::iucv_reply_in,  RingFrameType::iucv_quiesced,    RingFrameType::iucv_resumed,
    RingFrameType::iucv_send_failed, RingFrameType::device_change, RingFrameType::message_deliver,
};

/// Re-encodes an accepted frame and compares it with the payload it came from.
template <class Frame> void check_round_trip(const Frame& f, std::span<const std::byte> payload) {
    std::vector<std::byte> again(cpd::proto::encoded_size(f));
    cpd::fuzz::require(cpd::proto::encode(f, again) == again.size(), "encode wrote a short frame");
    cpd::fuzz::require(again.size() == payload.size() &&
                           std::memcmp(again.data(), payload.data(), again.size()) == 0,
                       "an accepted ring frame does not re-encode to its bytes");
    cpd::fuzz::require(static_cast<bool>(cpd::proto::validate(f)),
                       "an accepted ring frame fails validate()");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) {
        return 0;
    }
    std::uint32_t type = 0;
    std::size_t skip = 1;
    if (data[0] == 0xff && size >= 5) {
        std::memcpy(&type, data + 1, sizeof type);
        skip = 5;
    } else {
        type = static_cast<std::uint32_t>(known_types[data[0] % known_types.size()]);
    }
    const std::span<const std::byte> payload(reinterpret_cast<const std::byte*>(data) + skip,
                                             size - skip);
    if (auto g = cpd::proto::decode_guest_frame(type, payload)) {
        check_round_trip(*g, payload);
    }
    if (auto c = cpd::proto::decode_cpd_frame(type, payload)) {
        check_round_trip(*c, payload);
    }
    return 0;
}
