// SPDX-License-Identifier: MIT
// Which host uid each guest runs under. A userid keeps its uid for good (the
// files it writes on minidisks are owned by it), so the map is kept in the
// state directory and only grows: `USERID uid` per line, appended when a
// userid logs on for the first time. gid = uid. The range is cpd.conf's
// guest_uid_base and guest_uid_count; its default (64 Ki ids at 0x70000000)
// lies above systemd's container ranges and below the ids signed-uid bugs hit.
// The base itself is never a guest's: cpd sweeps a guest's processes with it
// as real and saved uid, so that they cannot signal the sweeper.
#pragma once

#include "cpd/proto/userid.hpp"

#include <cstdint>
#include <map>
#include <set>
#include <span>
#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>

namespace cpd::daemon {

/// The persistent userid -> uid map.
class GuestUidMap {
  public:
    GuestUidMap(std::string file, uid_t first, std::uint32_t count);

    /// Reads the file (missing = empty). Lines naming ids outside the range or
    /// twice are errors (the file is cpd's own: something edited it).
    std::vector<std::string> load();
    /// What load() noticed but could mend (logged by the caller).
    const std::vector<std::string>& warnings() const noexcept { return warnings_; }
    /// The uid of `userid`, allocating (and appending to the file) if it has
    /// none. nullopt when the range is full or the file cannot be written
    /// (`error` says which).
    std::optional<uid_t> uid_of(const proto::Userid& userid, std::string& error);
    /// Gives every userid of `userids` that has none its uid, with one write
    /// and one fdatasync of the file for all of them (a first start of
    /// thousands of guests would otherwise sync once per guest). False with
    /// `error` when the range is full or the file cannot be written; then
    /// none of this call's userids is given a uid.
    bool assign(std::span<const proto::Userid> userids, std::string& error);
    /// The uid of `userid` if it has one.
    std::optional<uid_t> find(const proto::Userid& userid) const;

    uid_t first() const noexcept { return first_; }
    std::uint32_t count() const noexcept { return count_; }

  private:
    /// The next id to hand out: free in the map and in `reserved`, unknown to NSS.
    std::optional<uid_t> next_free(const std::set<uid_t>& reserved);

    std::string file_;
    uid_t first_;
    std::uint32_t count_;
    std::map<proto::Userid, uid_t> by_userid_;
    std::map<uid_t, proto::Userid> by_uid_;
    uid_t next_;
    std::vector<std::string> warnings_;
};

/// Problems with using [first, first + count) for guests: ids that NSS knows
/// as users or groups, or that /etc/subuid or /etc/subgid hand out.
std::vector<std::string> check_guest_uid_range(uid_t first, std::uint32_t count);

} // namespace cpd::daemon
