// SPDX-License-Identifier: MIT
// MinidiskLinks: CP's table of who is linked to which minidisk, and in what
// mode. LINK (the command and the directory statement), DETACH, the links a
// guest gets at logon and loses at logoff, QUERY VIRTUAL DASD and QUERY
// LINKS all go through it. Arbitration and passwords follow
// minidisks/link_rules.hpp; every change rewrites the disk's ACL
// (minidisks/disk_access.hpp), so the kernel enforces what the table says.
#pragma once

#include "control/cp_outcome.hpp"
#include "config/directory/directory.hpp"
#include "isolation/landlock.hpp"
#include "minidisks/link_rules.hpp"

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <sys/types.h>

namespace cpd::daemon {

/// One minidisk as a guest sees it (a row of QUERY VIRTUAL DASD).
struct LinkedDevice {
    std::string vdev; ///< the linker's virtual device, 4 hex digits
    proto::Userid owner;
    std::string owner_vdev; ///< the owner's MDISK vdev
    std::string path;       ///< the resolved host directory
    LinkMode mode = LinkMode::r;
    bool write = false;  ///< granted write access
    char filemode = 0;   ///< where CMS accesses it at IPL (0: not at IPL)
    std::string devtype; ///< the owner's MDISK device type, volume serial and size
    std::string volser;
    std::uint32_t cylinders = 0;
};

/// The link table.
class MinidiskLinks {
  public:
    /// The host uid a userid runs under (nullopt: cpd's own uid, nothing to grant).
    using UidOf = std::function<std::optional<uid_t>(const proto::Userid&)>;
    /// Told of every link and detach after logon (the guest learns of it).
    using OnChange = std::function<void(const proto::Userid&, const LinkedDevice&, bool attached)>;

    /// `grant_by_acl`: guests run under uids of their own, and each disk's ACL
    /// says which may reach it (false: isolation none, nothing to grant).
    MinidiskLinks(std::string state_dir, UidOf uid_of, bool grant_by_acl);

    /// Closes every existing MDISK directory of `directory` that nobody has
    /// linked (an empty ACL): at start, so no grant of an earlier run (cpd
    /// killed, host crash) survives, and after a reload for the new disks.
    void close_unlinked_disks(const Directory& directory);
    void set_on_change(OnChange on_change) { on_change_ = std::move(on_change); }
    /// Where new $STATE/disks/ minidisks take their first files from
    /// (minidisks/disk_seed.hpp); "" for none.
    void set_seed_root(std::string seed_root) { seed_root_ = std::move(seed_root); }

    /// Links `entry`'s own MDISKs in their directory modes and its LINK
    /// statements, before its process starts. A disk that cannot be opened
    /// fails the logon (`error`); a LINK statement that is refused is only
    /// reported (`messages`), as z/VM logs on without it.
    struct LogonLinks {
        std::string error;
        std::vector<std::string> messages;
    };
    LogonLinks link_at_logon(const DirectoryEntry& entry, const Directory& directory);

    /// CP LINK [TO] userid vdev1 [AS] vdev2 [mode] [[PASS=] pw] by `linker`.
    CpOutcome link_command(const DirectoryEntry& linker, std::string_view operands,
                           const Directory& directory);
    /// CP DETACH vdev.
    CpOutcome detach_command(const proto::Userid& linker, std::string_view operands);
    /// Drops every link `linker` holds (logoff).
    void drop_all(const proto::Userid& linker);

    /// QUERY VIRTUAL DASD, or QUERY VIRTUAL vdev when `only` is given.
    CpOutcome query_virtual_dasd(const proto::Userid& linker,
                                 std::optional<std::string> only) const;
    /// QUERY LINKS [vdev] for `owner`'s minidisks.
    CpOutcome query_links(const proto::Userid& owner, std::optional<std::string> only) const;

    /// The devices `linker` holds, sorted by vdev.
    std::vector<LinkedDevice> devices(const proto::Userid& linker) const;
    /// Landlock rules for `entry`'s guest: read on every minidisk of
    /// `directory` (the disk area and each MDISK directory outside it), and
    /// write on those it could ever be granted write to: its own, its write
    /// LINK statements', those with a write or multi password, and all of them
    /// with OPTION LNKNOPAS or class B. The ACLs then decide which it may use
    /// now, so LINK works after logon, when a Landlock domain can no longer
    /// widen; a disk it can only read stays read-only whoever owns its files.
    std::vector<PathRule> landlock_rules(const Directory& directory,
                                         const DirectoryEntry& entry) const;

  private:
    struct Holder {
        proto::Userid linker;
        std::string vdev;
        LinkMode mode;
        bool write;
    };
    struct Disk {
        std::string path;
        std::vector<Holder> holders;
    };
    using DiskKey = std::pair<proto::Userid, std::string>; // owner, owner vdev

    CpOutcome link(const DirectoryEntry& linker, const DirectoryEntry& owner, const Minidisk& mdisk,
                   std::string vdev, LinkMode mode, char filemode);
    std::string apply_grants(const DiskKey& key, Disk& disk);
    void remove_holder(const DiskKey& key, const proto::Userid& linker, const std::string& vdev);

    std::string state_dir_;
    std::string seed_root_;
    UidOf uid_of_;
    bool grant_by_acl_;
    OnChange on_change_;
    /// Wrong or missing passwords a linker gave in its current minute: past
    /// a few, its LINKs that need a password are refused unchecked, so no
    /// guest can try passwords at ring speed.
    struct PasswordFailures {
        std::chrono::steady_clock::time_point window_start;
        int count = 0;
    };
    bool password_tries_left(const proto::Userid& linker);
    void note_password_failure(const proto::Userid& linker, const std::string& owner,
                               const std::string& vdev);

    std::map<DiskKey, Disk> disks_;
    std::map<proto::Userid, PasswordFailures> password_failures_;
    std::map<proto::Userid, std::vector<LinkedDevice>> devices_;
};

} // namespace cpd::daemon
