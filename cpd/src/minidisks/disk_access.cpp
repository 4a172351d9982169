// SPDX-License-Identifier: MIT
// The ACL is written as the raw extended attribute (linux/posix_acl_xattr.h's
// layout), so no libacl is needed: a 4-byte version, then 8-byte entries of
// tag (u16), permissions (u16) and id (u32), little-endian.
#include "minidisks/disk_access.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <sys/stat.h>
#include <sys/xattr.h>

namespace cpd::daemon {
namespace {

constexpr std::uint32_t acl_version = 2;
constexpr std::uint16_t tag_user_obj = 0x01;
constexpr std::uint16_t tag_user = 0x02;
constexpr std::uint16_t tag_group_obj = 0x04;
constexpr std::uint16_t tag_mask = 0x10;
constexpr std::uint16_t tag_other = 0x20;
constexpr std::uint32_t undefined_id = 0xFFFFFFFF;

constexpr std::uint16_t perm_read = 4;
constexpr std::uint16_t perm_write = 2;
constexpr std::uint16_t perm_execute = 1;

void put16(std::vector<unsigned char>& out, std::uint16_t v) {
    out.push_back(static_cast<unsigned char>(v & 0xFF));
    out.push_back(static_cast<unsigned char>(v >> 8));
}

void put32(std::vector<unsigned char>& out, std::uint32_t v) {
    for (int shift = 0; shift < 32; shift += 8) {
        out.push_back(static_cast<unsigned char>((v >> shift) & 0xFF));
    }
}

void entry(std::vector<unsigned char>& out, std::uint16_t tag, std::uint16_t perm,
           std::uint32_t id) {
    put16(out, tag);
    put16(out, perm);
    put32(out, id);
}

} // namespace

std::vector<unsigned char> encode_disk_acl(std::vector<DiskGrant> grants) {
    std::sort(grants.begin(), grants.end(),
              [](const DiskGrant& a, const DiskGrant& b) { return a.uid < b.uid; });
    std::vector<unsigned char> out;
    put32(out, acl_version);
    entry(out, tag_user_obj, perm_read | perm_write | perm_execute, undefined_id);
    for (std::size_t i = 0; i < grants.size(); ++i) {
        // One entry per uid: a write grant wins over a read grant of the same uid.
        bool write = grants[i].write;
        while (i + 1 < grants.size() && grants[i + 1].uid == grants[i].uid) {
            write = write || grants[++i].write;
        }
        const std::uint16_t perm = perm_read | perm_execute | (write ? perm_write : 0);
        entry(out, tag_user, perm, grants[i].uid);
    }
    entry(out, tag_group_obj, 0, undefined_id);
    entry(out, tag_mask, perm_read | perm_write | perm_execute, undefined_id);
    entry(out, tag_other, 0, undefined_id);
    return out;
}

std::string set_disk_grants(int dir_fd, const std::vector<DiskGrant>& grants) {
    const std::vector<unsigned char> acl = encode_disk_acl(grants);
    if (::fsetxattr(dir_fd, "system.posix_acl_access", acl.data(), acl.size(), 0) != 0) {
        const int err = errno;
        if (err == EOPNOTSUPP && grants.empty()) {
            // No ACLs on this file system: mode 0700 still keeps every guest out.
            return ::fchmod(dir_fd, 0700) == 0 ? "" : std::string(std::strerror(errno));
        }
        return err == EOPNOTSUPP ? "the file system has no POSIX ACLs"
                                 : std::string(std::strerror(err));
    }
    return "";
}

} // namespace cpd::daemon
