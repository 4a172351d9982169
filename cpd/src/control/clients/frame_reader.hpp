// SPDX-License-Identifier: MIT
// FrameReader: assembles one client frame at a time from whatever bytes the
// socket gives. The header is checked as soon as its 8 bytes are in; the
// payload's storage grows with the bytes that actually arrive, never from the
// announced length, so a client that announces much and sends little costs little.
#pragma once

#include "cpd/proto/result.hpp"
#include "cpd/proto/socket_frame.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace cpd::daemon {

/// Incremental reader of one socket frame (see the file comment).
class FrameReader {
  public:
    /// What feed() made of the bytes so far.
    enum class Status {
        more,      ///< the frame is not complete yet
        ready,     ///< a whole frame is in: type() and payload()
        bad,       ///< the header is malformed: error()
        too_large, ///< the header announces more than the payload limit: announced()
    };

    /// Accepts payloads of at most `max_payload` bytes.
    explicit FrameReader(std::uint32_t max_payload) noexcept : max_payload_(max_payload) {}

    /// How many bytes the current frame still needs (never 0 before ready).
    std::size_t wanted() const noexcept;
    /// Takes up to wanted() bytes of the stream.
    Status feed(std::span<const std::byte> bytes);
    /// True once any byte of a frame has arrived and until next().
    bool in_frame() const noexcept { return header_got_ > 0; }
    /// Bytes of the current frame received so far (header included).
    std::size_t received() const noexcept { return header_got_ + payload_.size(); }
    /// Payload length the header announced (0 until the header is in).
    std::uint32_t announced() const noexcept { return length_; }
    /// The complete frame's type and payload (after Status::ready).
    std::uint16_t type() const noexcept { return type_; }
    std::span<const std::byte> payload() const noexcept { return payload_; }
    /// Why the header was bad (after Status::bad).
    proto::errc error() const noexcept { return error_; }
    /// Forgets the frame and starts on the next; frees a large payload's storage.
    void next() noexcept;

  private:
    std::uint32_t max_payload_;
    std::array<std::byte, proto::socket_header_size> header_{};
    std::size_t header_got_ = 0;
    bool have_header_ = false;
    std::uint16_t type_ = 0;
    std::uint32_t length_ = 0;
    std::vector<std::byte> payload_;
    proto::errc error_{};
};

} // namespace cpd::daemon
