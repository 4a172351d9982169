// SPDX-License-Identifier: MIT
// The incremental frame reader: header bytes into a fixed array, payload bytes
// appended as they come (vector growth, so storage is at most twice what
// arrived), a checked header before any payload is taken.
#include "control/clients/frame_reader.hpp"

#include <algorithm>

namespace cpd::daemon {

namespace {
/// Payload storage kept between frames; a larger one is freed by next().
constexpr std::size_t kept_capacity = 1024;
} // namespace

std::size_t FrameReader::wanted() const noexcept {
    if (!have_header_) {
        return header_.size() - header_got_;
    }
    return length_ - payload_.size();
}

FrameReader::Status FrameReader::feed(std::span<const std::byte> bytes) {
    if (!have_header_) {
        const std::size_t n = std::min(bytes.size(), header_.size() - header_got_);
        std::copy_n(bytes.begin(), n, header_.begin() + static_cast<std::ptrdiff_t>(header_got_));
        header_got_ += n;
        bytes = bytes.subspan(n);
        if (header_got_ < header_.size()) {
            return Status::more;
        }
        auto h = proto::decode_socket_header(header_);
        if (!h) {
            error_ = h.error();
            return Status::bad;
        }
        type_ = h->type;
        length_ = h->length;
        have_header_ = true;
        if (length_ > max_payload_) {
            return Status::too_large;
        }
    }
    const std::size_t n = std::min<std::size_t>(bytes.size(), length_ - payload_.size());
    payload_.insert(payload_.end(), bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(n));
    return payload_.size() == length_ ? Status::ready : Status::more;
}

void FrameReader::next() noexcept {
    header_got_ = 0;
    have_header_ = false;
    type_ = 0;
    length_ = 0;
    payload_.clear();
    if (payload_.capacity() > kept_capacity) {
        payload_ = std::vector<std::byte>();
    }
}

} // namespace cpd::daemon
