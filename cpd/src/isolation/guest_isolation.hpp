// SPDX-License-Identifier: MIT
// GuestIsolation: how cpd keeps guests apart on this host, decided once at
// start. With CAP_SETUID, CAP_SETGID and CAP_KILL (root, or the shipped unit's
// ambient capabilities) every guest runs under a uid of its own, and cpd ends
// a guest's leftovers by uid; without them every guest runs as cpd's own user
// and cpd says so ("isolation: none"). Either way each guest gets its sandbox
// (Landlock, seccomp, limits) unless cpd.conf turns the sandbox off.
#pragma once

#include "config/directory/directory.hpp"
#include "isolation/guardian.hpp"
#include "isolation/guest_cgroups.hpp"
#include "isolation/guest_uids.hpp"
#include "isolation/sandbox.hpp"
#include "config/options.hpp"

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace cpd::daemon {

/// The isolation in force, and what builds each guest's sandbox.
class GuestIsolation {
  public:
    /// Decides the mode for `options` and, with separate uids, loads the uid
    /// map, claims the range, ends what a previous cpd left in it, starts the
    /// guardian and drops the capabilities cpd does not use. Returns
    /// configuration problems (exit 78 at start).
    std::vector<std::string> start(const Options& options);

    /// True when start() failed only because another cpd (or its guardian,
    /// still ending its guests) holds the range: worth retrying (exit 75).
    bool range_busy() const noexcept { return range_busy_; }
    /// True when `pid` is the guardian (its death is logged: protection lost).
    bool is_guardian(pid_t pid) const noexcept { return guardian_.pid == pid; }
    /// True when this process holds what separating guests needs.
    static bool can_separate() noexcept;
    /// True when guests run under uids of their own.
    bool separate_uids() const noexcept { return uids_ != nullptr; }
    /// One line for the log and QUERY STATS, e.g. "uid per guest (1879048192+65536),
    /// Landlock ABI 7, seccomp" or "none, not started with the privileges to separate guests".
    const std::string& summary() const noexcept { return summary_; }
    /// The uid `userid` runs under, if it has one of its own.
    std::optional<uid_t> uid_of(const proto::Userid& userid) const;
    /// Gives `userid` its uid before its first logon (a no-op without
    /// separate uids). False with `error` when the range is full or the map
    /// cannot be written.
    bool assign_uid(const proto::Userid& userid, std::string& error);
    /// The same for many userids with one sync of the uid map (GuestUidMap::assign).
    bool assign_uids(std::span<const proto::Userid> userids, std::string& error);

    /// The sandbox for a logon of `entry` running `program`, with `disks`
    /// rules for the minidisks it may reach. nullopt with `error` when the
    /// guest cannot be given its uid.
    std::optional<SandboxPlan> plan(const DirectoryEntry& entry, const std::string& program,
                                    const std::vector<PathRule>& disks, bool sandbox,
                                    std::string& error);

    /// After a guest's process was reaped: ends every process it left behind
    /// (by uid; else its process group `pgid`) and removes its cgroups. True
    /// when its memory cgroup's limit (its storage) killed one of them.
    bool end_leftovers(const proto::Userid& userid, pid_t pgid);
    /// True when SHARE RELATIVE sets guests' CPU weights (a CPU cgroup).
    bool enforces_share() const noexcept { return cgroups_.has_cpu(); }

  private:
    std::unique_ptr<GuestUidMap> uids_;
    ipc::UniqueFd range_lock_;
    Guardian guardian_;
    GuestCgroups cgroups_;
    std::string summary_ = "none";
    bool range_busy_ = false;
    bool warned_landlock_ = false;
    bool warned_seccomp_ = false;
};

/// The USER statement's storage in bytes (0 if none or unreadable).
std::uint64_t storage_limit_bytes(const DirectoryEntry& entry);

} // namespace cpd::daemon
