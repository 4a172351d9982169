// SPDX-License-Identifier: MIT
// prepare_spawn: everything that can allocate or fail for want of
// descriptors in cpd (the segment, the bells, argv and envp) happens here,
// on the loop, where a failure is a clean HCPLGA071E; the fork itself is
// the spawn helper's (spawner/spawn_helper.hpp), or launch_guest's in tests.
#include "guests/spawn.hpp"

#include "cpd/proto/guest_launch.hpp"

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <tuple>
#include <utility>

#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace cpd::daemon {
namespace {

/// The clean environment a guest gets.
std::vector<std::string> guest_environment(const SpawnRequest& r) {
    std::vector<std::string> env;
    const char* path = std::getenv("PATH");
    const char* lang = std::getenv("LANG");
    const char* home = std::getenv("HOME");
    env.push_back(std::string("PATH=") + (path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin"));
    env.push_back(std::string("LANG=") + (lang != nullptr ? lang : "C.UTF-8"));
    // A guest under a uid of its own has no home but its disks.
    const bool own_uid = r.sandbox != nullptr && r.sandbox->credentials;
    env.push_back("HOME=" + (own_uid ? std::string("/") : std::string(home != nullptr ? home : "/")));
    env.push_back(std::string(proto::guest_userid_env) + "=" + std::string(r.userid.str()));
    env.push_back(std::string(proto::guest_parm_env) + "=" + r.parm);
    env.push_back(std::string(proto::guest_log_level_env) + "=" + r.log_level);
    if (!r.disks.empty()) {
        env.push_back(std::string(proto::guest_disks_env) + "=" + r.disks);
    }
    return env;
}

/// The sandbox part of the order (its descriptors follow the guest's three).
void add_sandbox(const SandboxPlan& plan, PreparedSpawn& p) {
    SpawnOrder& o = p.order;
    o.has_sandbox = true;
    if (plan.credentials) {
        o.has_credentials = true;
        o.uid = plan.credentials->uid;
        o.gid = plan.credentials->gid;
        o.sweeper = plan.credentials->sweeper;
    }
    o.data_limit = plan.data_limit;
    o.process_limit = plan.process_limit;
    o.open_files = plan.open_files;
    o.seccomp = plan.seccomp.program;
    o.has_landlock = static_cast<bool>(plan.landlock.fd);
    for (const ipc::UniqueFd& procs : plan.cgroups) {
        o.cgroup_count = static_cast<std::uint8_t>(o.cgroup_count + (procs ? 1 : 0));
    }
    o.cgroups_confine_uid = plan.cgroups_confine_uid && o.cgroup_count > 0;
}

PrepareResult prepare_failure(std::string what) {
    PrepareResult out;
    out.error_number = errno;
    out.error = std::move(what);
    return out;
}

/// argv or envp storage as the char* array execve takes.
std::vector<char*> c_strings(std::vector<std::string>& strings) {
    std::vector<char*> out;
    for (auto& s : strings) {
        out.push_back(s.data());
    }
    out.push_back(nullptr);
    return out;
}

} // namespace

std::string resolve_program(std::string_view ipl, const std::string& guest_dir) {
    if (ipl.find('/') != std::string_view::npos) {
        return std::string(ipl);
    }
    std::string name = "cpd-guest-";
    for (char c : ipl) {
        name.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
    return guest_dir + "/" + name;
}

PrepareResult prepare_spawn(const SpawnRequest& r) {
    if (::access(r.program.c_str(), X_OK) != 0) {
        return prepare_failure(r.program + ": " + std::strerror(errno));
    }
    std::error_code ec;
    PreparedSpawn p;
    p.segment = ipc::Segment::create(r.geometry, r.userid.str(), ec);
    if (!ec) {
        p.segment.skip_on_fork();
    }
    if (!ec && r.one_descriptor_bell) {
        ipc::Doorbell::create_pair(p.outbound_bell, p.guest_end, ec);
    } else if (!ec) {
        p.inbound_bell = ipc::Doorbell::create(ec);
        if (!ec) {
            p.outbound_bell = ipc::Doorbell::create(ec);
        }
    }
    if (ec) {
        errno = ec.value();
        return prepare_failure("unable to create segment or doorbells: " + ec.message());
    }
    p.order.userid = std::string(r.userid.str());
    p.order.program = r.program;
    p.order.argv.push_back("cpd:" + std::string(r.userid.str()));
    p.order.envp = guest_environment(r);
    if (r.sandbox != nullptr) {
        add_sandbox(*r.sandbox, p);
    }
    PrepareResult out;
    out.spawn = std::move(p);
    return out;
}

/// The descriptors that become the guest's fds 4 and 5: its two eventfds, or
/// its pair end for both.
static std::pair<int, int> guest_bell_fds(const PreparedSpawn& p) {
    if (p.guest_end.valid()) {
        return {p.guest_end.fd(), p.guest_end.fd()};
    }
    return {p.inbound_bell.fd(), p.outbound_bell.fd()};
}

std::vector<ipc::UniqueFd> take_order_descriptors(PreparedSpawn& p, SandboxPlan* sandbox) {
    std::vector<ipc::UniqueFd> fds;
    const auto [bell4, bell5] = guest_bell_fds(p);
    for (int fd : {p.segment.fd(), bell4}) {
        fds.emplace_back(::fcntl(fd, F_DUPFD_CLOEXEC, 0));
        if (!fds.back()) {
            return {};
        }
    }
    // The guest's pair end goes with the order itself (no third copy in cpd).
    fds.emplace_back(p.guest_end.valid() ? p.guest_end.release()
                                         : ::fcntl(bell5, F_DUPFD_CLOEXEC, 0));
    if (!fds.back()) {
        return {};
    }
    p.segment.close_fd(); // cpd keeps the mapping; the guest gets the copy
    if (sandbox != nullptr && p.order.has_sandbox) {
        if (sandbox->landlock.fd) {
            fds.push_back(std::move(sandbox->landlock.fd));
        }
        for (ipc::UniqueFd& procs : sandbox->cgroups) {
            if (procs) {
                fds.push_back(std::move(procs));
            }
        }
    }
    return fds;
}

SpawnResult spawn_guest(const SpawnRequest& r) {
    PrepareResult prepared = prepare_spawn(r);
    SpawnResult out;
    if (!prepared.spawn) {
        out.error = std::move(prepared.error);
        out.error_number = prepared.error_number;
        return out;
    }
    PreparedSpawn& p = *prepared.spawn;
    std::vector<char*> argv = c_strings(p.order.argv);
    std::vector<char*> envp = c_strings(p.order.envp);
    LaunchPlan plan;
    plan.program = p.order.program.c_str();
    plan.argv = argv.data();
    plan.envp = envp.data();
    plan.segment = p.segment.fd();
    std::tie(plan.inbound_bell, plan.outbound_bell) = guest_bell_fds(p);
    plan.sandbox = r.sandbox;
    Launched launched = launch_guest(plan);
    if (launched.pid < 0) {
        out.error = std::move(launched.error);
        out.error_number = launched.error_number;
        return out;
    }
    Spawned s;
    s.pid = launched.pid;
    s.segment = std::move(p.segment);
    s.segment.close_fd(); // the guest holds its own; cpd keeps the mapping
    s.inbound_bell = std::move(p.inbound_bell);
    s.outbound_bell = std::move(p.outbound_bell);
    s.output = std::move(launched.output);
    s.exec_report = std::move(launched.exec_report);
    s.pidfd.reset(static_cast<int>(::syscall(SYS_pidfd_open, s.pid, 0)));
    if (s.pidfd) {
        ::fcntl(s.pidfd.get(), F_SETFD, FD_CLOEXEC);
    }
    out.guest = std::move(s);
    return out;
}

ExecReport read_exec_report(int report_fd, const std::string& program) {
    const ChildReport child = read_child_report(report_fd);
    ExecReport report;
    switch (child.status) {
    case ChildReport::Status::pending: break;
    case ChildReport::Status::exec_ok: report.status = ExecReport::Status::exec_ok; break;
    case ChildReport::Status::failed:
        report.status = ExecReport::Status::failed;
        report.error = describe_launch_failure(child.step, child.error_number, program);
        break;
    }
    return report;
}

} // namespace cpd::daemon
