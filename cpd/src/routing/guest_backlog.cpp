// SPDX-License-Identifier: MIT
// GuestBacklog: append, collapse and bound checks. Collapsing looks back
// through the waiting frames for the opposite state notification on the same
// path: a guest that toggles QUIESCE/RESUME while its peer's ring is full
// leaves that peer at most one notification per path, never one per toggle.
#include "routing/guest_backlog.hpp"

#include <variant>

namespace cpd::daemon {

namespace {

using proto::RingFrameType;

/// The path of an IucvQuiesced or IucvResumed payload (its first field), if it is one.
bool state_notification(std::uint32_t type, const std::vector<std::byte>& payload,
                        std::uint32_t& path) {
    if (type != static_cast<std::uint32_t>(RingFrameType::iucv_quiesced) &&
        type != static_cast<std::uint32_t>(RingFrameType::iucv_resumed)) {
        return false;
    }
    const auto q = proto::decode_as<proto::IucvQuiesced>(payload); // same layout as IucvResumed
    if (!q) {
        return false;
    }
    path = q->path;
    return true;
}

} // namespace

std::deque<PendingFrame>::iterator GuestBacklog::find_opposite(const proto::CpdFrame& frame) {
    std::uint32_t opposite = 0;
    std::uint32_t path = 0;
    if (const auto* q = std::get_if<proto::IucvQuiesced>(&frame)) {
        opposite = static_cast<std::uint32_t>(RingFrameType::iucv_resumed);
        path = q->path;
    } else if (const auto* r = std::get_if<proto::IucvResumed>(&frame)) {
        opposite = static_cast<std::uint32_t>(RingFrameType::iucv_quiesced);
        path = r->path;
    } else {
        return frames_.end();
    }
    // The latest state notification of this path decides: only if it is the
    // opposite do the two cancel (an older one has been cancelled or superseded).
    for (auto it = frames_.end(); it != frames_.begin();) {
        --it;
        std::uint32_t p = 0;
        if (state_notification(it->type, it->payload, p) && p == path) {
            return it->type == opposite ? it : frames_.end();
        }
    }
    return frames_.end();
}

GuestBacklog::Added GuestBacklog::add(const proto::CpdFrame& frame,
                                      std::chrono::steady_clock::time_point now) {
    if (auto it = find_opposite(frame); it != frames_.end()) {
        bytes_ -= it->payload.size();
        frames_.erase(it);
        return Added::collapsed;
    }
    PendingFrame pending{static_cast<std::uint32_t>(proto::frame_type(frame)),
                         std::vector<std::byte>(proto::encoded_size(frame))};
    proto::encode(frame, pending.payload);
    if (frames_.empty()) {
        since_ = now;
    }
    bytes_ += pending.payload.size();
    frames_.push_back(std::move(pending));
    return Added::queued;
}

void GuestBacklog::pop_front() noexcept {
    bytes_ -= frames_.front().payload.size();
    frames_.pop_front();
}

GuestBacklog::Excess GuestBacklog::excess(const BacklogBounds& bounds) const noexcept {
    if (frames_.size() > bounds.frames) {
        return Excess::frames;
    }
    return bytes_ > bounds.bytes ? Excess::bytes : Excess::none;
}

const char* to_string(GuestBacklog::Excess e) noexcept {
    switch (e) {
    case GuestBacklog::Excess::none:
        return "none";
    case GuestBacklog::Excess::frames:
        return "frames";
    case GuestBacklog::Excess::bytes:
        return "bytes";
    }
    return "?";
}

} // namespace cpd::daemon
