// SPDX-License-Identifier: MIT
// The Supervisor's logon never waits for the child's exec: it answers once
// the order is on its way to the spawn helper, the guest is logging_on until the report pipe says otherwise, and a
// child that cannot exec ends that session on the loop, reaped, its end
// recorded, no descriptor left. A seccomp user notification holds the
// child's execve in the kernel, so "the loop serves meanwhile" is shown
// without any race.
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
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace cpd::daemon;
using namespace std::chrono_literals;

namespace {

constexpr int skipped = 77;

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

/// Descriptors open in this process.
int open_descriptors() {
    int n = 0;
    for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator("/proc/self/fd")) {
        ++n;
    }
    return n - 1; // the iterator's own
}

/// A Supervisor over a one-user directory whose IPL is a script, with no
/// isolation (guests as this process's uid) and hooks that record.
struct Rig {
    explicit Rig(const std::string& script) {
        char tmpl[] = "/tmp/cpd-logon-XXXXXX";
        REQUIRE(::mkdtemp(tmpl) != nullptr);
        dir = tmpl;
        program = dir + "/guest";
        std::ofstream(program) << script;
        std::filesystem::permissions(program, std::filesystem::perms::owner_all);
        options.ring_kib = 64;
        DirectoryEntry e = DirectoryEntry::make(id);
        e.ipl_program = program;
        directory.add(e);
    }
    ~Rig() { std::filesystem::remove_all(dir); }

    /// Runs the loop until `pred` or 5 s; true if `pred`.
    template <class Pred> bool run_until(Pred pred) {
        for (int i = 0; i < 500 && !pred(); ++i) {
            io.restart();
            io.run_for(10ms);
        }
        return pred();
    }

    cpd::proto::Userid id = *cpd::proto::Userid::parse("G");
    std::string dir, program;
    boost::asio::io_context io;
    boost::asio::posix::stream_descriptor warm_up{io}; // the reactor's descriptors exist first
    Options options;
    Directory directory;
    GuestIsolation isolation; // not started: no uids of their own
    MinidiskLinks links{"", [](const cpd::proto::Userid&) { return std::optional<uid_t>(); },
                        false};
    int logons = 0, gones = 0;
    cpd::proto::CloseReason reason{};
    std::string why;
    GuestEnd end;
    Supervisor supervisor{
        io, options, isolation, links,
        Supervisor::Hooks{[this](const std::shared_ptr<Guest>&) { ++logons; },
                          [this](Guest& g, cpd::proto::CloseReason r, const std::string& w) {
                              ++gones;
                              reason = r;
                              why = w;
                              end = g.end;
                          },
                          [] {}, [](Guest&) {}}};
};

/// Makes every execve of this process and its children wait for an answer on
/// the returned listener; -1 if seccomp user notification is not available.
int hold_execve() {
    sock_filter filter[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_execve, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    sock_fprog program{static_cast<unsigned short>(sizeof filter / sizeof filter[0]), filter};
    if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
        return -1;
    }
    return static_cast<int>(::syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
                                      SECCOMP_FILTER_FLAG_NEW_LISTENER, &program));
}

/// The body of "the loop serves while a child's execve is held", in a forked
/// test process: 0 when it held, or which check failed.
int logon_with_execve_held() {
    // Before the Rig: its spawn helper, which forks the guest, inherits the filter.
    const int listener = hold_execve();
    if (listener < 0) {
        return skipped;
    }
    Rig rig("#!/bin/sh\nexit 0\n");
    if (rig.supervisor.logon(rig.id, rig.directory, "TEST").rc != cpd::proto::CpRc::ok) {
        return 2;
    }
    seccomp_notif request{};
    if (::ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &request) != 0) { // the child's execve, held
        return 3;
    }
    auto g = rig.supervisor.find(rig.id);
    if (!g || !g->logging_on || rig.logons != 1) {
        return 4;
    }
    int ticks = 0; // the loop serves a timer three times over while the exec is held
    boost::asio::steady_timer timer(rig.io);
    std::function<void()> tick = [&] {
        timer.expires_after(5ms);
        timer.async_wait([&](const boost::system::error_code& ec) {
            if (!ec && ++ticks < 3) {
                tick();
            }
        });
    };
    tick();
    if (!rig.run_until([&] { return ticks == 3; }) || !g->logging_on) {
        return 5;
    }
    seccomp_notif_resp answer{};
    answer.id = request.id;
    answer.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
    if (::ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &answer) != 0) {
        return 6;
    }
    if (!rig.run_until([&] { return !rig.supervisor.find(rig.id); })) {
        return 7;
    }
    return rig.end.kind == EndKind::logoff && g->start_error.empty() ? 0 : 8;
}

} // namespace

TEST_SUITE("cpd.supervisor") {

    TEST_CASE("logon answers at fork; the guest is logging_on until its exec is heard") {
        Rig rig("#!/bin/sh\nexit 0\n");
        const CpOutcome r = rig.supervisor.logon(rig.id, rig.directory, "TEST");
        REQUIRE(r.rc == cpd::proto::CpRc::ok);
        CHECK(r.text.rfind("AUTO LOGON  ***  G ", 0) == 0);
        auto g = rig.supervisor.find(rig.id);
        REQUIRE(g);
        CHECK(g->logging_on); // the loop has not run: nobody read the report yet
        CHECK(rig.logons == 1);
        CHECK(rig.supervisor.logon(rig.id, rig.directory, "TEST").rc ==
              cpd::proto::CpRc::already_logged_on);
        CHECK(rig.run_until([&] { return !rig.supervisor.find(rig.id); }));
        CHECK_FALSE(g->logging_on);
        CHECK(g->start_error.empty());
        CHECK(rig.end.kind == EndKind::logoff);
    }

    TEST_CASE("shutdown ends a guest that has not exec'd like any other") {
        Rig rig("#!/bin/sh\nexec sleep 30\n"); // never reads its ring: the grace period ends it
        rig.options.grace_seconds = 1;
        REQUIRE(rig.supervisor.logon(rig.id, rig.directory, "TEST").rc == cpd::proto::CpRc::ok);
        auto g = rig.supervisor.find(rig.id);
        REQUIRE(g->logging_on);
        bool done = false;
        rig.supervisor.shutdown([&] { done = true; });
        CHECK(rig.supervisor.logon(rig.id, rig.directory, "TEST").rc ==
              cpd::proto::CpRc::shutting_down);
        CHECK(rig.run_until([&] { return done; }));
        CHECK(rig.end.kind == EndKind::shutdown);
        CHECK(rig.reason == cpd::proto::CloseReason::crashed); // killed after the grace period
        errno = 0;
        CHECK(::waitpid(g->pid, nullptr, WNOHANG) == -1);
        CHECK(errno == ECHILD);
    }

    TEST_CASE("the loop serves while a child's execve is held") {
        const int status = in_child([] { return logon_with_execve_held(); });
        if (status == skipped) {
            MESSAGE("seccomp user notification is not available here; not tested");
            return;
        }
        CHECK_MESSAGE(status == 0, "failed check " << status);
    }

    TEST_CASE("a program that cannot exec ends its logon on the loop: reaped, no descriptor left") {
        Rig rig("neither #! nor ELF\n"); // passes access(X_OK); execve: ENOEXEC
        const int before = open_descriptors();
        const CpOutcome r = rig.supervisor.logon(rig.id, rig.directory, "TEST");
        REQUIRE(r.rc == cpd::proto::CpRc::ok);
        std::shared_ptr<Guest> g = rig.supervisor.find(rig.id);
        REQUIRE(rig.run_until([&] { return !rig.supervisor.find(rig.id); }));
        const pid_t pid = g->pid; // the spawn helper's answer set it
        g.reset();
        CHECK(rig.gones == 1);
        CHECK(rig.reason == cpd::proto::CloseReason::crashed);
        const std::string error = rig.program + ": " + std::strerror(ENOEXEC);
        CHECK(rig.why == "HCPLGA071E G could not be started: " + error);
        CHECK(rig.end.kind == EndKind::not_started);
        CHECK(rig.end.detail == error);
        REQUIRE(pid > 0);
        errno = 0;
        CHECK(::kill(pid, 0) == -1);
        CHECK(errno == ESRCH); // reaped by the spawn helper before it said so
        rig.io.restart();
        rig.io.poll(); // lets the cancelled watches release the guest
        CHECK(open_descriptors() == before);
    }

} // TEST_SUITE
