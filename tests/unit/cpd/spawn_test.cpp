// SPDX-License-Identifier: MIT
// Starting guests when the system gets in the way, each in a forked test
// process: with close_range refused by a seccomp filter no descriptor of cpd's
// reaches the guest, and a logon short of descriptors fails with HCPLGA071E
// and leaves no process behind (never an exception out of the event loop); a
// child that fails before exec exits with a status the log words by its step.
#include "guests/spawn.hpp"
#include "guests/supervisor.hpp"

#include <doctest/doctest.h>

#include <cerrno>
#include <cstddef>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace cpd::daemon;

namespace {

constexpr int skipped = 77;

/// A private directory holding a shell script guest; removed at the end.
struct ScriptDir {
    std::string path;
    explicit ScriptDir(const std::string& script) {
        char tmpl[] = "/tmp/cpd-spawn-XXXXXX";
        REQUIRE(::mkdtemp(tmpl) != nullptr);
        path = tmpl;
        std::ofstream(path + "/guest") << script;
        std::filesystem::permissions(path + "/guest", std::filesystem::perms::owner_all);
    }
    ~ScriptDir() { std::filesystem::remove_all(path); }
    std::string program() const { return path + "/guest"; }
};

/// Runs `body` in a forked process and returns its exit status (-1 if it died).
template <class Body> int in_child(Body body) {
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        ::_exit(body());
    }
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/// Makes system call `nr` fail with `error` in this process and its children;
/// false if seccomp is not available here.
bool refuse_syscall(unsigned nr, unsigned error) {
    sock_filter filter[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, nr, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | error),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    sock_fprog program{static_cast<unsigned short>(sizeof filter / sizeof filter[0]), filter};
    return ::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 &&
           ::prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &program) == 0;
}

/// Makes close_range fail with ENOSYS in this process and its children, as on
/// kernels before 5.9; false if seccomp is not available here.
bool refuse_close_range() {
    return refuse_syscall(SYS_close_range, ENOSYS) &&
           ::syscall(SYS_close_range, 1000, 1000, 0) != 0 && errno == ENOSYS;
}

/// A spawn request for `program` as userid PROBE, in `sandbox` if given.
SpawnRequest probe_request(const std::string& program, const SandboxPlan* sandbox) {
    return SpawnRequest{*cpd::proto::Userid::parse("PROBE"),     program, "", "info",
                        cpd::ipc::SegmentGeometry{65536, 65536}, sandbox, ""};
}

/// Spawns `program` as PROBE and returns the child's wait status, or -1 if no
/// process was started.
int spawn_and_wait(const std::string& program, const SandboxPlan* sandbox) {
    SpawnResult r = spawn_guest(probe_request(program, sandbox));
    int status = -1;
    if (r.guest && ::waitpid(r.guest->pid, &status, 0) != r.guest->pid) {
        status = -1;
    }
    return status;
}

/// Waits (poll, as only a test may) for the child's report and reads it.
ExecReport wait_exec_report(const Spawned& s, const std::string& program) {
    pollfd p{s.exec_report.get(), POLLIN, 0};
    ::poll(&p, 1, 5000);
    return read_exec_report(s.exec_report.get(), program);
}

/// Descriptors open in this process.
int open_descriptors() {
    int n = 0;
    for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator("/proc/self/fd")) {
        ++n;
    }
    return n - 1; // the iterator's own
}

/// Logs G0, G1, ... on under soft descriptor limits from `base` up; 0 when
/// every attempt either worked or failed with HCPLGA071E and no process.
/// True when process `pid` has no children (the kernel's list of them is empty).
bool has_no_children(pid_t pid) {
    std::ifstream children("/proc/" + std::to_string(pid) + "/task/" + std::to_string(pid) +
                           "/children");
    std::string first;
    return children && !(children >> first);
}

int logon_under_low_limits(const std::string& program) {
    boost::asio::io_context io;
    boost::asio::posix::stream_descriptor warm_up(io); // the reactor exists before limits drop
    Options options;
    options.ring_kib = 64;
    Directory directory;
    for (int i = 0; i < 24; ++i) {
        const std::string id = std::string("G").append(std::to_string(i));
        DirectoryEntry e = DirectoryEntry::make(*cpd::proto::Userid::parse(id));
        e.ipl_program = program;
        directory.add(e);
    }
    rlimit original{};
    ::getrlimit(RLIMIT_NOFILE, &original);
    const int base = open_descriptors();
    int worked = 0, refused = 0;
    for (int i = 0; i < 24; ++i) {
        const auto id = *cpd::proto::Userid::parse("G" + std::to_string(i));
        GuestIsolation isolation; // not started: guests as this process's uid
        MinidiskLinks links(
            "", [](const cpd::proto::Userid&) { return std::optional<uid_t>(); }, false);
        Supervisor supervisor(
            io, options, isolation, links,
            Supervisor::Hooks{[](const std::shared_ptr<Guest>&) {},
                              [](Guest&, cpd::proto::CloseReason, const std::string&) {}, [] {},
                              [](Guest&) {}});
        rlimit low = original;
        low.rlim_cur = static_cast<rlim_t>(base + i);
        ::setrlimit(RLIMIT_NOFILE, &low);
        CpOutcome r;
        try {
            r = supervisor.logon(id, directory, "TEST");
        } catch (...) {
            return 10; // an exception would have ended cpd
        }
        ::setrlimit(RLIMIT_NOFILE, &original);
        if (r.rc == cpd::proto::CpRc::ok) {
            ++worked;
            for (int n = 0; n < 300 && supervisor.find(id); ++n) {
                io.restart();
                io.run_for(std::chrono::milliseconds(10));
                supervisor.reap_children();
            }
            io.restart();
            io.poll(); // lets the cancelled exit watch release the guest
        } else if (r.rc == cpd::proto::CpRc::logon_failed && r.text.rfind("HCPLGA071E", 0) == 0) {
            ++refused;
            if (!has_no_children(supervisor.helper_pid())) {
                return 11; // the spawn helper started a process for a failed logon
            }
        } else {
            return 12;
        }
    }
    return worked > 0 && refused > 0 ? 0 : 13;
}

} // namespace

TEST_SUITE("cpd.spawn") {

    TEST_CASE("without close_range a guest still inherits none of cpd's descriptors") {
        ScriptDir dir("#!/bin/sh\nif [ -e /proc/$$/fd/50 ]; then exit 3; fi\nexit 0\n");
        const int status = in_child([&] {
            if (!refuse_close_range()) {
                return skipped;
            }
            // An inheritable descriptor, as asio's accept() used to make.
            const int leak = ::socket(AF_UNIX, SOCK_STREAM, 0);
            if (leak < 0 || ::dup2(leak, 50) != 50) {
                return 20;
            }
            ::close(leak);
            SpawnRequest request{*cpd::proto::Userid::parse("PROBE"),     dir.program(), "", "info",
                                 cpd::ipc::SegmentGeometry{65536, 65536}, nullptr,       ""};
            SpawnResult r = spawn_guest(request);
            if (!r.guest) {
                return 21;
            }
            int guest_status = 0;
            if (::waitpid(r.guest->pid, &guest_status, 0) != r.guest->pid) {
                return 22;
            }
            return WIFEXITED(guest_status) ? WEXITSTATUS(guest_status) : 23;
        });
        if (status == skipped) {
            MESSAGE("seccomp is not available here; not tested");
            return;
        }
        CHECK_MESSAGE(status == 0, "guest saw fd 50 (3) or the test failed (2x): " << status);
    }

    TEST_CASE("a child that fails before the guest program runs names the step on its pipe") {
        // In a child of the test, so "no child left" means the failed one was reaped.
        SUBCASE("execve") {
            ScriptDir dir("not a program: no #! line, no ELF header\n"); // ENOEXEC
            CHECK(in_child([&] {
                const SpawnResult r = spawn_guest(probe_request(dir.program(), nullptr));
                if (!r.guest) {
                    return 2;
                }
                const ExecReport report = wait_exec_report(*r.guest, dir.program());
                const bool named = report.status == ExecReport::Status::failed &&
                                   report.error == dir.program() + ": " + std::strerror(ENOEXEC);
                int status = 0;
                const bool exited = ::waitpid(r.guest->pid, &status, 0) == r.guest->pid &&
                                    WIFEXITED(status) && WEXITSTATUS(status) == exit_exec_failed;
                return named && exited ? 0 : 1;
            }) == 0);
        }
        SUBCASE("switching to the guest's uid") {
            ScriptDir dir("#!/bin/sh\nexit 0\n");
            const int code = in_child([&] {
                if (!refuse_syscall(SYS_setgroups, EPERM)) {
                    return skipped;
                }
                SandboxPlan plan;
                plan.credentials = GuestCredentials{65534, 65534};
                const SpawnResult r = spawn_guest(probe_request(dir.program(), &plan));
                if (!r.guest) {
                    return 2;
                }
                const ExecReport report = wait_exec_report(*r.guest, dir.program());
                const bool named = report.status == ExecReport::Status::failed &&
                                   report.error == std::string("unable to switch to the guest's uid: ") +
                                                       std::strerror(EPERM);
                const bool reaped = ::waitpid(r.guest->pid, nullptr, 0) == r.guest->pid;
                return named && reaped ? 0 : 1;
            });
            if (code == skipped) {
                MESSAGE("seccomp is not available here; not tested");
                return;
            }
            CHECK(code == 0);
        }
    }

    TEST_CASE("a spawned guest program that runs is not waited for") {
        ScriptDir dir("#!/bin/sh\nexit 3\n");
        const int status = spawn_and_wait(dir.program(), nullptr);
        REQUIRE(WIFEXITED(status));
        CHECK(WEXITSTATUS(status) == 3); // its own status, seen by the caller's waitpid
    }

    TEST_CASE("a program that runs reports end of file on its pipe, nothing else") {
        ScriptDir dir("#!/bin/sh\nexit 0\n");
        SpawnResult r = spawn_guest(probe_request(dir.program(), nullptr));
        REQUIRE(r.guest);
        REQUIRE(r.guest->exec_report);
        CHECK(wait_exec_report(*r.guest, dir.program()).status == ExecReport::Status::exec_ok);
        CHECK(::waitpid(r.guest->pid, nullptr, 0) == r.guest->pid);
    }

    TEST_CASE("a logon short of descriptors fails with 071E and starts no process") {
        ScriptDir dir("#!/bin/sh\nexit 0\n");
        CHECK(in_child([&] { return logon_under_low_limits(dir.program()); }) == 0);
    }

} // TEST_SUITE
