// SPDX-License-Identifier: MIT
// Guest lifecycle. Every path to "gone" goes through on_exit(), which runs
// once per guest after waitpid has collected it, so a guest is never removed
// while its process lives and no child is left a zombie.
#include "supervisor.hpp"

#include "minidisk_setup.hpp"

#include "exit_status.hpp"

#include "cpd/ipc/log.hpp"

#include <cerrno>
#include <csignal>
#include <cstdio>
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

/// The CPD_GUEST_DISKS text of an entry: "<fm> <RO|RW> <vdev> <host path>" per MDISK.
std::string minidisk_lines(const DirectoryEntry& entry, const std::string& state_dir) {
    std::string out;
    for (const Minidisk& d : entry.minidisks) {
        out += std::string(1, d.filemode) + (d.read_write ? " RW " : " RO ") + d.vdev + " " +
               resolve_host_path(d.host_path, state_dir) + "\n";
    }
    return out;
}
} // namespace

Supervisor::Supervisor(asio::io_context& io, const Options& options, std::optional<RunAs> run_as,
                       Hooks hooks)
    : io_(io), options_(options), run_as_(std::move(run_as)), hooks_(std::move(hooks)) {}

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
    if (auto problem = prepare_minidisks(*entry, options_.state_dir, run_as_); !problem.empty()) {
        CPD_LOG(error, "supervisor: ", id, ": unable to prepare minidisks: ", problem);
        return {proto::CpRc::logon_failed, "HCPLGA071E " + id + " minidisks unavailable: " + problem};
    }
    SpawnRequest req{userid, resolve_program(entry->ipl_program, options_.guest_dir),
                     entry->ipl_parm, options_.log_level,
                     ipc::SegmentGeometry{options_.ring_kib * 1024u, options_.ring_kib * 1024u},
                     run_as_, minidisk_lines(*entry, options_.state_dir)};
    SpawnResult r = spawn_guest(req);
    if (!r.guest) {
        CPD_LOG(error, "supervisor: ", id, ": unable to log on: ", r.error);
        return {proto::CpRc::logon_failed, "HCPLGA071E " + id + " could not be started: " + r.error};
    }
    Spawned& s = *r.guest;
    std::shared_ptr<Guest> g;
    try {
        g = std::make_shared<Guest>(io_, userid, s.pid, std::move(s.pidfd), std::move(s.segment),
                                    std::move(s.inbound_bell), std::move(s.outbound_bell),
                                    std::move(s.outbound_bell_watch));
    } catch (const std::exception& e) { // asio could not watch its descriptors; Guest closed them
        ::kill(s.pid, SIGKILL);         // reaped by the SIGCHLD loop as an unknown child
        CPD_LOG(error, "supervisor: ", id, ": unable to log on: ", e.what());
        return {proto::CpRc::logon_failed,
                "HCPLGA071E " + id + " could not be started: " + e.what()};
    }
    guests_.emplace(userid, g);
    CPD_LOG(info, "supervisor: ", id, ": logged on by ", by, " (pid ", g->pid, ", ",
            req.program, ")");
    watch_exit(g);
    hooks_.on_logged_on(g);
    hooks_.on_count_changed();
    char users[16];
    std::snprintf(users, sizeof users, "%zu", guests_.size());
    return {proto::CpRc::ok, "AUTO LOGON  ***  " + std::string(userid.padded()) +
                                 " USERS = " + users};
}

/// Waits for the pidfd to turn readable, then reaps that pid.
void Supervisor::watch_exit(const std::shared_ptr<Guest>& g) {
    if (!g->pid_watch.is_open()) {
        return; // no pidfd: the SIGCHLD loop notices the death
    }
    g->pid_watch.async_wait(asio::posix::stream_descriptor::wait_read,
                            [this, g](const boost::system::error_code& ec) {
                                if (ec || g->reaped) {
                                    return;
                                }
                                int status = 0;
                                pid_t r = ::waitpid(g->pid, &status, WNOHANG);
                                if (r == g->pid) {
                                    on_exit(g, status);
                                } else if (r == 0) {
                                    watch_exit(g);
                                }
                            });
}

void Supervisor::reap_children() {
    int status = 0;
    pid_t pid;
    while ((pid = ::waitpid(-1, &status, WNOHANG)) > 0) {
        std::shared_ptr<Guest> g;
        for (const auto& [id, guest] : guests_) {
            if (guest->pid == pid) {
                g = guest;
            }
        }
        if (g) {
            on_exit(g, status);
        } else {
            CPD_LOG(debug, "supervisor: reaped unknown child ", pid);
        }
    }
}

/// Removes a dead guest: logs why, tells the router, console and IUCV, updates STATUS.
void Supervisor::on_exit(const std::shared_ptr<Guest>& g, int status) {
    g->reaped = true;
    std::string why = describe_exit(status, g->panicked);
    if (g->panicked && !g->panic_what.empty()) {
        why += " (" + g->panic_what + ")";
    }
    proto::CloseReason reason = proto::CloseReason::logged_off;
    if (g->state == GuestState::logging_off && !is_crash(status, g->panicked)) {
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
    g->cancel_io();
    hooks_.on_gone(*g, reason, why);
    g->state = GuestState::gone;
    auto it = guests_.find(g->userid);
    if (it != guests_.end() && it->second == g) {
        guests_.erase(it);
    }
    hooks_.on_count_changed();
    check_done();
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
    if (g->push(proto::Logoff{g->logoff_reason}) == ipc::RingStatus::ok) {
        g->logoff_pending = false;
        g->inbound_bell.ring(); // always: the guest must see it even mid-spin
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
        ::kill(g->pid, SIGKILL);
    });
}

void Supervisor::kill_guest(Guest& g, const std::string& reason) {
    if (g.reaped) {
        return;
    }
    CPD_LOG(warn, "supervisor: ", g.userid.str(), ": forced off: ", reason);
    g.faulted = true;
    g.state = GuestState::logging_off;
    g.logoff_reason = proto::LogoffReason::force;
    g.logoff_by = "CP";
    ::kill(g.pid, SIGKILL); // not yet reaped, so the pid cannot have been reused
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

void Supervisor::check_done() {
    if (shutting_down_ && guests_.empty() && shutdown_done_) {
        asio::post(io_, std::exchange(shutdown_done_, nullptr));
    }
}

} // namespace cpd::daemon
