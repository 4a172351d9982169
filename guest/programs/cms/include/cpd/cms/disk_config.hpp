// SPDX-License-Identifier: MIT
// DiskConfig: the minidisks cpd gives a CMS guest, parsed from the
// CPD_GUEST_DISKS environment text (proto/guest_launch.hpp): one per line,
// "<filemode letter> <RO|RW> <vdev> <absolute host path>". Pure parsing.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace cpd::cms {

/// One minidisk of the guest's directory entry.
struct DiskConfig {
    char letter = 'A';      ///< filemode it is accessed at during IPL
    bool read_only = false; ///< RO link
    std::string vdev;       ///< upper-case hex virtual device, e.g. "191"
    std::string path;       ///< host directory
};

/// The disks parsed from CPD_GUEST_DISKS text, and one message per bad line.
struct DiskConfigList {
    std::vector<DiskConfig> disks;
    std::vector<std::string> errors;
};

/// Parses CPD_GUEST_DISKS text; blank lines are ignored, bad lines reported.
DiskConfigList parse_disk_config(std::string_view text);

/// True if `s` is 1-4 hex digits (a virtual device number).
bool is_vdev(std::string_view s) noexcept;
/// Canonical vdev text: upper-case, leading zeros dropped ("0191" -> "191").
std::string canonical_vdev(std::string_view s);

} // namespace cpd::cms
