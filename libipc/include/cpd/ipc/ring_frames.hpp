// SPDX-License-Identifier: MIT
// push_frame: encodes one ring frame (a GuestFrame/CpdFrame variant, or a single
// frame struct for the hot paths) straight into a reservation on a ring and
// commits it: the one encode-reserve-commit both cpd and the guest runtime use.
#pragma once

#include "cpd/ipc/ring.hpp"
#include "cpd/proto/ring_frame.hpp"

#include <cstdint>
#include <span>

namespace cpd::ipc {

/// Pushes `frame` (no wake-up). full when it does not fit now, too_big when it
/// never will; on failure nothing becomes visible to the reader.
template <class Frame> RingStatus push_frame(RingWriter& ring, const Frame& frame) noexcept {
    const std::size_t size = proto::encoded_size(frame);
    RingStatus status = RingStatus::ok;
    std::span<std::byte> area = ring.reserve(size, status);
    if (status != RingStatus::ok) {
        return status;
    }
    if (proto::encode(frame, area) != size) {
        return RingStatus::too_big; // the reservation stays unused; the next reserve replaces it
    }
    return ring.commit(static_cast<std::uint32_t>(proto::frame_type(frame)));
}

} // namespace cpd::ipc
