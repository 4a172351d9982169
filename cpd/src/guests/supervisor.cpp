// SPDX-License-Identifier: MIT
// Guest lifecycle. Every path to "gone" goes through on_exit(), which runs
// once per guest after waitpid has collected it, so a guest is never removed
// while its process lives and no child is left a zombie.
#include "guests/supervisor.hpp"

#include "guests/descriptor_budget.hpp"
#include "spawner/exit_status.hpp"

#include "cpd/ipc/log.hpp"

#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <exception>

#include <boost/asio/post.hpp>
#include <sys/wait.h>

namespace cpd::daemon {
namespace asio = boost::asio;

namespace {
const char* reason_name(proto::LogoffReason r) {
    switch (r) {
    case proto::LogoffReason::logoff: return "LOGOFF";
    case proto::LogoffReason::force: return "FORCE";
    case proto::LogoffReason::shutdown: return "SHUTDOWN";
    }
    return "?";
}

/// The CPD_GUEST_DISKS text: "<fm> <RO|RW> <vdev> <host path>" per device
/// CMS accesses at IPL.
std::string minidisk_lines(const std::vector<LinkedDevice>& devices) {
    std::string out;
    for (const LinkedDevice& d : devices) {
        if (d.filemode != 0) {
            out += std::string(1, d.filemode) + (d.write ? " RW " : " RO ") + d.vdev + " " +
                   d.path + "\n";
        }
    }
    return out;
}

/// True when a guest's end came from running out of its storage: its memory
/// cgroup's limit killed one of its processes, or the runtime reported
/// std::bad_alloc (RLIMIT_DATA) as the handler panic.
bool ended_for_storage(const Guest& g) {
    return g.storage_exhausted ||
           (g.panicked && g.panic_what.find("bad_alloc") != std::string::npos);
}
} // namespace

Supervisor::Supervisor(asio::io_context& io, const Options& options, GuestIsolation& isolation,
                       MinidiskLinks& links, Hooks hooks, HelperProcess helper)
    : io_(io), options_(options), isolation_(isolation), links_(links), hooks_(std::move(hooks)),
      spawner_(io, spawner_events()) {
    spawner_.start(std::move(helper));
    // cpd raised its soft limit to the hard one at start (prepare_daemon_process).
    const DescriptorBudget room = descriptor_budget(0, options_.max_clients);
    own_descriptors_ = room.open_now;
    CPD_LOG(info, "supervisor: descriptor limit ", room.soft_limit, " (hard ", room.hard_limit,
            "): room for ", room.guests_allowed, " guests at ", descriptors_per_guest, " each, ",
            descriptor_budget_at(own_descriptors_, SIZE_MAX, options_.max_clients).guests_allowed,
            " at 1 (socket-pair bells)");
}

std::shared_ptr<Guest> Supervisor::find(const proto::Userid& userid) const {
    auto it = guests_.find(userid);
    return it == guests_.end() ? nullptr : it->second;
}

CpOutcome Supervisor::logon(const proto::Userid& userid, const Directory& directory,
                            std::string_view by) {
    std::string id(userid.str());
    if (shutting_down_) {
        return {proto::CpRc::shutting_down, "HCPSHU099E System is shutting down"};
    }
    const DirectoryEntry* entry = directory.find(userid);
    if (entry == nullptr) {
        return {proto::CpRc::not_in_directory, "HCPLGA053E " + id + " not in CP directory"};
    }
    if (guests_.count(userid) != 0) {
        return {proto::CpRc::already_logged_on, "HCPLGA054E Already logged on: " + id};
    }
    if (entry->nolog) {
        return {proto::CpRc::nolog, "HCPLGA064E " + id + " may not be logged on (NOLOG)"};
    }
    if (entry->ipl_program.empty()) {
        return {proto::CpRc::logon_failed, "HCPLGA071E " + id + " has no IPL statement"};
    }
    if (spawner_.queued() >= max_spawns_waiting) {
        // Each order cpd still holds keeps up to descriptors_per_logon
        // descriptors: a stuck helper must not take cpd's limit meant for guests.
        std::string why = std::to_string(max_spawns_waiting);
        why += " logons are waiting for the spawn helper; try again";
        CPD_LOG(warn, "supervisor: ", id, ": logon refused: ", why);
        return {proto::CpRc::logon_failed, "HCPLGA071E " + id + " could not be started: " + why};
    }
    std::string error;
    if (!isolation_.assign_uid(userid, error)) {
        CPD_LOG(error, "supervisor: ", id, ": unable to log on: ", error);
        return {proto::CpRc::logon_failed, "HCPLGA071E " + id + " could not be started: " + error};
    }
    MinidiskLinks::LogonLinks linked = links_.link_at_logon(*entry, directory);
    for (const std::string& m : linked.messages) {
        CPD_LOG(warn, "supervisor: ", id, ": ", m);
    }
    if (!linked.error.empty()) {
        CPD_LOG(error, "supervisor: ", id, ": unable to prepare minidisks: ", linked.error);
        return {proto::CpRc::logon_failed,
                "HCPLGA071E " + id + " minidisks unavailable: " + linked.error};
    }
    const std::string program = resolve_program(entry->ipl_program, options_.guest_dir);
    std::optional<SandboxPlan> plan = isolation_.plan(
        *entry, program, links_.landlock_rules(directory, *entry), options_.sandbox, error);
    if (!plan) {
        links_.drop_all(userid);
        CPD_LOG(error, "supervisor: ", id, ": unable to log on: ", error);
        return {proto::CpRc::logon_failed, "HCPLGA071E " + id + " could not be started: " + error};
    }
    const DescriptorBudget room =
        descriptor_budget_at(own_descriptors_, directory.size(), options_.max_clients);
    if (room.per_guest == 1 && !one_descriptor_bells_) {
        CPD_LOG(warn, "supervisor: descriptor limit ", room.soft_limit,
                " cannot hold two for each of the directory's ", directory.size(),
                " users: new guests get one (a socket pair for both doorbells, a wake-up about "
                "2 us dearer); raise LimitNOFILE to keep eventfds");
    }
    one_descriptor_bells_ = room.per_guest == 1;
    // Only a guest whose seccomp filter keeps it to send and recv on its pair
    // end gets one: with OPTION NETWORK or no filter it could bind an abstract
    // name or pass descriptors into cpd through it.
    const bool paired = one_descriptor_bells_ && !plan->seccomp.program.empty() && !entry->network;
    SpawnRequest req{userid, program, entry->ipl_parm, options_.log_level,
                     ipc::SegmentGeometry{options_.ring_kib * 1024u, options_.ring_kib * 1024u},
                     &*plan, minidisk_lines(links_.devices(userid)), paired};
    PrepareResult r = prepare_spawn(req);
    std::vector<ipc::UniqueFd> fds;
    if (r.spawn) { // the order owns its descriptors until it is sent
        fds = take_order_descriptors(*r.spawn, &*plan);
        if (fds.empty()) {
            r.error_number = errno;
            r.error = std::string("unable to duplicate descriptors: ") + std::strerror(errno);
            r.spawn.reset();
        }
    }
    if (!r.spawn) {
        links_.drop_all(userid);
        if (r.error_number == EMFILE || r.error_number == ENFILE) {
            // Not a count of /proc/self/fd: a flood of refusals must not each cost O(fds).
            r.error += "; " + describe_guest_room(room);
        }
        CPD_LOG(error, "supervisor: ", id, ": unable to log on: ", r.error);
        return {proto::CpRc::logon_failed, "HCPLGA071E " + id + " could not be started: " + r.error};
    }
    PreparedSpawn& s = *r.spawn;
    std::shared_ptr<Guest> g;
    try {
        g = std::make_shared<Guest>(io_, userid, -1, std::move(s.segment),
                                    std::move(s.inbound_bell), std::move(s.outbound_bell));
    } catch (const std::exception& e) { // asio could not watch its bells; Guest closed them
        links_.drop_all(userid);
        CPD_LOG(error, "supervisor: ", id, ": unable to log on: ", e.what());
        return {proto::CpRc::logon_failed,
                "HCPLGA071E " + id + " could not be started: " + e.what()};
    }
    g->storage = entry->storage;
    g->program = program;
    g->spawn_tag = next_tag_++;
    const auto uid = isolation_.uid_of(userid);
    g->logon_text = std::string(by) + " (pid ";
    s.order.tag = g->spawn_tag;
    guests_.emplace(userid, g);
    by_tag_.emplace(g->spawn_tag, g);
    ++logging_on_;
    CPD_LOG(debug, "supervisor: ", id, ": logging on: asking the spawn helper to start ", program,
            uid ? ", uid " + std::to_string(*uid) : std::string());
    spawner_.spawn(std::move(s.order), std::move(fds));
    hooks_.on_logged_on(g);
    hooks_.on_count_changed();
    char users[16];
    std::snprintf(users, sizeof users, "%zu", guests_.size());
    return {proto::CpRc::ok, "AUTO LOGON  ***  " + std::string(userid.padded()) +
                                 " USERS = " + users};
}

Spawner::Events Supervisor::spawner_events() {
    return Spawner::Events{
        [this](const Started& m) { on_started(m); },
        [this](const ExecHeard& m) { on_exec(m); },
        [this](const OutputLine& m) {
            if (by_tag_.count(m.tag) != 0) { // tagged and made safe by the helper
                CPD_LOG(info, m.line);
            }
        },
        [this](const Exited& m) {
            if (auto g = by_tag(m.tag); g && !g->reaped) {
                on_exit(g, m.wait_status);
            }
        },
        [this](const std::string& why, const std::vector<std::uint64_t>& unstarted) {
            on_helper_lost(why, unstarted);
        }};
}

std::shared_ptr<Guest> Supervisor::by_tag(std::uint64_t tag) const {
    auto it = by_tag_.find(tag);
    return it == by_tag_.end() ? nullptr : it->second;
}

/// The helper forked the guest (or could not: that session ends at once).
void Supervisor::on_started(const Started& m) {
    std::shared_ptr<Guest> g = by_tag(m.tag);
    if (!g || g->reaped || g->pid > 0) {
        return;
    }
    if (m.pid <= 0) {
        g->start_error = m.error;
        CPD_LOG(error, "supervisor: ", g->userid.str(), ": unable to log on: ", m.error);
        end_logging_on(*g);
        check_started();
        on_exit(g, exit_exec_failed << 8);
        return;
    }
    g->pid = m.pid;
    by_pid_.emplace(g->pid, g);
    const auto uid = isolation_.uid_of(g->userid);
    g->logon_text += std::to_string(g->pid);
    g->logon_text += ", ";
    g->logon_text += g->program;
    if (uid) {
        g->logon_text += ", uid ";
        g->logon_text += std::to_string(*uid);
    }
    g->logon_text += ")";
    CPD_LOG(debug, "supervisor: ", g->userid.str(), ": logging on (pid ", g->pid,
            "): waiting for its exec");
}

void Supervisor::on_exec(const ExecHeard& m) {
    std::shared_ptr<Guest> g = by_tag(m.tag);
    if (!g || g->reaped || !g->logging_on) {
        return;
    }
    ExecReport report;
    report.status = m.step == 0 ? ExecReport::Status::exec_ok : ExecReport::Status::failed;
    if (m.step != 0) {
        report.error = describe_launch_failure(m.step, m.error_number, g->program);
    }
    on_exec_report(g, report);
}

/// The child has exec'd (the guest is logged on) or said why it could not.
void Supervisor::on_exec_report(const std::shared_ptr<Guest>& g, const ExecReport& report) {
    end_logging_on(*g);
    check_started();
    const std::string id(g->userid.str());
    if (report.status == ExecReport::Status::failed) {
        g->start_error = report.error;
        CPD_LOG(error, "supervisor: ", id, ": unable to log on: ", report.error);
        return; // the child exits: the helper reaps it and on_exit ends the session
    }
    CPD_LOG(info, "supervisor: ", id, ": logged on by ", g->logon_text);
}

/// The helper died. Guests it never said it forked end now; the others die
/// of their parent-death signal and are cpd's children (cpd is their
/// subreaper): each is reaped here, killed, or, if the helper reaped it
/// without saying so, ended now.
void Supervisor::on_helper_lost(const std::string& why,
                                const std::vector<std::uint64_t>& unstarted) {
    CPD_LOG(error, "supervisor: ", why, ": its guests are forced off");
    for (std::uint64_t tag : unstarted) {
        if (std::shared_ptr<Guest> g = by_tag(tag); g && !g->reaped && g->pid <= 0) {
            g->start_error = why;
            end_logging_on(*g);
            check_started();
            on_exit(g, SIGKILL);
        }
    }
    std::vector<std::shared_ptr<Guest>> started;
    for (const auto& [tag, g] : by_tag_) {
        started.push_back(g);
    }
    for (const std::shared_ptr<Guest>& g : started) {
        if (g->reaped) {
            continue;
        }
        if (g->pid <= 0) { // its order was never sent: the new helper gets it
            continue;
        }
        int status = 0;
        const pid_t r = ::waitpid(g->pid, &status, WNOHANG);
        if (r == g->pid) {
            on_exit(g, status);
        } else if (r == 0) {
            if (!g->faulted) {
                g->faulted = true;
                g->kill_reason = why;
                g->state = GuestState::logging_off;
                g->logoff_reason = proto::LogoffReason::force;
                g->logoff_by = "CP";
            }
            ::kill(g->pid, SIGKILL); // cpd's child now: the SIGCHLD loop reaps it
        } else {
            on_exit(g, SIGKILL); // reaped by the helper, which died before saying so
        }
    }
}

/// SIGKILLs a guest through its parent, the spawn helper.
void Supervisor::kill_process(const Guest& g) {
    spawner_.kill(g.spawn_tag, g.pid, SIGKILL);
}

void Supervisor::reap_children() {
    int status = 0;
    pid_t pid;
    while ((pid = ::waitpid(-1, &status, WNOHANG)) > 0) {
        auto found = by_pid_.find(pid);
        std::shared_ptr<Guest> g = found != by_pid_.end() ? found->second : nullptr;
        if (g) {
            on_exit(g, status);
        } else if (spawner_.is_helper(pid)) {
            spawner_.on_helper_reaped(status);
        } else if (isolation_.is_guardian(pid)) {
            CPD_LOG(error, "cpd: the guardian process ended (", describe_exit(status, false),
                    "): if cpd dies now, what its guests forked may outlive it");
        } else {
            CPD_LOG(debug, "supervisor: reaped unknown child ", pid);
        }
    }
}

/// Removes a dead guest: logs why, tells the router, console and IUCV, updates STATUS.
void Supervisor::on_exit(const std::shared_ptr<Guest>& g, int status) {
    g->reaped = true;
    if (g->logging_on) { // died before its exec was heard (the helper sent any failure first)
        end_logging_on(*g);
        check_started();
    }
    if (hooks_.on_reaped) {
        hooks_.on_reaped(*g);
    }
    // Whatever the guest forked dies with it, then its disks close to it.
    g->storage_exhausted = isolation_.end_leftovers(g->userid, g->pid);
    links_.drop_all(g->userid);
    std::string why = describe_exit(status, g->panicked);
    if (ended_for_storage(*g)) {
        why = "storage exceeded (" + (g->storage.empty() ? "no storage given" : g->storage) + ")";
    } else if (g->panicked && !g->panic_what.empty()) {
        why += " (" + g->panic_what + ")";
    }
    proto::CloseReason reason = proto::CloseReason::logged_off;
    if (!g->start_error.empty()) {
        reason = proto::CloseReason::crashed; // logged when the report came
        why = "HCPLGA071E " + std::string(g->userid.str()) + " could not be started: " +
              g->start_error;
    } else if (g->state == GuestState::logging_off && !is_crash(status, g->panicked)) {
        if (g->logoff_reason == proto::LogoffReason::force) {
            reason = proto::CloseReason::forced;
        } else if (g->logoff_reason == proto::LogoffReason::shutdown) {
            reason = proto::CloseReason::shutdown;
        }
        CPD_LOG(info, "supervisor: ", g->userid.str(), ": logged off (",
                reason_name(g->logoff_reason),
                g->logoff_by.empty() ? "" : " by " + g->logoff_by, "): ", why);
    } else {
        reason = proto::CloseReason::crashed;
        CPD_LOG(warn, "supervisor: ", g->userid.str(), ": ", why);
    }
    g->end = end_of(*g, status, why);
    g->cancel_io();
    hooks_.on_gone(*g, reason, why);
    g->state = GuestState::gone;
    auto it = guests_.find(g->userid);
    if (it != guests_.end() && it->second == g) {
        guests_.erase(it);
    }
    if (auto p = by_pid_.find(g->pid); p != by_pid_.end() && p->second == g) {
        by_pid_.erase(p);
    }
    by_tag_.erase(g->spawn_tag);
    hooks_.on_count_changed();
    check_done();
}

/// Classifies a finished session for QUERY and the restart policy. Who asked
/// for the end decides before how the process died: a FORCE that needed the
/// grace kill is still a FORCE, and a guest CP killed is CP's doing.
GuestEnd Supervisor::end_of(const Guest& g, int status, const std::string& why) const {
    if (!g.start_error.empty()) {
        return {EndKind::not_started, g.start_error};
    }
    if (g.faulted) {
        const EndKind kind = kind_of_cp_kill(g.kill_reason);
        const std::size_t colon = g.kill_reason.find(": "); // "corrupt frame/ring: <what>"
        return {kind, kind == EndKind::corrupt_ring && colon != std::string::npos
                          ? g.kill_reason.substr(colon + 2)
                          : g.kill_reason};
    }
    if (ended_for_storage(g)) {
        return {EndKind::storage, g.storage.empty() ? "no storage given" : g.storage};
    }
    if (g.state == GuestState::logging_off && g.logoff_reason == proto::LogoffReason::force) {
        return {EndKind::force, g.logoff_by};
    }
    if (g.state == GuestState::logging_off && g.logoff_reason == proto::LogoffReason::shutdown) {
        return {EndKind::shutdown, ""};
    }
    if (!is_crash(status, g.panicked)) {
        return {EndKind::logoff, ""};
    }
    constexpr std::string_view crashed = "crashed: "; // "crash: crashed: handler panic" says it twice
    return {EndKind::crash, why.rfind(crashed, 0) == 0 ? why.substr(crashed.size()) : why};
}

CpOutcome Supervisor::logoff(const proto::Userid& userid, proto::LogoffReason reason,
                             std::string_view by) {
    auto g = find(userid);
    if (!g) {
        return {proto::CpRc::not_logged_on, "HCPCQU045E " + std::string(userid.str()) +
                                                " not logged on"};
    }
    if (g->state != GuestState::logging_off) {
        g->state = GuestState::logging_off;
        g->logoff_reason = reason;
        g->logoff_by = std::string(by);
        send_logoff(g);
        start_grace(g);
    }
    return {proto::CpRc::ok, {}};
}

/// Puts Logoff on the inbound ring, retrying every 10 ms while the ring is full.
void Supervisor::send_logoff(const std::shared_ptr<Guest>& g) {
    if (g->reaped || g->faulted) {
        return;
    }
    const ipc::RingStatus st = g->push(proto::Logoff{g->logoff_reason});
    if (st == ipc::RingStatus::ok) {
        g->logoff_pending = false;
        g->guest_bell().ring(); // always: the guest must see it even mid-spin
        return;
    }
    if (st == ipc::RingStatus::corrupt) { // it can never read a Logoff: no grace to wait out
        CPD_LOG(error, "supervisor: ", g->userid.str(),
                ": corrupt inbound ring: its consumer position is out of range");
        kill_guest(*g, "corrupt inbound ring");
        return;
    }
    g->logoff_pending = true;
    g->retry_timer.expires_after(std::chrono::milliseconds(10));
    g->retry_timer.async_wait([this, g](const boost::system::error_code& ec) {
        if (!ec) {
            send_logoff(g);
        }
    });
}

/// SIGKILLs the guest if it has not exited when the grace period ends.
void Supervisor::start_grace(const std::shared_ptr<Guest>& g) {
    g->grace_timer.expires_after(std::chrono::seconds(options_.grace_seconds));
    g->grace_timer.async_wait([this, g](const boost::system::error_code& ec) {
        if (ec || g->reaped) {
            return;
        }
        CPD_LOG(warn, "supervisor: ", g->userid.str(), ": did not log off within ",
                options_.grace_seconds, " s; killing it");
        kill_process(*g);
    });
}

void Supervisor::kill_guest(Guest& g, const std::string& reason) {
    if (g.reaped) {
        return;
    }
    CPD_LOG(warn, "supervisor: ", g.userid.str(), ": forced off: ", reason);
    g.faulted = true;
    g.kill_reason = reason;
    g.state = GuestState::logging_off;
    g.logoff_reason = proto::LogoffReason::force;
    g.logoff_by = "CP";
    kill_process(g); // its parent signals it: never a reused pid
}

void Supervisor::note_panic(Guest& g, std::string_view what) {
    g.panicked = true;
    g.panic_what = std::string(what);
}

void Supervisor::shutdown(std::function<void()> done) {
    shutting_down_ = true;
    shutdown_done_ = std::move(done);
    std::vector<proto::Userid> ids;
    for (const auto& [id, g] : guests_) {
        ids.push_back(id);
    }
    for (const auto& id : ids) {
        logoff(id, proto::LogoffReason::shutdown, "SYSTEM");
    }
    check_done();
}

void Supervisor::when_all_started(std::function<void()> done) {
    started_ = std::move(done);
    check_started();
}

void Supervisor::check_started() {
    if (!started_ || logging_on_ != 0) {
        return;
    }
    asio::post(io_, std::exchange(started_, nullptr));
}

void Supervisor::end_logging_on(Guest& g) {
    if (g.logging_on) {
        g.logging_on = false;
        --logging_on_;
    }
}

void Supervisor::check_done() {
    if (shutting_down_ && guests_.empty() && shutdown_done_) {
        asio::post(io_, std::exchange(shutdown_done_, nullptr));
    }
}

} // namespace cpd::daemon
