// SPDX-License-Identifier: MIT
// dispatch(): turns one decoded cpd->guest frame into the matching Handler
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

/// Delivers `frame` to `handler`. May throw whatever the handler throws.
Outcome dispatch(Handler& handler, ContextImpl& ctx, const proto::CpdFrame& frame);

} // namespace cpd::guest::detail
