// SPDX-License-Identifier: MIT
// HOSTILE: a guest for the isolation tests that tries, on command, what a
// malicious virtual machine would: reach other processes through /proc,
// ptrace and signals, read and write files it was not given, hard-link them
// elsewhere, connect to cpd's socket, network, use shared memory outside its
// storage, fork a child that outlives it or that signals every process it
// may, forge log lines and eat memory past its storage (alone or with a child). Commands come as SMSGs ("<attack>
// [operands]"); "cp <command>" issues a CP command (LINK, DETACH, ...); each result is appended to
// the file named by PARM as "<attack>: ok" or
// "<attack>: <errno text>", so the test sees what the kernel answered.
#include "cpd/guest/run.hpp"
#include "cpd/proto/guest_launch.hpp"
#include "descriptor_passing.hpp"

#include <cerrno>
#include <chrono>
#include <cstddef>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <vector>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

namespace {

using namespace cpd::guest;

/// "ok" or the errno text of a call that returned `failed`.
std::string outcome(bool failed) {
    return failed ? std::strerror(errno) : "ok";
}

std::string try_open(const std::string& path, int flags) {
    const int fd = ::open(path.c_str(), flags | O_CLOEXEC, 0644);
    if (fd < 0) {
        return outcome(true);
    }
    std::string r = "ok";
    char byte = 'x';
    if ((flags & O_ACCMODE) != O_RDONLY && ::write(fd, &byte, 1) != 1) {
        r = std::strerror(errno);
    }
    ::close(fd);
    return r;
}

std::string try_connect_unix(const std::string& path) {
    const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd < 0) {
        return outcome(true);
    }
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path.c_str());
    if (path.front() == '@') {
        addr.sun_path[0] = '\0'; // abstract
    }
    const socklen_t len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + path.size());
    const std::string r = outcome(::connect(fd, reinterpret_cast<sockaddr*>(&addr), len) != 0);
    ::close(fd);
    return r;
}

std::string try_tcp(int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) {
        return outcome(true);
    }
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const std::string r =
        outcome(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0);
    ::close(fd);
    return r;
}

std::string try_vm_read(pid_t pid) {
    char local[16];
    iovec mine{local, sizeof local};
    iovec theirs{reinterpret_cast<void*>(0x400000), sizeof local};
    return outcome(::process_vm_readv(pid, &mine, 1, &theirs, 1, 0) < 0);
}

/// Forks a child that leaves the session and sleeps; its pid goes to the log.
std::string fork_lingering_child() {
    const pid_t child = ::fork();
    if (child == 0) {
        ::setsid();
        for (;;) {
            ::pause();
        }
    }
    return child < 0 ? outcome(true) : "ok pid " + std::to_string(child);
}

/// Forks a child that leaves the session and keeps signalling every process
/// it may: what would stop or kill a sweeper running under its uid.
std::string fork_signaller() {
    const pid_t child = ::fork();
    if (child == 0) {
        ::setsid();
        ::usleep(200000); // its parent records the pid first
        for (;;) {
            ::kill(-1, SIGSTOP);
            ::kill(-1, SIGKILL);
        }
    }
    return child < 0 ? outcome(true) : "ok pid " + std::to_string(child);
}

/// Tries memory and channels that would bypass RLIMIT_DATA or CP.
std::string try_shared_memory(const std::string& kind) {
    if (kind == "sysv") {
        return outcome(::shmget(IPC_PRIVATE, 256 << 20, IPC_CREAT | 0666) < 0);
    }
    if (kind == "memfd") {
        return outcome(::syscall(SYS_memfd_create, "hostile", 0) < 0);
    }
    if (kind == "socketpair") {
        int sv[2];
        return outcome(::socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) != 0);
    }
    void* p = ::mmap(nullptr, 256 << 20, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    return outcome(p == MAP_FAILED);
}

/// Allocates and touches `mib` MiB, one MiB at a time.
/// Forks a child that holds `mib` MiB of touched memory, each process within
/// its own RLIMIT_DATA, and answers once it does: storage the guest's
/// processes use together, which only a memory cgroup bounds.
std::string fork_hoarder(long mib) {
    int ready[2];
    if (::pipe(ready) != 0) {
        return outcome(true);
    }
    const pid_t child = ::fork();
    if (child == 0) {
        ::close(ready[0]);
        const std::size_t size = static_cast<std::size_t>(mib) << 20;
        void* block = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (block != MAP_FAILED) {
            std::memset(block, 1, size);
            [[maybe_unused]] const ssize_t n = ::write(ready[1], "x", 1);
        }
        for (;;) {
            ::pause();
        }
    }
    ::close(ready[1]);
    char byte = 0;
    const bool held = child > 0 && ::read(ready[0], &byte, 1) == 1;
    ::close(ready[0]);
    return held ? "ok pid " + std::to_string(child) : "child could not hold the memory";
}

std::string eat_memory(long mib) {
    std::vector<char*> blocks;
    for (long i = 0; i < mib; ++i) {
        char* block = new char[1 << 20]; // throws std::bad_alloc past the storage
        std::memset(block, 1, 1 << 20);
        blocks.push_back(block);
    }
    return "ok, storage not enforced";
}

/// Attacks through the guest's own doorbell descriptors (fds 4 and 5): with
/// one-descriptor bells they are a Unix socket pair end.
std::string try_bell(const std::string& how) {
    const int bell = cpd::proto::guest_inbound_bell_fd;
    if (how == "bind") { // squat an abstract name, such as cpd's sweep lock
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        const std::string name = "cpd-sweep-hostile";
        std::memcpy(addr.sun_path + 1, name.data(), name.size());
        const auto len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + name.size());
        return outcome(::bind(bell, reinterpret_cast<const sockaddr*>(&addr), len) != 0);
    }
    if (how == "pass") { // hand cpd a descriptor to close on its thread
        return outcome(cpd::test::send_descriptor(cpd::proto::guest_outbound_bell_fd,
                                                  STDIN_FILENO) < 0);
    }
    if (how == "grow") { // a big buffer to pin kernel memory on cpd's end
        const int big = 1 << 20;
        return outcome(::setsockopt(bell, SOL_SOCKET, SO_SNDBUF, &big, sizeof big) != 0);
    }
    if (how == "shut") { // cpd's end reads end-of-stream for good
        return outcome(::shutdown(bell, SHUT_RDWR) != 0);
    }
    errno = EINVAL;
    return outcome(true);
}

class HostileGuest final : public Handler {
  public:
    void on_ipl(Context& ctx) override {
        log_ = std::fopen(std::string(ctx.parm()).c_str(), "a");
        record("IPL pid " + std::to_string(::getpid()) + " uid " + std::to_string(::getuid()) +
               " dumpable " + std::to_string(::prctl(PR_GET_DUMPABLE)));
    }
    void on_cp_response(Context&, std::uint32_t tag, cpd::proto::CpRc rc,
                        std::string_view text) override {
        if (tag == spam_tag) { // counted, not recorded one by one
            if (++spam_answered == spam_sent) {
                record("cpspam: answered " + std::to_string(spam_answered));
            }
            return;
        }
        std::string flat(text);
        for (char& c : flat) {
            c = c == '\n' ? '|' : c;
        }
        record("CPRESP " + std::to_string(static_cast<int>(rc)) + " " + flat);
    }
    void on_smsg(Context& ctx, const Userid&, std::string_view text) override {
        const std::string line(text);
        const auto blank = line.find(' ');
        const std::string attack = line.substr(0, blank);
        const std::string arg = blank == std::string::npos ? "" : line.substr(blank + 1);
        const pid_t pid = static_cast<pid_t>(std::atol(arg.c_str()));
        std::string r;
        if (attack == "procfd") {
            r = try_open("/proc/" + arg, O_RDWR); // arg: "<pid>/fd/<n>"
        } else if (attack == "procmem") {
            r = try_open("/proc/" + arg + "/mem", O_RDWR);
        } else if (attack == "environ") {
            r = try_open("/proc/" + arg + "/environ", O_RDONLY);
        } else if (attack == "kill") {
            r = outcome(::kill(pid, SIGKILL) != 0);
        } else if (attack == "killparent") {
            r = outcome(::kill(::getppid(), SIGKILL) != 0);
        } else if (attack == "ptrace") {
            r = outcome(::ptrace(PTRACE_ATTACH, pid, nullptr, nullptr) != 0);
        } else if (attack == "vmread") {
            r = try_vm_read(pid);
        } else if (attack == "read") {
            r = try_open(arg, O_RDONLY);
        } else if (attack == "write") {
            r = try_open(arg, O_WRONLY | O_CREAT | O_APPEND);
        } else if (attack == "connect") {
            r = try_connect_unix(arg);
        } else if (attack == "tcp") {
            r = try_tcp(std::atoi(arg.c_str()));
        } else if (attack == "fork") {
            r = fork_lingering_child();
        } else if (attack == "signaller") {
            r = fork_signaller();
        } else if (attack == "shared") {
            r = try_shared_memory(arg); // sysv, memfd, socketpair or mmap
        } else if (attack == "bell") {
            r = try_bell(arg); // bind, pass, grow or shut
        } else if (attack == "hardlink") {
            const auto space = arg.find(' ');
            r = outcome(::link(arg.substr(0, space).c_str(), arg.substr(space + 1).c_str()) != 0);
        } else if (attack == "forge") {
            // A line dressed as cpd's own, an escape sequence and a CR trick.
            std::fprintf(stderr, "cpd: supervisor: MAINT: logged on by %s\n", arg.c_str());
            std::fprintf(stderr, "\x1b]0;owned\x07\x1b[2Jcleared\rcpd: forged\n");
            std::fflush(stderr);
            r = "ok";
        } else if (attack == "flood") {
            for (int i = 0; i < 5000; ++i) { // blocks once cpd stops reading: ~80 KB
                std::fprintf(stderr, "flood line %d\n", i);
            }
            std::fflush(stderr);
            r = "ok";
        } else if (attack == "cp") {
            ctx.cp_command(1, arg); // answered in on_cp_response
            return;
        } else if (attack == "cpspam") { // CP commands as fast as its ring takes them
            spam_sent = 0;
            spam_answered = 0;
            for (long i = 0; i < std::atol(arg.c_str()); ++i) {
                spam_sent += ctx.cp_command(spam_tag, "QUERY NAMES") == SendStatus::ok ? 1 : 0;
            }
            r = "sent " + std::to_string(spam_sent);
        } else if (attack == "bellspam") { // rings cpd with nothing on its ring, for arg ms
            const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(pid);
            long rings = 0;
            for (const std::uint64_t one = 1; std::chrono::steady_clock::now() < until; ++rings) {
                if (::write(cpd::proto::guest_outbound_bell_fd, &one, sizeof one) != sizeof one) {
                    break;
                }
            }
            r = "rang " + std::to_string(rings);
        } else if (attack == "hoard") {
            r = fork_hoarder(std::atol(arg.c_str()));
        } else if (attack == "alloc") {
            r = eat_memory(std::atol(arg.c_str())); // throws past the storage
        } else {
            r = "unknown attack";
        }
        record(attack + ": " + r);
    }
    void on_logoff(Context&) override { record("LOGOFF"); }

  private:
    void record(const std::string& line) {
        if (log_ != nullptr) {
            std::fprintf(log_, "%s\n", line.c_str());
            std::fflush(log_);
        }
    }
    std::FILE* log_ = nullptr;
    static constexpr std::uint32_t spam_tag = 2;
    long spam_sent = 0;
    long spam_answered = 0;
};

} // namespace

int main() {
    return cpd::guest::run_guest<HostileGuest>();
}
