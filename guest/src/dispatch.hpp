// SPDX-License-Identifier: MIT
// decode_and_dispatch(): turns one cpd->guest frame into the matching Handler
// callback, keeping the IUCV path table in step. Runs on the guest thread;
// handler exceptions pass through to the event loop's fence.
#pragma once

#include "context_impl.hpp"
#include "cpd/guest/handler.hpp"
#include "cpd/proto/ring_frame.hpp"

namespace cpd::guest::detail {

/// What the loop does after a frame.
enum class Outcome : std::uint8_t {
    carry_on,   ///< keep draining
    logged_off, ///< on_logoff ran; exit
};

/// Decodes one inbound record of the given type and delivers it to `handler`;
/// the decoder's error if the payload is not a valid frame (no callback then).
/// SMSGs and IUCV messages and replies skip the frame variant. May throw
/// whatever the handler throws.
proto::Result<Outcome> decode_and_dispatch(Handler& handler, ContextImpl& ctx, std::uint32_t type,
                                           proto::Bytes payload);

} // namespace cpd::guest::detail
