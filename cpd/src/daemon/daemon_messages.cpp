// SPDX-License-Identifier: MIT
// The Daemon's side of CP messaging and the everyday queries: the
// MessagePort the Messenger delivers through (a guest's ring, else its
// console), the message switches kept on each Guest, SET LOGMSG, and the
// figures QUERY TIME, QUERY CPLEVEL and INDICATE read from guests and the host.
#include "daemon/daemon.hpp"

#include "messages/logmsg_store.hpp"
#include "service/host_figures.hpp"

#include "cpd/ipc/log.hpp"
#include "cpd/proto/version.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>

#include <sys/utsname.h>

namespace cpd::daemon {
namespace {

/// cpd's system name: the host's name up to its first dot, upper case, at
/// most 8 characters (z/VM's system identifier length).
std::string system_name() {
    struct utsname u {};
    if (::uname(&u) != 0) {
        return "CPD";
    }
    std::string name(u.nodename);
    name = name.substr(0, std::min(name.find('.'), std::size_t{8}));
    for (char& c : name) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return name.empty() ? "CPD" : name;
}

/// When this file was compiled, "mm/dd/yy hh:mm:ss" (QUERY CPLEVEL's
/// "Generated at"), from __DATE__ ("Dec  6 2026") and __TIME__.
std::string build_time() {
    static constexpr std::string_view months = "JanFebMarAprMayJunJulAugSepOctNovDec";
    const std::string_view date = __DATE__;
    const std::size_t month = months.find(date.substr(0, 3)) / 3 + 1;
    const std::string day(date.substr(4, 2));
    char buf[64];
    std::snprintf(buf, sizeof buf, "%02zu/%02d/%s %s", month % 100, std::atoi(day.c_str()),
                  std::string(date.substr(9, 2)).c_str(), __TIME__);
    return buf;
}

} // namespace

const MessageSwitches* Daemon::switches(const proto::Userid& userid) const {
    auto g = supervisor_.find(userid);
    return g && g->state != GuestState::gone && !g->reaped ? &g->messages : nullptr;
}

std::vector<proto::Userid> Daemon::logged_on() const {
    std::vector<proto::Userid> out;
    for (const auto& [id, g] : supervisor_.guests()) {
        if (g->state != GuestState::gone && !g->reaped) {
            out.push_back(id);
        }
    }
    return out;
}

bool Daemon::deliver(const proto::Userid& userid, const proto::MessageDeliver& frame) {
    return router_.is_logged_on(userid) &&
           router_.send_to_guest(userid, frame) == ipc::RingStatus::ok;
}

void Daemon::write_console(const proto::Userid& userid, std::string_view line) {
    console_->on_cp_message(userid, line);
}

CpOutcome Daemon::message(const proto::Userid& from, const proto::Userid& to,
                          proto::MessageKind kind, std::string_view text) {
    return messenger_.send(from, to, kind, text, std::time(nullptr));
}

CpOutcome Daemon::message_all(const proto::Userid& from, proto::MessageKind kind,
                              std::string_view text) {
    return messenger_.send_all(from, kind, text, std::time(nullptr));
}

std::optional<MessageSwitches> Daemon::message_switches(const proto::Userid& userid,
                                                        bool* smsg_on) const {
    auto g = supervisor_.find(userid);
    if (!g || g->state == GuestState::gone || g->reaped) {
        return std::nullopt;
    }
    if (smsg_on != nullptr) {
        *smsg_on = g->smsg_on;
    }
    return g->messages;
}

CpOutcome Daemon::set_message_switches(const proto::Userid& userid,
                                       const MessageSwitches& switches) {
    auto g = supervisor_.find(userid);
    if (!g || g->state == GuestState::gone || g->reaped) {
        return {proto::CpRc::not_logged_on,
                "HCPSET045E " + std::string(userid.str()) + " not logged on"};
    }
    g->messages = switches;
    CPD_LOG(info, "cpd: ", userid.str(), ": SET MSG ", to_string(switches.msg), " WNG ",
            to_string(switches.wng), " EMSG ", to_string(switches.emsg), " IMSG ",
            to_string(switches.imsg), " SMSG ",
            g->smsg_on ? (switches.smsg_iucv ? "IUCV" : "ON") : "OFF");
    return {};
}

void Daemon::set_logmsg(std::vector<std::string> lines, const proto::Userid& by) {
    logmsg_ = std::move(lines);
    CPD_LOG(info, "cpd: ", by.str(), ": SET LOGMSG: ", logmsg_.size(), " lines");
    LogmsgStore(options_.state_dir).save(logmsg_); // it survives a restart, as on z/VM
}

std::optional<GuestUsage> Daemon::usage(const proto::Userid& userid) const {
    auto g = supervisor_.find(userid);
    if (!g || g->state == GuestState::gone || g->reaped) {
        return std::nullopt;
    }
    GuestUsage u;
    u.connect_seconds = std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::steady_clock::now() - g->logon_time)
                            .count();
    const ProcessFigures p = process_figures(g->pid);
    u.user_cpu = p.user_cpu;
    u.system_cpu = p.system_cpu;
    u.resident_pages = p.resident_pages;
    if (const DirectoryEntry* e = directory_.find(userid)) {
        u.storage = e->storage;
        u.ipl = e->ipl_program;
    }
    u.io = g->counters.routed_in + g->counters.routed_out + g->counters.frames_out;
    return u;
}

HostLoad Daemon::host_load() const {
    HostLoad load;
    load.load1 = host_load_average();
    load.processors = host_processors();
    for (const auto& [id, g] : supervisor_.guests()) {
        if (g->state == GuestState::gone || g->reaped) {
            continue;
        }
        // Work waiting on either ring: the guest is in the dispatch queue (Q1).
        const bool busy = g->inbound.used_bytes() > 0 || g->outbound.used_bytes() > 0;
        ++(busy ? load.running : load.dormant);
    }
    return load;
}

SystemInfo Daemon::system_info() const {
    SystemInfo info;
    info.name = system_name();
    info.version = std::string(proto::product_version);
    info.build = build_time();
    info.started = started_;
    return info;
}

} // namespace cpd::daemon
