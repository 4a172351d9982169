// SPDX-License-Identifier: MIT
// The Daemon as CpServices (what commands do) and ControlBackend (what
// client sessions need): identity from the directory, privilege checks that
// are not per-verb, and the z/VM-style texts of FORCE, LOGOFF and SET.
#include "daemon/daemon.hpp"

#include "control/commands/command_table.hpp"
#include "control/identity.hpp"
#include "service/log_text.hpp"

#include "cpd/ipc/log.hpp"

#include <cstdio>

#include <unistd.h>

namespace cpd::daemon {

std::vector<GuestInfo> Daemon::guests() const {
    std::vector<GuestInfo> out;
    for (const auto& [id, g] : supervisor_.guests()) {
        GuestInfo info(id);
        info.state = g->logging_on ? GuestState::logging_on : g->state;
        info.terminal = console_->terminal(id);
        info.counters = g->counters;
        info.inbound_used = g->inbound.used_bytes();
        info.inbound_capacity = g->inbound.capacity();
        info.outbound_used = g->outbound.used_bytes();
        info.outbound_capacity = g->segment.geometry().outbound_capacity;
        out.push_back(std::move(info));
    }
    return out;
}

StatsTotals Daemon::totals() const {
    const RouterTotals& t = router_.totals();
    StatsTotals totals;
    totals.routed = t.routed;
    totals.to_listeners = t.to_listeners;
    totals.dropped = t.dropped;
    totals.refused = t.refused;
    totals.frames = t.frames;
    totals.wakeups = t.wakeups;
    totals.backlogged = t.backlogged;
    totals.spins_won = t.spins_won;
    totals.backlog_overflows = t.backlog_overflows;
    totals.latency_hold = latency_hold_.describe();
    totals.isolation = isolation_.summary();
    totals.last_ends = restarter_.summaries();
    return totals;
}

std::string Daemon::last_end(const proto::Userid& userid) const {
    return restarter_.status(userid);
}

CpOutcome Daemon::set_crashmsg(const proto::Userid& userid, bool on) {
    crash_messages_.set(userid, on);
    CPD_LOG(info, "cpd: ", userid.str(), ": SET CRASHMSG ", on ? "ON" : "OFF");
    return {};
}

const RestartPolicy* Daemon::restart_policy(const proto::Userid& userid) const {
    const DirectoryEntry* e = directory_.find(userid);
    return e != nullptr && e->restart ? &*e->restart : nullptr;
}

CpOutcome Daemon::restart_logon(const proto::Userid& userid) {
    return supervisor_.logon(userid, directory_, "CP");
}

/// Writes `text` on the console of every logged-on user who asked for crash
/// messages; a guest whose session is ending has no console to write on.
void Daemon::operator_message(const std::string& text) {
    std::string told;
    for (const proto::Userid& id : crash_messages_.recipients(directory_)) {
        auto g = supervisor_.find(id);
        if (g && !g->reaped) {
            console_->on_cp_message(id, text);
            // Appended piece by piece: "literal" + temporary trips g++ 12's
            // -Wrestrict false positive at -O3 (the Release build).
            told += told.empty() ? "" : " ";
            told += id.str();
        }
    }
    CPD_LOG(info, "cpd: CP message to ", told.empty() ? "no console" : told, ": ", text);
}

CpOutcome Daemon::link(const proto::Userid& linker, std::string_view operands) {
    const DirectoryEntry* e = directory_.find(linker);
    if (e == nullptr || !supervisor_.find(linker)) {
        return {proto::CpRc::not_logged_on,
                "HCPLNM045E " + std::string(linker.str()) + " not logged on"};
    }
    // Not logged with its operands: they may hold a password. The link table
    // logs what needs logging (password failures).
    return links_.link_command(*e, operands, directory_);
}

CpOutcome Daemon::detach(const proto::Userid& linker, std::string_view operands) {
    if (!supervisor_.find(linker)) {
        return {proto::CpRc::not_logged_on,
                "HCPDTV045E " + std::string(linker.str()) + " not logged on"};
    }
    return links_.detach_command(linker, operands);
}

CpOutcome Daemon::query_virtual_dasd(const proto::Userid& linker,
                                     std::optional<std::string> only) const {
    return links_.query_virtual_dasd(linker, std::move(only));
}

CpOutcome Daemon::query_links(const proto::Userid& owner, std::optional<std::string> only) const {
    return links_.query_links(owner, std::move(only));
}

std::vector<IucvPathRow> Daemon::iucv_paths(const proto::Userid* only) const {
    return iucv_.paths().query(only);
}

std::optional<IucvTotals> Daemon::iucv_totals() const {
    return iucv_.paths().totals();
}

const DirectoryEntry* Daemon::entry(const proto::Userid& userid) const {
    return directory_.find(userid);
}

std::vector<const DirectoryEntry*> Daemon::directory_entries() const {
    std::vector<const DirectoryEntry*> out;
    out.reserve(directory_.size());
    for (const auto& [userid, e] : directory_.entries()) {
        out.push_back(&e);
    }
    return out;
}

CpOutcome Daemon::logon(const proto::Userid& userid, const proto::Userid& by) {
    return supervisor_.logon(userid, directory_, by.str());
}

CpOutcome Daemon::logoff(const proto::Userid& userid, const proto::Userid& by, bool force) {
    auto g = supervisor_.find(userid);
    if (!g || g->state == GuestState::gone) {
        if (force && restarter_.cancel(userid, by.str())) {
            return {proto::CpRc::ok, "HCPRST003I " + std::string(userid.str()) +
                                         " will not be restarted: FORCE cancelled its restart"};
        }
        std::string text = "HCPCQU045E " + std::string(userid.str()) + " not logged on";
        if (const std::string how = restarter_.status(userid); !how.empty()) {
            text += '\n'; // why it is not (appended: see operator_message)
            text += userid.padded();
            text += ' ';
            text += how;
        }
        return {proto::CpRc::not_logged_on, std::move(text)};
    }
    CpOutcome r = supervisor_.logoff(
        userid, force ? proto::LogoffReason::force : proto::LogoffReason::logoff, by.str());
    if (r.rc == proto::CpRc::ok && force) {
        char users[16];
        std::snprintf(users, sizeof users, "%zu", supervisor_.guests().size() - 1);
        r.text = "USER DSC   LOGOFF AS  " + std::string(userid.padded()) + " USERS = " + users +
                 "    FORCED BY " + std::string(by.str());
        CPD_LOG(info, "cpd: ", by.str(), ": FORCE ", userid.str());
    }
    return r;
}

CpOutcome Daemon::smsg(const proto::Userid& from, const proto::Userid& to, std::string_view text) {
    auto sender = supervisor_.find(from);
    proto::CpRc rc = router_.route_smsg(from, sender.get(), to, text);
    return {rc, smsg_refusal_text(rc, to)};
}

CpOutcome Daemon::set_smsg(const proto::Userid& userid, bool on) {
    auto g = supervisor_.find(userid);
    if (!g) {
        return {proto::CpRc::not_logged_on,
                "HCPSET045E " + std::string(userid.str()) + " not logged on"};
    }
    g->smsg_on = on;
    return {};
}

CpOutcome Daemon::shutdown(const proto::Userid& by) {
    begin_shutdown(by.str());
    return {proto::CpRc::ok, "HCPSHU960I System shutdown started"};
}

std::optional<Caller> Daemon::identify(uid_t uid) {
    const DirectoryEntry* e = identity_for(directory_, uid, user_name(uid), ::geteuid());
    if (e == nullptr) {
        return std::nullopt;
    }
    return Caller{e->userid, e->classes, false};
}

namespace {

/// A command line as the log may show it: a LINK's operands may hold a
/// password, so they are left out; the rest as loggable_text shows it.
std::string loggable(std::string_view line) {
    const CommandArgs args(line);
    if (args.size() > 0 && matches_abbrev(args.word(0), "LINK", 4)) {
        return "LINK (operands not logged)";
    }
    return loggable_text(line);
}

} // namespace

CpOutcome Daemon::command(const Caller& caller, std::string_view line) {
    CPD_LOG(debug, "control: ", caller.userid.str(), ": CP ", loggable(line));
    CpOutcome r = execute_command(line, caller, *this);
    if (r.rc == proto::CpRc::not_authorized) {
        CPD_LOG(warn, "control: ", caller.userid.str(), ": refused: ", loggable(line));
    }
    return r;
}

CpOutcome Daemon::smsg(const Caller& caller, const proto::Userid& to, std::string_view text) {
    if (!caller.has_any_class("G")) {
        return not_authorized("SMSG");
    }
    return smsg(caller.userid, to, text);
}

void Daemon::listen(const proto::Userid& userid, SmsgListener* listener) {
    router_.add_listener(userid, listener);
}

void Daemon::unlisten(SmsgListener* listener) { router_.remove_listener(listener); }

bool Daemon::console_frame(ControlSession& session, const Caller& caller,
                           const proto::ClientFrame& frame) {
    return console_->on_client_frame(session, caller, frame);
}

void Daemon::force_off(Guest& g, std::string_view reason) {
    supervisor_.kill_guest(g, std::string(reason));
}

void Daemon::logoff_requested(Guest& g) {
    supervisor_.logoff(g.userid, proto::LogoffReason::logoff, g.userid.str());
}

void Daemon::panicked(Guest& g, std::string_view what) { supervisor_.note_panic(g, what); }

/// Runs a CP command a guest issued (CpCommand), as that guest.
GuestCommandResult Daemon::run_for_guest(Guest& g, std::string_view text) {
    const DirectoryEntry* e = directory_.find(g.userid);
    Caller caller{g.userid, e != nullptr ? e->classes : std::string(), true};
    CpOutcome r = execute_command(text, caller, *this);
    // SET EMSG shapes CP's error messages on every path a guest's command
    // takes (its console, DIAG 8, EXECIO CP): all come here as a CpCommand.
    return {r.rc, shape_cp_response(g.messages.emsg, r.text)};
}

} // namespace cpd::daemon
