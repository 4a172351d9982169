// SPDX-License-Identifier: MIT
// The link table. Messages follow z/VM's HCPLNM texts where the reference
// has them; those it marks unverified, and 110E and 114E, are cpd's wording
// (cpd(8), "MINIDISKS AND LINK").
#include "minidisks/minidisk_links.hpp"

#include "minidisks/disk_access.hpp"
#include "minidisks/disk_directory.hpp"

#include "cpd/ipc/log.hpp"

#include <algorithm>
#include <cstdio>
#include <set>

#include <sys/stat.h>
#include <unistd.h>

namespace cpd::daemon {
namespace {

using Outcome = LinkDecision::Outcome;
using Blocker = LinkDecision::Blocker;

std::string id_of(const proto::Userid& u) {
    return std::string(u.str());
}

CpOutcome fail(proto::CpRc rc, std::string text) {
    return {rc, std::move(text)};
}

/// "OWNER vvvv not linked; " — the start of every refusal.
std::string not_linked(const proto::Userid& owner, const std::string& vdev) {
    return id_of(owner) + " " + vdev + " not linked; ";
}

const char* password_word(PasswordKind k) {
    switch (k) {
    case PasswordKind::read:
        return "read";
    case PasswordKind::write:
        return "write";
    case PasswordKind::multi:
        return "mult";
    }
    return "read";
}

/// The words of a refusal by arbitration: the one user in the way by name,
/// else how many hold the disk and how.
CpOutcome refusal(const LinkDecision& d, const proto::Userid& owner, const std::string& vdev,
                  const std::string& first_writer, const std::string& first_reader) {
    const std::string head = not_linked(owner, vdev);
    if (d.blocker == Blocker::readers) {
        if (d.readers == 1) {
            return fail(proto::CpRc::link_held_by, "HCPLNM104E " + head + "R/O by " + first_reader);
        }
        return fail(proto::CpRc::link_readers,
                    "HCPLNM105E " + head + "R/O by " + std::to_string(d.readers) + " users");
    }
    if (d.writers == 1) {
        return fail(proto::CpRc::link_held_by, "HCPLNM104E " + head + "R/W by " + first_writer);
    }
    if (d.writers == 0) { // an exclusive or stable read link is in the way
        return fail(proto::CpRc::link_held_by, "HCPLNM104E " + head + "R/O by " + first_reader);
    }
    return fail(proto::CpRc::link_writers,
                "HCPLNM106E " + head + "R/W by " + std::to_string(d.writers) + " users");
}

proto::CpRc rc_from_number(int number) {
    const auto rc = static_cast<proto::CpRc>(number);
    return proto::is_known(rc) ? rc : proto::CpRc::invalid_operand;
}

/// One QUERY VIRTUAL DASD line (z/VM's columns).
std::string dasd_line(const LinkedDevice& d, std::size_t subchannel) {
    char line[128];
    std::snprintf(line, sizeof line,
                  "DASD %s %-4.8s %-6.6s %s%11u CYL ON DASD  %s SUBCHANNEL = %04zX", d.vdev.c_str(),
                  d.devtype.c_str(), d.volser.c_str(), d.write ? "R/W" : "R/O", d.cylinders,
                  d.owner_vdev.c_str(), subchannel);
    return line;
}

} // namespace

MinidiskLinks::MinidiskLinks(std::string state_dir, UidOf uid_of, bool grant_by_acl)
    : state_dir_(std::move(state_dir)), uid_of_(std::move(uid_of)), grant_by_acl_(grant_by_acl) {}

void MinidiskLinks::close_unlinked_disks(const Directory& directory) {
    if (!grant_by_acl_) {
        return;
    }
    for (const auto& [id, entry] : directory.entries()) {
        for (const Minidisk& m : entry.minidisks) {
            struct stat st {};
            const std::string path = resolve_host_path(m.host_path, state_dir_);
            if (disks_.count({entry.userid, m.vdev}) != 0 || ::lstat(path.c_str(), &st) != 0) {
                continue; // linked (its ACL is the table's), or not made yet
            }
            DiskDirectory dir = open_disk_directory(m.host_path, state_dir_);
            const std::string problem =
                dir.error.empty() ? set_disk_grants(dir.fd.get(), {}) : dir.error;
            if (!problem.empty()) {
                CPD_LOG(warn, "minidisks: ", id.str(), " ", m.vdev, ": unable to close ", path,
                        " to guests: ", problem);
            }
        }
    }
}

std::string MinidiskLinks::apply_grants(const DiskKey& key, Disk& disk) {
    if (!grant_by_acl_) {
        // Guests run as cpd's own user: the owner bits serve. cpd still makes a
        // new $STATE disk, so that it gets its seed files.
        if (!disk.path.starts_with(state_dir_prefix)) {
            return "";
        }
        return open_disk_directory(disk.path, state_dir_, seed_root_).error;
    }
    DiskDirectory dir = open_disk_directory(disk.path, state_dir_, seed_root_);
    if (!dir.error.empty()) {
        return dir.error;
    }
    std::vector<DiskGrant> grants;
    for (const Holder& h : disk.holders) {
        if (auto uid = uid_of_(h.linker)) {
            grants.push_back({*uid, h.write});
        }
    }
    if (auto problem = set_disk_grants(dir.fd.get(), grants); !problem.empty()) {
        // Fail closed: a disk whose ACL cannot be written is nobody's but cpd's.
        if (::fchmod(dir.fd.get(), 0700) != 0 || !grants.empty()) {
            CPD_LOG(error, "minidisks: ", key.first.str(), " ", key.second,
                    ": unable to set the access of ", dir.path, ": ", problem);
        }
        return "unable to set the access of " + dir.path + ": " + problem;
    }
    return "";
}

CpOutcome MinidiskLinks::link(const DirectoryEntry& linker, const DirectoryEntry& owner,
                              const Minidisk& mdisk, std::string vdev, LinkMode mode,
                              char filemode) {
    auto& mine = devices_[linker.userid];
    if (std::any_of(mine.begin(), mine.end(),
                    [&](const LinkedDevice& d) { return d.vdev == vdev; })) {
        return fail(proto::CpRc::vdev_in_use, "HCPLNM110E " + vdev + " already defined");
    }
    const DiskKey key{owner.userid, mdisk.vdev};
    Disk& disk = disks_[key];
    disk.path = mdisk.host_path;
    std::vector<HeldLink> others;
    std::string first_writer;
    std::string first_reader;
    for (const Holder& h : disk.holders) {
        if (h.linker != linker.userid) {
            others.push_back({h.mode, h.write});
            std::string& first = h.write ? first_writer : first_reader;
            if (first.empty()) {
                first = id_of(h.linker);
            }
        }
    }
    const LinkDecision d = arbitrate(mode, others);
    if (d.outcome == Outcome::refused) {
        if (disk.holders.empty()) {
            disks_.erase(key);
        }
        return refusal(d, owner.userid, mdisk.vdev, first_writer, first_reader);
    }
    const bool write = d.outcome == Outcome::granted_write;
    disk.holders.push_back({linker.userid, vdev, mode, write});
    if (auto problem = apply_grants(key, disk); !problem.empty()) {
        disk.holders.pop_back();
        if (disk.holders.empty()) {
            disks_.erase(key);
        }
        return fail(proto::CpRc::link_unavailable,
                    "HCPLNM108E " + not_linked(owner.userid, mdisk.vdev) + problem);
    }
    LinkedDevice dev{
        vdev,         owner.userid,   mdisk.vdev, resolve_host_path(mdisk.host_path, state_dir_),
        mode,         write,          filemode,   mdisk.devtype,
        mdisk.volser, mdisk.cylinders};
    mine.push_back(dev);
    std::sort(mine.begin(), mine.end(),
              [](const LinkedDevice& a, const LinkedDevice& b) { return a.vdev < b.vdev; });
    CpOutcome ok;
    if (d.outcome == Outcome::forced_read) {
        ok.text = "HCPLNM101W DASD " + vdev + " forced R/O; R/" + (d.writers > 0 ? "W" : "O") +
                  " by " + std::to_string(std::max<std::size_t>(d.writers, d.readers)) + " users";
    }
    if (on_change_) {
        on_change_(linker.userid, dev, true);
    }
    return ok;
}

MinidiskLinks::LogonLinks MinidiskLinks::link_at_logon(const DirectoryEntry& entry,
                                                       const Directory& directory) {
    LogonLinks out;
    const OnChange quiet = std::exchange(on_change_, nullptr); // the guest gets them at start
    for (const Minidisk& mdisk : entry.minidisks) {
        const LinkMode mode = parse_link_mode(mdisk.mode).value_or(LinkMode::r);
        CpOutcome r = link(entry, entry, mdisk, mdisk.vdev, mode, mdisk.filemode);
        if (r.rc == proto::CpRc::link_unavailable) {
            out.error = r.text;
            break;
        }
        if (!r.text.empty()) {
            out.messages.push_back(r.text);
        }
    }
    for (const DirectoryLink& l : entry.links) {
        if (!out.error.empty()) {
            break;
        }
        const auto owner_id = l.owner == "*" ? entry.userid : *proto::Userid::parse(l.owner);
        const DirectoryEntry* owner = directory.find(owner_id);
        const Minidisk* mdisk = nullptr;
        if (owner != nullptr) {
            for (const Minidisk& m : owner->minidisks) {
                if (m.vdev == l.owner_vdev) {
                    mdisk = &m;
                }
            }
        }
        CpOutcome r;
        if (owner == nullptr) {
            r = fail(proto::CpRc::not_in_directory,
                     "HCPLNM053E " + id_of(owner_id) + " not in CP directory");
        } else if (mdisk == nullptr) {
            r = fail(proto::CpRc::link_no_such_disk,
                     "HCPLNM107E " + not_linked(owner_id, l.owner_vdev) + "not in CP directory");
        } else {
            r = link(entry, *owner, *mdisk, l.vdev, parse_link_mode(l.mode).value_or(LinkMode::r),
                     l.filemode);
        }
        if (!r.text.empty()) {
            out.messages.push_back(r.text + " (LINK at " + l.source + ")");
        }
    }
    on_change_ = quiet;
    if (!out.error.empty()) {
        drop_all(entry.userid);
    }
    return out;
}

CpOutcome MinidiskLinks::link_command(const DirectoryEntry& linker, std::string_view operands,
                                      const Directory& directory) {
    LinkParse parsed = parse_link_command(operands);
    if (!parsed.request) {
        return fail(rc_from_number(parsed.rc), parsed.error);
    }
    const LinkRequest& req = *parsed.request;
    const auto owner_id = req.owner == "*" ? linker.userid : proto::Userid::parse(req.owner);
    const DirectoryEntry* owner = owner_id ? directory.find(*owner_id) : nullptr;
    if (owner == nullptr) {
        return fail(proto::CpRc::not_in_directory,
                    "HCPLNM053E " + req.owner + " not in CP directory");
    }
    const Minidisk* mdisk = nullptr;
    for (const Minidisk& m : owner->minidisks) {
        if (m.vdev == req.owner_vdev) {
            mdisk = &m;
        }
    }
    if (mdisk == nullptr) {
        return fail(proto::CpRc::link_no_such_disk, "HCPLNM107E " +
                                                        not_linked(owner->userid, req.owner_vdev) +
                                                        "not in CP directory");
    }
    const bool own = owner->userid == linker.userid;
    const LinkMode mode =
        own && !req.mode_given ? parse_link_mode(mdisk->mode).value_or(LinkMode::r) : req.mode;
    // One's own disk, OPTION LNKNOPAS and class B need no password.
    if (!own && !linker.lnknopas && !linker.has_class('B')) {
        const PasswordKind needed = password_kind(mode);
        const std::optional<std::string>& wanted =
            needed == PasswordKind::read    ? mdisk->read_password
            : needed == PasswordKind::write ? mdisk->write_password
                                            : mdisk->multi_password;
        const bool asks_password = wanted && *wanted != "ALL"; // stored in upper case
        if (asks_password && !password_tries_left(linker.userid)) {
            return fail(proto::CpRc::link_bad_password,
                        "HCPLNM114E " + not_linked(owner->userid, mdisk->vdev) +
                            "too many password failures; try again in a minute");
        }
        const MdiskPasswords pw{mdisk->read_password, mdisk->write_password, mdisk->multi_password};
        const std::optional<std::string_view> given =
            req.password ? std::optional<std::string_view>(*req.password) : std::nullopt;
        const std::string kind = password_word(password_kind(mode));
        switch (check_password(pw, mode, given)) {
        case PasswordCheck::ok:
            break;
        case PasswordCheck::not_allowed:
            return fail(proto::CpRc::link_no_password, "HCPLNM113E " +
                                                           not_linked(owner->userid, mdisk->vdev) +
                                                           "no " + kind + " password");
        case PasswordCheck::missing:
            note_password_failure(linker.userid, id_of(owner->userid), mdisk->vdev);
            return fail(proto::CpRc::link_no_password, "HCPLNM113E " +
                                                           not_linked(owner->userid, mdisk->vdev) +
                                                           kind + " password required");
        case PasswordCheck::wrong:
            note_password_failure(linker.userid, id_of(owner->userid), mdisk->vdev);
            return fail(proto::CpRc::link_bad_password, "HCPLNM114E " +
                                                            not_linked(owner->userid, mdisk->vdev) +
                                                            "password incorrect");
        }
    }
    return link(linker, *owner, *mdisk, req.vdev, mode, 0);
}

namespace {
constexpr int password_failures_per_minute = 5;
} // namespace

bool MinidiskLinks::password_tries_left(const proto::Userid& linker) {
    auto it = password_failures_.find(linker);
    if (it == password_failures_.end()) {
        return true;
    }
    if (std::chrono::steady_clock::now() - it->second.window_start >= std::chrono::minutes(1)) {
        password_failures_.erase(it);
        return true;
    }
    return it->second.count < password_failures_per_minute;
}

void MinidiskLinks::note_password_failure(const proto::Userid& linker, const std::string& owner,
                                          const std::string& vdev) {
    PasswordFailures& f = password_failures_[linker];
    if (f.count == 0) {
        f.window_start = std::chrono::steady_clock::now();
    }
    ++f.count;
    CPD_LOG(warn, "minidisks: ", linker.str(), ": LINK ", owner, " ", vdev,
            ": wrong or missing password (", f.count, " this minute)");
    if (f.count == password_failures_per_minute) {
        CPD_LOG(warn, "minidisks: ", linker.str(),
                ": its LINKs that need a password are refused for the rest of the minute");
    }
}

void MinidiskLinks::remove_holder(const DiskKey& key, const proto::Userid& linker,
                                  const std::string& vdev) {
    auto it = disks_.find(key);
    if (it == disks_.end()) {
        return;
    }
    auto& holders = it->second.holders;
    std::erase_if(holders, [&](const Holder& h) { return h.linker == linker && h.vdev == vdev; });
    apply_grants(key, it->second); // a failure leaves the entry; the next change rewrites it
    if (holders.empty()) {
        disks_.erase(it);
    }
}

CpOutcome MinidiskLinks::detach_command(const proto::Userid& linker, std::string_view operands) {
    const std::string_view trimmed =
        operands.substr(std::min(operands.size(), operands.find_first_not_of(" \t")));
    const auto end = trimmed.find_first_of(" \t");
    const auto vdev = parse_vdev(trimmed.substr(0, end));
    if (!vdev) {
        return fail(proto::CpRc::invalid_vdev,
                    "HCPDTV022E A virtual device number was not supplied or it was invalid");
    }
    if (end != std::string_view::npos &&
        trimmed.find_first_not_of(" \t", end) != std::string_view::npos) {
        return fail(proto::CpRc::invalid_option,
                    "HCPDTV003E Invalid option - " +
                        std::string(trimmed.substr(trimmed.find_first_not_of(" \t", end))));
    }
    auto& mine = devices_[linker];
    auto it = std::find_if(mine.begin(), mine.end(),
                           [&](const LinkedDevice& d) { return d.vdev == *vdev; });
    if (it == mine.end()) {
        return fail(proto::CpRc::no_such_device, "HCPDTV040E Device " + *vdev + " does not exist");
    }
    const LinkedDevice gone = *it;
    mine.erase(it);
    remove_holder({gone.owner, gone.owner_vdev}, linker, gone.vdev);
    if (on_change_) {
        on_change_(linker, gone, false);
    }
    return {proto::CpRc::ok, "DASD " + gone.vdev + " DETACHED"};
}

void MinidiskLinks::drop_all(const proto::Userid& linker) {
    auto it = devices_.find(linker);
    if (it == devices_.end()) {
        return;
    }
    for (const LinkedDevice& d : it->second) {
        remove_holder({d.owner, d.owner_vdev}, linker, d.vdev);
    }
    devices_.erase(it);
}

std::vector<LinkedDevice> MinidiskLinks::devices(const proto::Userid& linker) const {
    auto it = devices_.find(linker);
    return it == devices_.end() ? std::vector<LinkedDevice>{} : it->second;
}

CpOutcome MinidiskLinks::query_virtual_dasd(const proto::Userid& linker,
                                            std::optional<std::string> only) const {
    const auto mine = devices(linker);
    std::string text;
    for (std::size_t i = 0; i < mine.size(); ++i) {
        if (!only || mine[i].vdev == *only) {
            text += text.empty() ? "" : "\n"; // two appends: g++ 12 -O3 -Wrestrict (GCC bug 105651)
            text += dasd_line(mine[i], i);
        }
    }
    if (only && text.empty()) {
        return fail(proto::CpRc::no_such_device, "HCPQVD040E Device " + *only + " does not exist");
    }
    return {proto::CpRc::ok, text.empty() ? "No DASD" : text};
}

CpOutcome MinidiskLinks::query_links(const proto::Userid& owner,
                                     std::optional<std::string> only) const {
    std::string text;
    for (const auto& [key, disk] : disks_) {
        if (key.first != owner || (only && key.second != *only)) {
            continue;
        }
        std::string line = "DASD " + key.second + " LINKS:";
        for (std::size_t i = 0; i < disk.holders.size(); ++i) {
            const Holder& h = disk.holders[i];
            line += (i == 0 ? " " : " , ") + std::string(h.linker.padded()) + " " + h.vdev +
                    (h.write ? " R/W" : " R/O");
        }
        text += (text.empty() ? "" : "\n") + line;
    }
    if (text.empty()) {
        if (only) {
            return fail(proto::CpRc::no_such_device,
                        "HCPQLK040E Device " + *only + " does not exist or is not linked");
        }
        return {proto::CpRc::ok, "No links"};
    }
    return {proto::CpRc::ok, text};
}

std::vector<PathRule> MinidiskLinks::landlock_rules(const Directory& directory,
                                                    const DirectoryEntry& entry) const {
    // Enough for any real directory; more are left out (and named).
    constexpr std::size_t max_rules = 256;
    const bool writes_anything = entry.lnknopas || entry.has_class('B');
    std::vector<PathRule> rules = {
        {state_dir_ + "/disks", writes_anything ? PathAccess::read_write : PathAccess::read}};
    const std::string area_prefix = std::string(state_dir_prefix) + "disks/";
    auto may_write = [&](const DirectoryEntry& owner, const Minidisk& m) {
        if (writes_anything || owner.userid == entry.userid || m.write_password ||
            m.multi_password) {
            return true;
        }
        return std::any_of(entry.links.begin(), entry.links.end(), [&](const DirectoryLink& l) {
            const auto mode = parse_link_mode(l.mode);
            const bool write_mode = mode && password_kind(*mode) != PasswordKind::read;
            const std::string_view link_owner =
                l.owner == "*" ? entry.userid.str() : std::string_view(l.owner);
            return write_mode && link_owner == owner.userid.str() && l.owner_vdev == m.vdev;
        });
    };
    // The guest's own disks and its LINK statements' first, so that a cap
    // reached by a directory of many password-protected disks never leaves
    // those out.
    auto is_its_own = [&](const DirectoryEntry& owner, const Minidisk& m) {
        return owner.userid == entry.userid ||
               std::any_of(entry.links.begin(), entry.links.end(), [&](const DirectoryLink& l) {
                   return (l.owner == "*" ? entry.userid.str() : std::string_view(l.owner)) ==
                              owner.userid.str() &&
                          l.owner_vdev == m.vdev;
               });
    };
    // Only owners that can yield a rule are visited, in directory order:
    // this guest and its LINK statements' owners, then the owners of disks
    // outside the area or with a password (every other disk of another is
    // covered by the area's read rule). A logon so costs the same in a
    // directory of ten users as of ten thousand.
    std::set<proto::Userid> own_owners{entry.userid};
    for (const DirectoryLink& l : entry.links) {
        if (auto owner = proto::Userid::parse(l.owner == "*" ? entry.userid.str() : l.owner)) {
            own_owners.insert(*owner);
        }
    }
    std::size_t left_out = 0;
    for (const bool own_pass : {true, false}) {
        for (const proto::Userid& id :
             own_pass ? own_owners : directory.owners_of_shared_disks()) {
            const DirectoryEntry* found = directory.find(id);
            if (found == nullptr) {
                continue;
            }
            const DirectoryEntry& owner = *found;
            for (const Minidisk& m : owner.minidisks) {
                if (is_its_own(owner, m) != own_pass) {
                    continue;
                }
                const bool outside = !m.host_path.starts_with(area_prefix);
                const bool write = !writes_anything && may_write(owner, m);
                if (!outside && !write) {
                    continue; // the area's read rule covers it
                }
                if (rules.size() >= max_rules) {
                    ++left_out;
                    continue;
                }
                rules.push_back(
                    {resolve_host_path(m.host_path, state_dir_),
                     write || writes_anything ? PathAccess::read_write : PathAccess::read});
            }
        }
    }
    if (left_out != 0) {
        CPD_LOG(warn, "minidisks: ", entry.userid.str(), ": ", left_out,
                " minidisk directories left out of its sandbox (more than ", max_rules, ")");
    }
    return rules;
}

} // namespace cpd::daemon
