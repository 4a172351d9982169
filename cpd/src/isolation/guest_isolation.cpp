// SPDX-License-Identifier: MIT
#include "isolation/guest_isolation.hpp"

#include "config/directory/directory_words.hpp"
#include "isolation/capabilities.hpp"
#include "isolation/daemon_process.hpp"
#include "isolation/process_sweep.hpp"

#include "cpd/ipc/log.hpp"

#include <cerrno>
#include <csignal>

#include <linux/capability.h>

namespace cpd::daemon {
namespace {

/// What a guest process needs of the host file system besides its disks: its
/// program and the shared libraries, the dynamic linker's cache, time zone
/// data, and a few devices.
std::vector<PathRule> system_rules(const std::string& program) {
    std::vector<PathRule> rules = {
        {"/usr", PathAccess::execute},          {"/lib", PathAccess::execute},
        {"/lib64", PathAccess::execute},        {"/lib32", PathAccess::execute},
        {"/etc/ld.so.cache", PathAccess::read}, {"/etc/localtime", PathAccess::read},
        {"/dev/null", PathAccess::device},      {"/dev/zero", PathAccess::read},
        {"/dev/urandom", PathAccess::read},
    };
    rules.push_back({program, PathAccess::execute});
    return rules;
}

constexpr std::uint64_t separation_capabilities =
    capability_bit(CAP_SETUID) | capability_bit(CAP_SETGID) | capability_bit(CAP_KILL);

/// A guest's fork limit under its own uid: enough for helpers, not a fork bomb.
constexpr std::uint64_t guest_process_limit = 256;

} // namespace

std::uint64_t storage_limit_bytes(const DirectoryEntry& entry) {
    if (entry.storage.empty()) {
        return 0;
    }
    return directory_words::storage_bytes(entry.storage).value_or(0);
}

bool GuestIsolation::can_separate() noexcept {
    return has_permitted(separation_capabilities);
}

std::vector<std::string> GuestIsolation::start(const Options& options) {
    std::vector<std::string> problems;
    if (!options.sandbox) {
        CPD_LOG(warn, "cpd: isolation: sandbox = no in cpd.conf: guests get no Landlock "
                      "ruleset and no seccomp filter");
    }
    if (!can_separate()) {
        summary_ = "none, not started with the privileges to separate guests";
        CPD_LOG(warn, "cpd: isolation: ", summary_,
                " (CAP_SETUID, CAP_SETGID and CAP_KILL): every guest runs as cpd's own user and "
                "can reach the others");
        return problems;
    }
    problems = check_guest_uid_range(options.guest_uid_base, options.guest_uid_count);
    auto uids = std::make_unique<GuestUidMap>(options.state_dir + "/guest-uids",
                                              options.guest_uid_base, options.guest_uid_count);
    for (auto& p : uids->load()) {
        problems.push_back(std::move(p));
    }
    for (const auto& w : uids->warnings()) {
        CPD_LOG(warn, "cpd: isolation: ", w);
    }
    if (!problems.empty()) {
        return problems;
    }
    std::string error;
    range_lock_ = lock_uid_range(options.guest_uid_base, error);
    if (!range_lock_) {
        range_busy_ = errno == EADDRINUSE;
        problems.push_back(error);
        return problems;
    }
    if (const std::size_t left =
            kill_processes_in_uid_range(options.guest_uid_base, options.guest_uid_count);
        left != 0) {
        CPD_LOG(warn, "cpd: isolation: killed ", left,
                " processes a previous cpd's guests left behind");
    }
    // Before the guardian, which removes the groups if cpd dies.
    const std::string cgroups = cgroups_.start(options.guest_uid_base);
    guardian_ = start_guardian(options.guest_uid_base, options.guest_uid_count, range_lock_.get(),
                               cgroups_.parents(), error);
    if (guardian_.pid < 0) {
        problems.push_back("unable to start the guardian process: " + error);
        return problems;
    }
    uids_ = std::move(uids);
    const int abi = landlock_abi();
    summary_ = "uid per guest (" + std::to_string(options.guest_uid_base) + "-" +
               std::to_string(options.guest_uid_base + options.guest_uid_count - 1) + ")";
    if (!options.sandbox) {
        summary_ += ", sandbox off (cpd.conf)";
    } else {
        summary_ += abi > 0 ? ", Landlock ABI " + std::to_string(abi) : ", no Landlock";
        summary_ += build_guest_seccomp_filter(false).program.empty() ? "" : ", seccomp";
    }
    summary_ += ", " + cgroups;
    CPD_LOG(info, "cpd: isolation: ", summary_);
    // The guardian has forked with what it needs; cpd keeps only what it uses.
    if (auto problem = drop_unneeded_capabilities(); !problem.empty()) {
        CPD_LOG(warn, "cpd: unable to drop capabilities: ", problem);
    }
    return problems;
}

std::optional<uid_t> GuestIsolation::uid_of(const proto::Userid& userid) const {
    return uids_ ? uids_->find(userid) : std::nullopt;
}

bool GuestIsolation::assign_uid(const proto::Userid& userid, std::string& error) {
    return !uids_ || uids_->uid_of(userid, error).has_value();
}

bool GuestIsolation::assign_uids(std::span<const proto::Userid> userids, std::string& error) {
    return !uids_ || uids_->assign(userids, error);
}

std::optional<SandboxPlan> GuestIsolation::plan(const DirectoryEntry& entry,
                                                const std::string& program,
                                                const std::vector<PathRule>& disks, bool sandbox,
                                                std::string& error) {
    SandboxPlan plan;
    if (uids_) {
        auto uid = uids_->uid_of(entry.userid, error);
        if (!uid) {
            return std::nullopt;
        }
        plan.credentials = GuestCredentials{*uid, static_cast<gid_t>(*uid), uids_->first()};
        plan.process_limit = guest_process_limit;
    }
    plan.data_limit = storage_limit_bytes(entry);
    if (cgroups_.has_memory() || cgroups_.has_cpu()) {
        auto join = cgroups_.prepare(entry.userid, plan.data_limit,
                                     entry.share_relative.value_or(0), error);
        if (!join) {
            return std::nullopt;
        }
        plan.cgroups = std::move(*join);
        // Every process of a guest's uid starts in its group and cannot leave
        // it, and the range was swept at start: the child may sweep by the group.
        plan.cgroups_confine_uid = plan.credentials.has_value();
    }
    if (!sandbox) {
        return plan;
    }
    LandlockPolicy policy{system_rules(program), entry.network};
    policy.paths.insert(policy.paths.end(), disks.begin(), disks.end());
    plan.landlock = build_landlock_ruleset(policy);
    if (plan.landlock.abi > 0 && !plan.landlock.fd) {
        // The kernel has Landlock but this guest's ruleset failed (EMFILE,
        // say): never start it unsandboxed.
        error = plan.landlock.missing;
        return std::nullopt;
    }
    if (!plan.landlock.missing.empty() && !warned_landlock_) {
        warned_landlock_ = true;
        CPD_LOG(warn, "cpd: isolation: ", plan.landlock.missing);
    }
    plan.seccomp = build_guest_seccomp_filter(entry.network);
    if (!plan.seccomp.missing.empty() && !warned_seccomp_) {
        warned_seccomp_ = true;
        CPD_LOG(warn, "cpd: isolation: ", plan.seccomp.missing);
    }
    return plan;
}

bool GuestIsolation::end_leftovers(const proto::Userid& userid, pid_t pgid) {
    if (auto uid = uid_of(userid)) {
        std::string error;
        // An empty memory group proves nothing of the guest's is left: the
        // sweep (a helper that walks every process on the host) is skipped,
        // which keeps 10,000 guest ends, as at SHUTDOWN, linear.
        if (cgroups_.is_empty(userid)) {
            CPD_LOG(debug, "supervisor: ", userid.str(), ": its group is empty: no sweep");
        } else if (!kill_processes_of_uid(*uid, uids_->first(), error)) {
            CPD_LOG(error, "supervisor: ", userid.str(), ": unable to end its processes: ", error);
        }
        const bool out_of_storage = cgroups_.ran_out_of_memory(userid);
        cgroups_.remove(userid);
        return out_of_storage;
    }
    // Under cpd's own uid only the process group can be named; a process
    // that left it (setsid) escapes: cpd(8) says so.
    if (pgid > 0 && ::kill(-pgid, SIGKILL) == 0) {
        CPD_LOG(debug, "supervisor: ", userid.str(), ": killed the processes it left behind");
    }
    return false;
}

} // namespace cpd::daemon
