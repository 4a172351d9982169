// SPDX-License-Identifier: MIT
// The user directory as cpd uses it: one entry per USER statement with the
// statements that follow it (IPL, IUCV, OPTION, POSIXINFO, MDISK, LINK, SHARE).
// A value type built by the parser (directory_parser.hpp); lookups only.
#pragma once

#include "cpd/proto/userid.hpp"

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace cpd::daemon {

/// One IUCV statement: ALLOW, ANY, or a named target userid.
struct IucvAuthorization {
    enum class Kind { allow, any, user } kind = Kind::user;
    std::optional<proto::Userid> target; ///< set when kind == user
    std::uint32_t msglimit = 0;          ///< 0: no MSGLIMIT given
};

/// One MDISK statement: a host directory used as a CMS minidisk this user owns.
struct Minidisk {
    std::string vdev;      ///< virtual address, e.g. "0191"
    std::string host_path; ///< absolute host directory, or "$STATE/..." (cpd's state directory)
    std::string mode = "RR"; ///< the owner's link mode at logon (R RR W WR M MR MW)
    bool read_write = false; ///< the mode's primary access is write
    char filemode = 'A'; ///< letter CMS accesses it at on IPL
    std::string devtype = "3390";  ///< z/VM form's device type, shown by QUERY VIRTUAL DASD
    std::string volser = "CPDDSK"; ///< z/VM form's volume serial, likewise
    std::uint32_t cylinders = 0;   ///< z/VM form's size (0: END or host path form)
    /// Passwords other users LINK with, per primary access ("ALL": none
    /// needed); an absent one means nobody else may link that way.
    std::optional<std::string> read_password{}, write_password{}, multi_password{};
};

/// One LINK statement: another user's (or, with owner "*", one's own) disk
/// linked at logon without a password.
struct DirectoryLink {
    std::string owner;      ///< owner's userid, or "*" for this entry's own disks
    std::string owner_vdev; ///< the owner's MDISK vdev, 4 hex digits
    std::string vdev;       ///< where it appears for this user, 4 hex digits
    std::string mode = "R"; ///< link mode (R RR W WR M MR MW SR SW SM ER EW)
    char filemode = 0;      ///< letter CMS accesses it at on IPL (0: none free)
    std::string source;     ///< "file:line", for messages at logon
};

/// A RESTART statement: cpd logs the guest on again when it crashes or CP
/// kills it, at most `limit` times within any `window`, after a delay that
/// starts at `backoff` and doubles with each restart in the window, up to
/// `max_backoff` (directory_restart_statement.hpp has the syntax).
struct RestartPolicy {
    std::uint32_t limit = 3;
    std::chrono::milliseconds window{std::chrono::seconds(60)};
    std::chrono::milliseconds backoff{std::chrono::seconds(1)};
    std::chrono::milliseconds max_backoff{std::chrono::seconds(60)};
};

/// Prefix of an MDISK host path that stands for cpd's state directory.
inline constexpr std::string_view state_dir_prefix = "$STATE/";

/// `host_path` with a leading "$STATE/" replaced by `state_dir` + "/"; other paths unchanged.
std::string resolve_host_path(const std::string& host_path, const std::string& state_dir);

/// A directory entry (USER statement and its sub-statements).
struct DirectoryEntry {
    proto::Userid userid;
    bool nolog = false;  ///< password NOLOG: cannot be logged on from outside
    std::string storage; ///< e.g. "64M": the guest's memory limit
    std::string max_storage;
    std::string classes;     ///< privilege classes, e.g. "ABCDEFG"; upper case
    std::string ipl_program; ///< "CMS", "ECHO", or a path; empty: no IPL statement
    std::string ipl_parm;    ///< PARM text, may be empty
    std::vector<IucvAuthorization> iucv;
    std::uint32_t maxconn = 64;             ///< OPTION MAXCONN n (default 64)
    std::optional<std::uint32_t> posix_uid; ///< POSIXINFO UID n
    std::optional<std::string> posix_uname; ///< POSIXINFO UNAME name
    std::vector<Minidisk> minidisks{};
    std::vector<DirectoryLink> links{};
    bool network = false;  ///< OPTION NETWORK: may use TCP/IP sockets
    bool lnknopas = false; ///< OPTION LNKNOPAS: links any disk without passwords
    std::optional<std::uint32_t> share_relative; ///< SHARE RELATIVE n (1-10000)
    std::optional<RestartPolicy> restart{};      ///< RESTART: none unless given
    std::string source; ///< "file:line" of the USER statement

    /// An entry for `id` with every other field at its directory default (classes "G").
    static DirectoryEntry make(proto::Userid id);

    /// True if the entry holds privilege class `c`.
    bool has_class(char c) const noexcept;
};

/// The whole directory, by userid.
class Directory {
  public:
    /// Adds an entry; false if the userid is already present.
    bool add(DirectoryEntry entry);
    /// The entry for `id`, or nullptr.
    const DirectoryEntry* find(const proto::Userid& id) const noexcept;
    /// The entry whose POSIXINFO names host `uid` (or the user name `uname`), or nullptr.
    const DirectoryEntry* find_by_posix(std::uint32_t uid, const std::string& uname) const noexcept;
    /// All entries, sorted by userid.
    const std::map<proto::Userid, DirectoryEntry>& entries() const noexcept { return entries_; }
    /// Number of entries.
    std::size_t size() const noexcept { return entries_.size(); }
    /// The owners of a minidisk outside the disk area or with a write or
    /// multi password: the only disks of others a guest's sandbox may need a
    /// rule for (minidisk_links.cpp), so a logon need not walk every entry.
    const std::set<proto::Userid>& owners_of_shared_disks() const noexcept {
        return owners_of_shared_disks_;
    }

  private:
    std::map<proto::Userid, DirectoryEntry> entries_;
    std::set<proto::Userid> owners_of_shared_disks_;
};

} // namespace cpd::daemon
