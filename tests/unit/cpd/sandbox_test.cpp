// SPDX-License-Identifier: MIT
// The pieces of a guest's sandbox, each applied in a forked child of the
// test (Landlock and seccomp can only narrow, and never for the test itself):
// the seccomp filter refuses what it names and allows the rest; a Landlock
// ruleset lets the child read where a rule says and nowhere else, and scopes
// its signals; capabilities are cleared; guest output lines are tagged,
// escaped and bounded.
#include "spawner/guest_output_lines.hpp"
#include "isolation/capabilities.hpp"
#include "isolation/guest_cgroups.hpp"
#include "isolation/landlock.hpp"
#include "isolation/seccomp_filter.hpp"

#include "descriptor_passing.hpp"

#include <doctest/doctest.h>

#include <cerrno>
#include <csignal>
#include <cstddef>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/shm.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace cpd::daemon;

namespace {

/// Runs `body` in a forked child; returns its exit status (or 100 + signal).
int in_child(const std::function<int()>& body) {
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::_exit(body());
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 100 + WTERMSIG(status);
}

constexpr int skipped = 77;

} // namespace

TEST_SUITE("cpd.sandbox") {

    TEST_CASE("the seccomp filter refuses sockets, ptrace, namespaces, IPC and shared memory") {
        const int status = in_child([] {
            const SeccompFilter f = build_guest_seccomp_filter(false);
            if (f.program.empty() || ::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
                !install_seccomp_filter(f)) {
                return skipped;
            }
            if (::socket(AF_UNIX, SOCK_STREAM, 0) >= 0 || errno != EPERM)
                return 1;
            if (::socket(AF_INET, SOCK_STREAM, 0) >= 0 || errno != EPERM)
                return 2;
            if (::ptrace(PTRACE_TRACEME, 0, nullptr, nullptr) == 0 || errno != EPERM)
                return 3;
            if (::unshare(CLONE_NEWUSER) == 0 || errno != EPERM)
                return 4;
            if (::syscall(SYS_clone3, nullptr, 0) == 0 || errno != ENOSYS)
                return 5;
            int sv[2];
            if (::socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) == 0 || errno != EPERM)
                return 6; // it could sendto() any pathname socket
            if (::socket(AF_NETLINK, SOCK_RAW, 0) >= 0 || ::socket(AF_VSOCK, SOCK_STREAM, 0) >= 0)
                return 9; // an allow-list: every other domain too
            if (::shmget(IPC_PRIVATE, 1 << 20, IPC_CREAT | 0600) >= 0 || errno != EPERM)
                return 10; // SysV memory outlives the guest
            if (::syscall(SYS_memfd_create, "x", 0) >= 0 || errno != EPERM)
                return 11;
            if (::mmap(nullptr, 1 << 20, PROT_READ, MAP_SHARED | MAP_ANONYMOUS, -1, 0) !=
                    MAP_FAILED ||
                errno != EPERM)
                return 12;
            void* priv = ::mmap(nullptr, 1 << 20, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            if (priv == MAP_FAILED)
                return 13; // private memory (counted by RLIMIT_DATA) stays allowed
            if (::getpid() <= 0 || ::open("/dev/null", O_RDONLY) < 0)
                return 7;
            const pid_t child = ::fork(); // plain fork (clone without namespace flags) works
            if (child == 0)
                ::_exit(0);
            return child > 0 ? 0 : 8;
        });
        if (status == skipped) {
            MESSAGE("seccomp unavailable here; not tested");
            return;
        }
        CHECK(status == 0);
    }

    TEST_CASE("without OPTION NETWORK a doorbell pair end sends and receives, and does nothing else") {
        int pair[2];
        REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) == 0);
        const int status = in_child([&] {
            const SeccompFilter f = build_guest_seccomp_filter(false);
            if (f.program.empty() || ::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
                !install_seccomp_filter(f)) {
                return skipped;
            }
            const int end = pair[1];
            char byte = 1;
            if (::send(end, &byte, 1, MSG_NOSIGNAL) != 1 || ::recv(pair[0], &byte, 1, 0) != 1)
                return 1; // the bell rings
            sockaddr_un name{};
            name.sun_family = AF_UNIX;
            std::memcpy(name.sun_path + 1, "cpd-sweep-1", 11); // an abstract name to squat
            const auto len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 12);
            if (::bind(end, reinterpret_cast<const sockaddr*>(&name), len) == 0 || errno != EPERM)
                return 2;
            if (::listen(end, 1) == 0 || errno != EPERM)
                return 3;
            // Passing a descriptor into cpd (which would close it on its thread).
            if (cpd::test::send_descriptor(end, end) >= 0 || errno != EPERM)
                return 4;
            const int big = 1 << 20;
            if (::setsockopt(end, SOL_SOCKET, SO_SNDBUF, &big, sizeof big) == 0 || errno != EPERM)
                return 5;
            return 0;
        });
        ::close(pair[0]);
        ::close(pair[1]);
        if (status == skipped) {
            MESSAGE("seccomp unavailable here; not tested");
            return;
        }
        CHECK(status == 0);
    }

    TEST_CASE("with OPTION NETWORK, IP sockets are allowed and Unix sockets still refused") {
        const int status = in_child([] {
            const SeccompFilter f = build_guest_seccomp_filter(true);
            if (f.program.empty() || ::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
                !install_seccomp_filter(f)) {
                return skipped;
            }
            if (::socket(AF_INET, SOCK_STREAM, 0) < 0)
                return 1;
            if (::socket(AF_INET6, SOCK_DGRAM, 0) < 0)
                return 3;
            return ::socket(AF_UNIX, SOCK_STREAM, 0) < 0 && errno == EPERM ? 0 : 2;
        });
        if (status != skipped) {
            CHECK(status == 0);
        }
    }

    TEST_CASE("a Landlock ruleset allows its rules' paths and nothing else") {
        if (landlock_abi() == 0) {
            MESSAGE("Landlock unavailable here; not tested");
            return;
        }
        LandlockRuleset r = build_landlock_ruleset({{{"/usr", PathAccess::execute},
                                                     {"/dev/null", PathAccess::device},
                                                     {"/no/such/path", PathAccess::read}},
                                                    false});
        REQUIRE(r.fd);
        CHECK(r.skipped == std::vector<std::string>{"/no/such/path"});
        const int status = in_child([&] {
            if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
                !landlock_restrict_self(r.fd.get())) {
                return 1;
            }
            if (::open("/usr/bin/env", O_RDONLY) < 0)
                return 2;
            if (::open("/etc/passwd", O_RDONLY) >= 0 || errno != EACCES)
                return 3;
            if (::open("/usr/bin/env", O_WRONLY) >= 0)
                return 4;
            if (::open("/dev/null", O_WRONLY) < 0)
                return 5;
            if (::open("/tmp/cpd-landlock-test", O_WRONLY | O_CREAT, 0600) >= 0)
                return 6;
            // Signals leave the domain only where the ABI scopes them (6+).
            if (landlock_abi() >= 6 && (::kill(::getppid(), 0) == 0 || errno != EPERM))
                return 7;
            return 0;
        });
        CHECK(status == 0);
    }

    TEST_CASE("clear_all_capabilities leaves no capability in any set") {
        const int status = in_child([] {
            if (!clear_all_capabilities())
                return 1;
            CapabilitySets sets;
            if (!read_capabilities(sets))
                return 2;
            return sets.effective == 0 && sets.permitted == 0 && sets.inheritable == 0 ? 0 : 3;
        });
        CHECK(status == 0);
    }

    TEST_CASE("guest output: tagged, control characters escaped, long lines cut") {
        GuestOutputLines lines(*cpd::proto::Userid::parse("HOSTILE"), OutputBudget{10, 10, 16});
        std::vector<std::string> logged;
        const auto now = std::chrono::steady_clock::now();
        lines.feed("cpd: forged\n\x1b]0;x\x07\rtail\npart", now,
                   [&](const std::string& l) { logged.push_back(l); });
        lines.feed("ial\n" + std::string(40, 'y') + "\n", now,
                   [&](const std::string& l) { logged.push_back(l); });
        GuestOutputLines wide(*cpd::proto::Userid::parse("HOSTILE"), OutputBudget{10, 10, 100});
        wide.feed("caf\xc3\xa9 \xc2\x9b"
                  "2J \x9b"
                  "2J \xe6\x97\xa5 \xc3\n",
                  now, [&](const std::string& l) { logged.push_back(l); });
        REQUIRE(logged.size() == 7);
        // UTF-8 text stays; a C1 control, a raw 0x9b and a cut sequence do not.
        CHECK(logged[6] == "guest HOSTILE: caf\xc3\xa9 \\xc2\\x9b2J \\x9b2J \xe6\x97\xa5 \\xc3");
        CHECK(logged[0] == "guest HOSTILE: cpd: forged");
        CHECK(logged[1] == "guest HOSTILE: \\x1b]0;x\\x07\\x0dtail");
        CHECK(logged[2] == "guest HOSTILE: partial");
        // 40 bytes with room for 16: pieces of 16 (each spends the budget), then 8.
        CHECK(logged[3] == "guest HOSTILE: " + std::string(16, 'y') + "...");
        CHECK(logged[4] == "guest HOSTILE: " + std::string(16, 'y') + "...");
        CHECK(logged[5] == "guest HOSTILE: " + std::string(8, 'y'));
    }

    TEST_CASE("guest output: past the burst lines are dropped and counted, then said") {
        GuestOutputLines lines(*cpd::proto::Userid::parse("CHATTY"), OutputBudget{10, 5, 100});
        std::vector<std::string> logged;
        auto emit = [&](const std::string& l) { logged.push_back(l); };
        auto t = std::chrono::steady_clock::now();
        for (int i = 0; i < 20; ++i) {
            lines.feed("line\n", t, emit);
        }
        CHECK(logged.size() == 5);
        CHECK(lines.dropped() == 15);
        lines.feed("later\n", t + std::chrono::seconds(1), emit); // ten tokens back
        REQUIRE(logged.size() == 7);
        CHECK(logged[5] == "guest CHATTY: (15 lines dropped: over the guest's log budget)");
        CHECK(logged[6] == "guest CHATTY: later");
    }

    TEST_CASE("SHARE RELATIVE maps onto cgroup CPU weights, 100 being the default") {
        CHECK(cpu_weight_for_share(0, true) == 100);
        CHECK(cpu_weight_for_share(100, true) == 100);
        CHECK(cpu_weight_for_share(250, true) == 250);
        CHECK(cpu_weight_for_share(10000, true) == 10000);
        CHECK(cpu_weight_for_share(20000, true) == 10000); // v2's range ends at 10000
        CHECK(cpu_weight_for_share(0, false) == 1024);       // v1's default shares
        CHECK(cpu_weight_for_share(200, false) == 2048);
        CHECK(cpu_weight_for_share(1, false) == 10);
    }

} // TEST_SUITE
