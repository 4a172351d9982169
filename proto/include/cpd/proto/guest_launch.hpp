// SPDX-License-Identifier: MIT
// How cpd hands a guest its rings across fork and exec: fixed descriptor
// numbers and two environment variables. The only contract between spawn
// (cpd) and the guest runtime's start-up.
#pragma once

namespace cpd::proto {

/// The sealed memfd holding the guest's SegmentHeader and both rings.
inline constexpr int guest_segment_fd = 3;
/// The bell cpd rings when it put frames on the inbound ring (guest waits on
/// it): an eventfd, or the guest's end of a socket pair, then also fd 5.
inline constexpr int guest_inbound_bell_fd = 4;
/// The bell the guest rings when it put frames on the outbound ring (cpd waits
/// on it): an eventfd, or the same socket pair end as fd 4.
inline constexpr int guest_outbound_bell_fd = 5;

/// Environment variable holding the guest's userid.
inline constexpr const char* guest_userid_env = "CPD_GUEST_USERID";
/// Environment variable holding the IPL statement's PARM text.
inline constexpr const char* guest_parm_env = "CPD_GUEST_PARM";
/// Environment variable listing the guest's minidisks, one per line:
/// "<filemode letter> <RO|RW> <vdev> <absolute host path>" (path is the rest of the line).
inline constexpr const char* guest_disks_env = "CPD_GUEST_DISKS";
/// Environment variable holding the log level name cpd runs at.
inline constexpr const char* guest_log_level_env = "CPD_GUEST_LOG_LEVEL";

} // namespace cpd::proto
