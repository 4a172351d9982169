// SPDX-License-Identifier: MIT
// Blocking helpers for the clients: write a whole socket frame, read a whole
// socket frame (header checked, payload bounded), connect to cpd's socket.
// cpd itself uses Boost.Asio for the same frames; this is for the thin CLIs.
#pragma once

#include "cpd/ipc/unique_fd.hpp"
#include "cpd/proto/socket_frame.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <system_error>
#include <vector>

namespace cpd::ipc {

/// Errors of read_frame that are not errno values.
enum class frame_errc {
    eof = 1, ///< the peer closed the stream cleanly, between frames
};
/// The category of frame_errc ("cpd.frame").
const std::error_category& frame_category() noexcept;
/// Makes `ec == frame_errc::eof` work.
inline std::error_code make_error_code(frame_errc e) noexcept {
    return {static_cast<int>(e), frame_category()};
}

/// Connects a stream socket to `path`; errno in `ec` on failure.
UniqueFd connect_unix(const std::string& path, std::error_code& ec) noexcept;
/// Writes all of `bytes`; false with `ec` set on error.
bool write_all(int fd, const std::vector<std::byte>& bytes, std::error_code& ec) noexcept;
/// The same for a frame's header and payload kept apart: one sendmsg with two
/// parts, so a large payload is not copied behind its header first.
bool write_all(int fd, std::span<const std::byte> head, std::span<const std::byte> body,
               std::error_code& ec) noexcept;
/// A frame read from a socket: header type and the payload bytes.
struct RawFrame {
    std::uint16_t type = 0;
    std::vector<std::byte> payload;
};
/// Reads one whole frame; ec = frame_errc::eof at clean end (EOF inside a frame is
/// errc::connection_reset), protocol errors as errc::protocol_error.
/// `timeout_ms` < 0 waits forever; on timeout ec = errc::timed_out. Bytes already
/// queued are read at once (no poll), even with a timeout of 0.
bool read_frame(int fd, RawFrame& out, std::error_code& ec, int timeout_ms = -1) noexcept;

} // namespace cpd::ipc

template <> struct std::is_error_code_enum<cpd::ipc::frame_errc> : std::true_type {};
