// SPDX-License-Identifier: MIT
// GuestCgroups: a memory and a CPU cgroup per guest, so the USER statement's
// storage bounds all of a guest's processes together (RLIMIT_DATA bounds each
// one alone) and SHARE RELATIVE sets its CPU weight. cpd uses cgroups only
// where they are its own to manage:
// - cgroup v2: cpd's cgroup is delegated to it (the unit's Delegate=) and
//   holds no process but cpd's; cpd moves itself into a leaf and makes one
//   group per guest beside it, with memory.oom.group so the kernel ends the
//   whole guest when it runs out;
// - cgroup v1 (hybrid hosts): cpd's group in the memory or cpu hierarchy is a
//   directory its user owns and may write without privilege (cpd drops
//   CAP_DAC_OVERRIDE, so it could never remove a group made with it).
// Elsewhere it uses none and says so once. Guests join their groups in the
// child, before exec, through cgroup.procs descriptors cpd opened.
#pragma once

#include "cpd/ipc/unique_fd.hpp"
#include "cpd/proto/userid.hpp"

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cpd::daemon {

/// The cgroup.procs files a new guest writes "0" to before exec.
using CgroupJoin = std::array<ipc::UniqueFd, 2>;

class GuestCgroups {
  public:
    /// Finds the hierarchies this cpd may manage and prepares the parent
    /// group "cpd-guests-<range_base>" in each. Returns a summary for the
    /// log ("memory and CPU cgroups (v1)"), or why there are none.
    std::string start(std::uint32_t range_base);
    /// Removes the groups cpd made that nothing runs in any more.
    ~GuestCgroups();
    GuestCgroups() = default;
    /// Moved with the isolation it belongs to; only the last owner removes.
    GuestCgroups(GuestCgroups&& other) noexcept;
    GuestCgroups& operator=(GuestCgroups&&) = delete;
    bool has_memory() const noexcept { return !memory_.empty(); }
    bool has_cpu() const noexcept { return !cpu_.empty(); }
    /// The parent groups in use (for the guardian, which removes them if cpd dies).
    std::vector<std::string> parents() const;

    /// Prepares `userid`'s groups: memory limit `memory_bytes` (0: none) and
    /// CPU weight from `share_relative` (0: the default, 100). Returns the
    /// descriptors the child joins through, the first opened for reading too
    /// (freshly: v1 lists a group at the first read of an open file only);
    /// nullopt with `error` when a group cannot be made (the logon fails: a
    /// guest never runs unbounded by mistake).
    std::optional<CgroupJoin> prepare(const proto::Userid& userid, std::uint64_t memory_bytes,
                                      std::uint32_t share_relative, std::string& error);
    /// True when the memory limit killed a process of `userid` since prepare().
    bool ran_out_of_memory(const proto::Userid& userid) const;
    /// True if the guest's memory group exists and holds no process: nothing
    /// it forked is left (a guest cannot leave its group), so no sweep of its
    /// uid is needed. False when unknown (no groups, unreadable).
    bool is_empty(const proto::Userid& userid) const;
    /// Removes `userid`'s groups once its processes are gone (kept, and
    /// reused at its next logon, if something still runs there).
    void remove(const proto::Userid& userid);

  private:
    std::string memory_; // parent group directories; "" when not used
    std::string cpu_;
    bool v2_ = false;
    std::map<proto::Userid, std::uint64_t> oom_kills_at_logon_;
};

/// Removes the empty groups under `parent`, then `parent`; true once it is
/// gone. May sleep up to 0.1 s while the kernel retires removed groups.
bool remove_cgroup_tree(const std::string& parent);

/// The cgroup v1 cpu.shares (default 1024) or v2 cpu.weight (default 100)
/// for SHARE RELATIVE `share` (1-10000; 0: the default).
std::uint64_t cpu_weight_for_share(std::uint32_t share, bool v2) noexcept;

} // namespace cpd::daemon
