// SPDX-License-Identifier: MIT
// Version numbers of every format that crosses a process boundary, and the
// fixed limits that CP imposes on what crosses it. Bump a version whenever the
// matching layout or encoding changes; peers refuse versions they do not know.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace cpd::proto {

/// Version of the client<->cpd socket frames (socket_frame.hpp).
inline constexpr std::uint16_t socket_protocol_version = 3; // 2: replay scope, console mode; 3: VM READ
/// Version of the guest<->cpd ring frames (ring_frame.hpp). 2: console mode, MessageDeliver;
/// 3: the VM READ console mode.
inline constexpr std::uint16_t ring_protocol_version = 3;
/// Version of the shared-memory layout (ring_layout.hpp).
inline constexpr std::uint32_t ring_layout_version = 1;

/// Product version string shown in banners and --version.
inline constexpr std::string_view product_version = "0.1.0";

/// Longest SMSG text, in bytes (UTF-8 length), as CP and the reference design allow.
inline constexpr std::size_t smsg_max_text = 236;
/// Largest IUCV message, in bytes.
inline constexpr std::size_t iucv_max_data = 65535;
/// Longest console line a guest may write or a console may send.
inline constexpr std::size_t console_max_line = 4096;
/// Longest CP command line (Linux vmcp caps at 240; we allow room for SMSG of 236).
inline constexpr std::size_t cp_command_max = 512;
/// Longest CP response (many lines) carried in one frame.
inline constexpr std::size_t cp_response_max = 60000;
/// Size of IUCV user data (IPUSER) carried on connect, accept, sever, quiesce.
inline constexpr std::size_t iucv_user_data_size = 16;

} // namespace cpd::proto
