// SPDX-License-Identifier: MIT
// ServicePolicy: how the shipped package runs cpd, for tests and benchmarks on
// a machine without systemd as PID 1 or a running udev. It reads the policy
// from the package's own files (cpd.service.in: User=, Group=,
// SupplementaryGroups=, AmbientCapabilities=; the udev rule for
// /dev/cpu_dma_latency: GROUP=, MODE=), so a change there changes what is
// emulated. LatencyDeviceAsUdevSetsIt gives the device that group and mode for
// as long as it lives and puts back what it found.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>

namespace cpd::test {

/// The unit's user, groups and capabilities, and the udev rule's group and mode.
struct ServicePolicy {
    std::string user; ///< User= (cpd)
    uid_t uid = 0;
    gid_t gid = 0;                         ///< Group=
    std::string latency_group;             ///< SupplementaryGroups= = the udev rule's GROUP=
    gid_t latency_gid = 0;                 ///< that group's gid (see shipped_service_policy)
    bool latency_group_exists = false;     ///< false: no such group here, a free gid stands in
    unsigned device_mode = 0600;           ///< the udev rule's MODE=
    std::vector<std::string> capabilities; ///< AmbientCapabilities=, lower case without CAP_

    /// The setpriv command that starts a program as the unit would (ids,
    /// supplementary groups, ambient and bounding capabilities; the program follows).
    std::vector<std::string> launcher() const;
};

/// The shipped policy, or nothing (with `why`) if a file is missing, the user
/// does not exist here, or setpriv is not installed. A missing latency group
/// (the package is not installed) is stood in for by a free system gid.
std::optional<ServicePolicy> shipped_service_policy(std::string& why);

/// Sets /dev/cpu_dma_latency to root:<latency group> and the rule's mode, as
/// udev does at boot with the package installed; restores owner, group and
/// mode on destruction, or on SIGINT, SIGTERM, SIGHUP or SIGQUIT (then the
/// signal's default action follows: for benchmarks, not tests).
class LatencyDeviceAsUdevSetsIt {
  public:
    explicit LatencyDeviceAsUdevSetsIt(const ServicePolicy& policy);
    ~LatencyDeviceAsUdevSetsIt();
    LatencyDeviceAsUdevSetsIt(const LatencyDeviceAsUdevSetsIt&) = delete;
    LatencyDeviceAsUdevSetsIt& operator=(const LatencyDeviceAsUdevSetsIt&) = delete;
    /// False if the device is missing or could not be changed (not root).
    bool ok() const noexcept { return ok_; }

  private:
    bool ok_ = false;
    uid_t uid_ = 0;
    gid_t gid_ = 0;
    mode_t mode_ = 0;
};

/// The kernel's CPU latency QoS device.
inline constexpr const char* latency_device = "/dev/cpu_dma_latency";

} // namespace cpd::test
