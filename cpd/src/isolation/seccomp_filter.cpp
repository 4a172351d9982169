// SPDX-License-Identifier: MIT
// The program: check the architecture (a foreign ABI, such as i386 calls on
// x86-64, is killed: its numbers mean other calls), refuse the x32 range,
// answer EPERM for the denied calls, ENOSYS for clone3 (its flags sit behind
// a pointer the filter cannot read, so callers fall back to clone, whose
// namespace flags it can), refuse anonymous shared mmap, and allow socket()
// only for the domains OPTION NETWORK grants. Without it the one socket a
// guest may hold is its doorbell pair end: send and recv on it, nothing else
// (no bind to claim an abstract name such as cpd's sweep lock, no sendmsg
// to pass descriptors into cpd, no setsockopt to grow its buffer).
#include "isolation/seccomp_filter.hpp"

#include <cerrno>
#include <cstddef>
#include <cstdint>

#include <linux/audit.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>

namespace cpd::daemon {
namespace {

#if defined(__x86_64__)
constexpr std::uint32_t native_arch = AUDIT_ARCH_X86_64;
constexpr std::uint32_t x32_syscall_bit = 0x40000000;
#elif defined(__aarch64__)
constexpr std::uint32_t native_arch = AUDIT_ARCH_AARCH64;
constexpr std::uint32_t x32_syscall_bit = 0;
#else
constexpr std::uint32_t native_arch = 0;
constexpr std::uint32_t x32_syscall_bit = 0;
#endif

constexpr std::uint32_t offset_nr = offsetof(seccomp_data, nr);
constexpr std::uint32_t offset_arch = offsetof(seccomp_data, arch);
// The low 32 bits of the first and fourth arguments (little-endian on both
// architectures).
constexpr std::uint32_t offset_arg0 = offsetof(seccomp_data, args);
constexpr std::uint32_t offset_arg3 = offsetof(seccomp_data, args) + 3 * sizeof(std::uint64_t);

/// The calls no guest needs and each of which has been a way into the kernel
/// or into another process.
constexpr long denied_calls[] = {
    SYS_ptrace,
    SYS_process_vm_readv,
    SYS_process_vm_writev,
    SYS_kcmp,
    SYS_perf_event_open,
    SYS_bpf,
    SYS_userfaultfd,
    SYS_keyctl,
    SYS_add_key,
    SYS_request_key,
    SYS_unshare,
    SYS_setns,
    SYS_mount,
    SYS_umount2,
    SYS_pivot_root,
    SYS_chroot,
    SYS_io_uring_setup,
    SYS_io_uring_enter,
    SYS_io_uring_register,
    SYS_pidfd_getfd,
    SYS_open_tree,
    SYS_move_mount,
    SYS_fsopen,
    SYS_fsconfig,
    SYS_fsmount,
    SYS_fspick,
    // Memory outside RLIMIT_DATA that may outlive the guest (SysV objects
    // persist, POSIX queues too) and channels between guests that bypass CP.
    SYS_shmget,
    SYS_shmat,
    SYS_shmdt,
    SYS_shmctl,
    SYS_msgget,
    SYS_msgsnd,
    SYS_msgrcv,
    SYS_msgctl,
    SYS_semget,
    SYS_semop,
    SYS_semtimedop,
    SYS_semctl,
    SYS_mq_open,
    SYS_mq_unlink,
    SYS_mq_timedsend,
    SYS_mq_timedreceive,
    SYS_mq_notify,
    SYS_mq_getsetattr,
    SYS_memfd_create,
    SYS_memfd_secret,
    // A pair of Unix sockets can still sendto() or connect() any pathname
    // socket (journald's, other services'): guests have no Unix sockets.
    SYS_socketpair,
};

/// clone() flags that would make a new namespace.
constexpr std::uint32_t namespace_flags = CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC |
                                          CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET |
                                          CLONE_NEWCGROUP;

sock_filter stmt(std::uint16_t code, std::uint32_t k) {
    return BPF_STMT(code, k);
}
sock_filter jump(std::uint16_t code, std::uint32_t k, std::uint8_t jt, std::uint8_t jf) {
    return BPF_JUMP(code, k, jt, jf);
}

constexpr std::uint32_t ret_allow = SECCOMP_RET_ALLOW;
constexpr std::uint32_t ret_eperm = SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA);
constexpr std::uint32_t ret_enosys = SECCOMP_RET_ERRNO | (ENOSYS & SECCOMP_RET_DATA);

/// Appends "if nr == call, return `ret`".
void deny(std::vector<sock_filter>& p, long call, std::uint32_t ret) {
    p.push_back(jump(BPF_JMP | BPF_JEQ | BPF_K, static_cast<std::uint32_t>(call), 0, 1));
    p.push_back(stmt(BPF_RET | BPF_K, ret));
}

} // namespace

SeccompFilter build_guest_seccomp_filter(bool allow_network) {
    SeccompFilter f;
    if (native_arch == 0) {
        f.missing = "no seccomp filter for this architecture";
        return f;
    }
    auto& p = f.program;
    p.push_back(stmt(BPF_LD | BPF_W | BPF_ABS, offset_arch));
    p.push_back(jump(BPF_JMP | BPF_JEQ | BPF_K, native_arch, 1, 0));
    p.push_back(stmt(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS));
    p.push_back(stmt(BPF_LD | BPF_W | BPF_ABS, offset_nr));
    if (x32_syscall_bit != 0) {
        p.push_back(jump(BPF_JMP | BPF_JGE | BPF_K, x32_syscall_bit, 0, 1));
        p.push_back(stmt(BPF_RET | BPF_K, ret_eperm));
    }
    for (long call : denied_calls) {
        deny(p, call, ret_eperm);
    }
    if (!allow_network) {
        for (long call : {SYS_bind, SYS_listen, SYS_connect, SYS_accept, SYS_accept4, SYS_sendmsg,
                          SYS_sendmmsg, SYS_setsockopt}) {
            deny(p, call, ret_eperm);
        }
    }
    deny(p, SYS_clone3, ret_enosys);
    // clone: refuse namespace flags (x86-64 and arm64 both pass flags first).
    p.push_back(jump(BPF_JMP | BPF_JEQ | BPF_K, SYS_clone, 0, 4));
    p.push_back(stmt(BPF_LD | BPF_W | BPF_ABS, offset_arg0));
    p.push_back(jump(BPF_JMP | BPF_JSET | BPF_K, namespace_flags, 0, 1));
    p.push_back(stmt(BPF_RET | BPF_K, ret_eperm));
    p.push_back(stmt(BPF_RET | BPF_K, ret_allow));
    // mmap: no anonymous shared memory (RLIMIT_DATA counts private memory only).
    p.push_back(jump(BPF_JMP | BPF_JEQ | BPF_K, SYS_mmap, 0, 5));
    p.push_back(stmt(BPF_LD | BPF_W | BPF_ABS, offset_arg3));
    // MAP_SHARED and MAP_SHARED_VALIDATE both set bit 0; MAP_PRIVATE does not.
    p.push_back(stmt(BPF_ALU | BPF_AND | BPF_K, MAP_SHARED | MAP_ANONYMOUS));
    p.push_back(jump(BPF_JMP | BPF_JEQ | BPF_K, MAP_SHARED | MAP_ANONYMOUS, 0, 1));
    p.push_back(stmt(BPF_RET | BPF_K, ret_eperm));
    p.push_back(stmt(BPF_RET | BPF_K, ret_allow));
    // socket: an allow-list of domains, empty without OPTION NETWORK.
    p.push_back(jump(BPF_JMP | BPF_JEQ | BPF_K, SYS_socket, 1, 0));
    p.push_back(stmt(BPF_RET | BPF_K, ret_allow));
    if (allow_network) {
        p.push_back(stmt(BPF_LD | BPF_W | BPF_ABS, offset_arg0));
        for (std::uint32_t domain : {AF_INET, AF_INET6, AF_NETLINK}) {
            p.push_back(jump(BPF_JMP | BPF_JEQ | BPF_K, domain, 0, 1));
            p.push_back(stmt(BPF_RET | BPF_K, ret_allow));
        }
    }
    p.push_back(stmt(BPF_RET | BPF_K, ret_eperm));
    return f;
}

bool install_seccomp_filter(const SeccompFilter& filter) noexcept {
    if (filter.program.empty()) {
        return true;
    }
    sock_fprog prog{static_cast<unsigned short>(filter.program.size()),
                    const_cast<sock_filter*>(filter.program.data())};
    return ::prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) == 0;
}

} // namespace cpd::daemon
