// SPDX-License-Identifier: MIT
// The ABI constants are our own (named ll_*), checked against the kernel's
// documentation; the structs are laid out as the kernel expects. Rights the
// running ABI lacks are masked out, as the kernel's own example does, or the
// ruleset call would fail with EINVAL.
#include "isolation/landlock.hpp"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace cpd::daemon {
namespace {

// System call numbers are the same on every architecture.
constexpr long sys_create_ruleset = 444;
constexpr long sys_add_rule = 445;
constexpr long sys_restrict_self = 446;

constexpr std::uint32_t create_ruleset_version = 1U << 0;
constexpr int rule_path_beneath = 1;

// File system rights, ABI 1 (bits 0-12), 2 (REFER), 3 (TRUNCATE), 5 (IOCTL_DEV).
constexpr std::uint64_t fs_execute = 1ULL << 0;
constexpr std::uint64_t fs_write_file = 1ULL << 1;
constexpr std::uint64_t fs_read_file = 1ULL << 2;
constexpr std::uint64_t fs_read_dir = 1ULL << 3;
constexpr std::uint64_t fs_remove_dir = 1ULL << 4;
constexpr std::uint64_t fs_remove_file = 1ULL << 5;
constexpr std::uint64_t fs_make_char = 1ULL << 6;
constexpr std::uint64_t fs_make_dir = 1ULL << 7;
constexpr std::uint64_t fs_make_reg = 1ULL << 8;
constexpr std::uint64_t fs_make_sock = 1ULL << 9;
constexpr std::uint64_t fs_make_fifo = 1ULL << 10;
constexpr std::uint64_t fs_make_block = 1ULL << 11;
constexpr std::uint64_t fs_make_sym = 1ULL << 12;
constexpr std::uint64_t fs_refer = 1ULL << 13;
constexpr std::uint64_t fs_truncate = 1ULL << 14;
constexpr std::uint64_t fs_ioctl_dev = 1ULL << 15;

constexpr std::uint64_t net_bind_tcp = 1ULL << 0;
constexpr std::uint64_t net_connect_tcp = 1ULL << 1;

constexpr std::uint64_t scope_abstract_unix_socket = 1ULL << 0;
constexpr std::uint64_t scope_signal = 1ULL << 1;

struct RulesetAttr {
    std::uint64_t handled_access_fs;
    std::uint64_t handled_access_net;
    std::uint64_t scoped;
};

struct __attribute__((packed)) PathBeneathAttr {
    std::uint64_t allowed_access;
    std::int32_t parent_fd;
};

/// Every file system right the given ABI knows.
std::uint64_t fs_rights_for(int abi) noexcept {
    std::uint64_t rights = (1ULL << 13) - 1; // ABI 1: bits 0-12
    if (abi >= 2) {
        rights |= fs_refer;
    }
    if (abi >= 3) {
        rights |= fs_truncate;
    }
    if (abi >= 5) {
        rights |= fs_ioctl_dev;
    }
    return rights;
}

/// The rights of one PathAccess, before masking by ABI.
std::uint64_t rights_of(PathAccess access) noexcept {
    constexpr std::uint64_t read = fs_read_file | fs_read_dir;
    switch (access) {
    case PathAccess::execute:
        return read | fs_execute;
    case PathAccess::read:
        return read;
    case PathAccess::read_write:
        // No REFER: renames within one directory (CMS's temporary file over
        // its target) need none, and without it no file can be linked or
        // moved from one disk into another (EXDEV). No MAKE_DIR, MAKE_SYM or
        // device nodes: a minidisk is flat and holds files only.
        return read | fs_write_file | fs_remove_file | fs_make_reg | fs_truncate;
    case PathAccess::device:
        return fs_read_file | fs_write_file | fs_ioctl_dev;
    }
    return 0;
}

/// Rights that apply to directories only may not be given on a file.
constexpr std::uint64_t directory_only_rights =
    fs_read_dir | fs_remove_dir | fs_remove_file | fs_make_char | fs_make_dir | fs_make_reg |
    fs_make_sock | fs_make_fifo | fs_make_block | fs_make_sym | fs_refer;

} // namespace

int landlock_abi() noexcept {
    const long abi = ::syscall(sys_create_ruleset, nullptr, 0, create_ruleset_version);
    return abi > 0 ? static_cast<int>(abi) : 0;
}

LandlockRuleset build_landlock_ruleset(const LandlockPolicy& policy) {
    LandlockRuleset out;
    out.abi = landlock_abi();
    if (out.abi == 0) {
        out.missing = "Landlock is not available on this kernel (guests are not sandboxed)";
        return out;
    }
    const std::uint64_t handled_fs = fs_rights_for(out.abi);
    RulesetAttr attr{handled_fs, 0, 0};
    std::string missing;
    if (out.abi >= 4) {
        attr.handled_access_net = policy.allow_tcp ? 0 : (net_bind_tcp | net_connect_tcp);
    } else if (!policy.allow_tcp) {
        missing += "TCP is not restricted (Landlock ABI < 4); ";
    }
    if (out.abi >= 6) {
        attr.scoped = scope_abstract_unix_socket | scope_signal;
    } else {
        missing += "signals and abstract sockets are not scoped (Landlock ABI < 6); ";
    }
    // Older kernels take a shorter struct; the fields they do not know are zero.
    const std::size_t attr_size = out.abi >= 6   ? sizeof attr
                                  : out.abi >= 4 ? 2 * sizeof(std::uint64_t)
                                                 : sizeof(std::uint64_t);
    out.fd.reset(static_cast<int>(::syscall(sys_create_ruleset, &attr, attr_size, 0)));
    if (!out.fd) {
        out.missing = std::string("unable to create a Landlock ruleset: ") + std::strerror(errno);
        return out;
    }
    // Above the descriptors a guest child moves into place (0-5), close-on-exec.
    out.fd.reset(::fcntl(out.fd.get(), F_DUPFD_CLOEXEC, 10));
    if (!out.fd) {
        out.missing =
            std::string("unable to duplicate the Landlock ruleset: ") + std::strerror(errno);
        return out;
    }
    for (const PathRule& rule : policy.paths) {
        ipc::UniqueFd path(::open(rule.path.c_str(), O_PATH | O_CLOEXEC));
        struct stat st {};
        if (!path || ::fstat(path.get(), &st) != 0) {
            out.skipped.push_back(rule.path);
            continue;
        }
        std::uint64_t allowed = rights_of(rule.access) & handled_fs;
        if (!S_ISDIR(st.st_mode)) {
            allowed &= ~directory_only_rights;
        }
        PathBeneathAttr beneath{allowed, path.get()};
        if (::syscall(sys_add_rule, out.fd.get(), rule_path_beneath, &beneath, 0) != 0) {
            out.fd.reset();
            out.missing =
                "unable to add a Landlock rule for " + rule.path + ": " + std::strerror(errno);
            return out;
        }
    }
    if (!missing.empty()) {
        missing.resize(missing.size() - 2);
    }
    out.missing = missing;
    return out;
}

bool landlock_restrict_self(int ruleset_fd) noexcept {
    return ::syscall(sys_restrict_self, ruleset_fd, 0) == 0;
}

} // namespace cpd::daemon
