// SPDX-License-Identifier: MIT
// The attaching console hub: attach (authorize, log on as LOGON does, take a
// role, replay, skipped marker), typed lines to the guest's inbound ring,
// "#CP" commands as the guest, detach, and the fan-out of console traffic to
// every attached client. Closed connections are noticed lazily (weak_ptr or
// is_open() false) wherever the client list is walked.
#include "console/console_attach.hpp"

#include "control/commands/command_table.hpp"
#include "control/commands/console_access.hpp"
#include "control/control_session.hpp"

#include "cpd/ipc/log.hpp"

#include <algorithm>
#include <cstdio>
#include <ctime>

namespace cpd::daemon {

namespace {

/// Per-frame overhead counted against the replay budget.
constexpr std::size_t frame_overhead = proto::socket_header_size + 4;

/// The session behind a client, or nullptr once it is closed or gone.
std::shared_ptr<ControlSession> live(const std::weak_ptr<ControlSession>& w) {
    auto s = w.lock();
    return s && s->is_open() ? s : nullptr;
}

/// "2024-05-01 12:34:56" in local time, for console log separators.
std::string now_text() {
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    localtime_r(&now, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
    return buf;
}

} // namespace

AttachingConsoleHub::AttachingConsoleHub(CpServices& services, GuestPort& port,
                                         ConsoleHubSettings settings)
    : services_(services), port_(port), settings_(std::move(settings)) {}

// ---- guest side ----------------------------------------------------------

void AttachingConsoleHub::on_guest_logon(const proto::Userid& userid) {
    auto [it, fresh] = consoles_.insert_or_assign(userid, Console(settings_.replay_lines));
    Console& c = it->second;
    if (settings_.log && c.log.open(settings_.log_dir, userid.str())) {
        c.log.write("*** " + std::string(userid.str()) + " logged on " + now_text() + " ***");
    }
}

void AttachingConsoleHub::reconfigure(std::size_t replay_lines, bool log) {
    const bool log_changed = log != settings_.log;
    settings_.replay_lines = replay_lines;
    settings_.log = log;
    for (auto& [userid, c] : consoles_) {
        c.replay.set_limit(replay_lines);
        if (!log_changed) {
            continue;
        }
        if (log && c.log.open(settings_.log_dir, userid.str())) {
            c.log.write("*** console log started " + now_text() + " ***");
        } else if (!log && c.log.is_open()) {
            c.log.write("*** console log stopped " + now_text() + " ***");
            c.log.close();
        }
    }
}

void AttachingConsoleHub::on_console_output(const proto::Userid& userid, std::string_view line) {
    auto [it, fresh] = consoles_.try_emplace(userid, settings_.replay_lines);
    Console& c = it->second;
    c.replay.add(line);
    c.log.write(line);
    broadcast(c, proto::ServerConsoleOutput{line});
    note_seen(c);
}

void AttachingConsoleHub::on_console_end(const proto::Userid& userid, std::int32_t rc,
                                        proto::ConsoleMode mode) {
    auto it = consoles_.find(userid);
    if (it != consoles_.end()) {
        it->second.mode = mode;
        broadcast(it->second, proto::ServerConsoleEnd{rc, mode});
    }
}

void AttachingConsoleHub::on_guest_gone(const proto::Userid& userid, proto::CloseReason reason,
                                        std::string_view text) {
    auto it = consoles_.find(userid);
    if (it == consoles_.end()) {
        return;
    }
    Console& c = it->second;
    broadcast(c, proto::ServerConsoleClosed{reason, text});
    for (const Client& cl : c.clients) {
        if (auto s = live(cl.session)) {
            s->set_attached(false); // nothing more to wait for: idle from now on
        }
    }
    c.log.write("*** " + std::string(userid.str()) + " gone " + now_text() + ": " +
                std::string(text) + " ***");
    consoles_.erase(it);
}

std::string AttachingConsoleHub::terminal(const proto::Userid& userid) const {
    auto it = consoles_.find(userid);
    if (it == consoles_.end()) {
        return "DSC";
    }
    for (const Client& cl : it->second.clients) {
        if (cl.role == proto::ConsoleRole::writer && live(cl.session)) {
            return it->second.terminal_id;
        }
    }
    return "DSC";
}

bool AttachingConsoleHub::holds_output(const proto::Userid& userid) const {
    auto it = consoles_.find(userid);
    if (it == consoles_.end()) {
        return false;
    }
    // Only the writer holds the guest: it is the terminal. An observer that
    // falls behind is dropped at its output limit, as any slow client is.
    for (const Client& cl : it->second.clients) {
        if (cl.role == proto::ConsoleRole::writer) {
            if (auto s = live(cl.session); s && s->unsent_bytes() >= s->output_limit() / 2) {
                return true;
            }
        }
    }
    return false;
}

std::size_t AttachingConsoleHub::attached_count(const proto::Userid& userid) const {
    auto it = consoles_.find(userid);
    if (it == consoles_.end()) {
        return 0;
    }
    return static_cast<std::size_t>(std::count_if(it->second.clients.begin(),
                                                  it->second.clients.end(),
                                                  [](const Client& cl) { return live(cl.session); }));
}

// ---- client side ---------------------------------------------------------

bool AttachingConsoleHub::on_client_frame(ControlSession& session, const Caller& caller,
                                          const proto::ClientFrame& frame) {
    if (const auto* a = std::get_if<proto::ClientConsoleAttach>(&frame)) {
        attach(session, caller, *a);
    } else if (const auto* in = std::get_if<proto::ClientConsoleInput>(&frame)) {
        input(session, in->line);
    } else if (const auto* cp = std::get_if<proto::ClientConsoleCp>(&frame)) {
        this->cp(session, cp->text);
    } else if (std::holds_alternative<proto::ClientConsoleDetach>(frame)) {
        detach(session);
    } else {
        return false;
    }
    return true;
}

/// Attaches `session`: authorize, log on if asked, take a role, then replay.
void AttachingConsoleHub::attach(ControlSession& session, const Caller& caller,
                                 const proto::ClientConsoleAttach& a) {
    detach(session); // a second attach on one connection replaces the first
    if (!may_attach(caller, a.userid)) {
        CPD_LOG(warn, "console: ", caller.userid.str(), ": refused attach to ", a.userid.str());
        session.send(proto::ServerError{proto::CpRc::not_authorized,
                                        "HCPCON002E " + std::string(caller.userid.str()) +
                                            " may not attach to the console of " +
                                            std::string(a.userid.str())});
        return;
    }
    Console* c = ensure_logged_on(session, caller, a);
    if (c == nullptr) {
        return;
    }
    proto::ConsoleRole role{};
    if (!take_role(session, caller, *c, a.mode, role)) {
        return;
    }
    const Viewer viewer{session.peer_uid(), caller.userid};
    c->clients.push_back(Client{session.shared_from_this(), caller.userid, viewer, role});
    session.set_attached(true); // waiting for console output is not idling
    CPD_LOG(info, "console: ", a.userid.str(), ": ", caller.userid.str(), " attached as ",
            role == proto::ConsoleRole::writer ? "writer" : "observer", " (host uid ",
            viewer.first, ")");
    session.send(proto::ServerConsoleAttached{a.userid, role});
    send_replay(session, viewer, *c, a.replay);
}

/// The caller is that userid, or holds class A or B (QUERY DIRECTORY lists the same).
bool AttachingConsoleHub::may_attach(const Caller& caller, const proto::Userid& userid) const {
    return may_attach_console(caller, userid);
}

/// The guest's console, logging the guest on first when asked; nullptr after an error reply.
AttachingConsoleHub::Console* AttachingConsoleHub::ensure_logged_on(
    ControlSession& session, const Caller& caller, const proto::ClientConsoleAttach& a) {
    const std::string id(a.userid.str());
    if (services_.entry(a.userid) == nullptr) {
        session.send(proto::ServerError{proto::CpRc::not_in_directory,
                                        "HCPLGA053E " + id + " not in CP directory"});
        return nullptr;
    }
    auto it = consoles_.find(a.userid);
    if (it != consoles_.end()) {
        return &it->second;
    }
    if (!a.logon) {
        session.send(proto::ServerError{proto::CpRc::not_logged_on,
                                        "HCPLGA045E " + id + " not logged on"});
        return nullptr;
    }
    CpOutcome r = services_.logon(a.userid, caller.userid); // as XAUTOLOG: NOLOG, 71, 99 ...
    if (r.rc != proto::CpRc::ok) {
        session.send(proto::ServerError{r.rc, r.text});
        return nullptr;
    }
    it = consoles_.find(a.userid);
    if (it == consoles_.end()) { // the hub was not told of the logon: start a console now
        it = consoles_.try_emplace(a.userid, settings_.replay_lines).first;
    }
    return &it->second;
}

/// Decides the role for a new client; refuses a second writer (75) unless forced.
bool AttachingConsoleHub::take_role(ControlSession& session, const Caller& caller,
                                    Console& console, proto::AttachMode mode,
                                    proto::ConsoleRole& role) {
    prune(console);
    if (mode == proto::AttachMode::observer) {
        role = proto::ConsoleRole::observer;
        return true;
    }
    auto writer = std::find_if(console.clients.begin(), console.clients.end(),
                               [](const Client& cl) { return cl.role == proto::ConsoleRole::writer; });
    if (writer != console.clients.end()) {
        if (mode != proto::AttachMode::force) {
            session.send(proto::ServerError{
                proto::CpRc::console_busy,
                "HCPCON075E Console " + console.terminal_id + " has a writer (" +
                    std::string(writer->caller.str()) +
                    "); use --force to take it over, or --observe to watch"});
            return false;
        }
        writer->role = proto::ConsoleRole::observer;
        CPD_LOG(info, "console: ", console.terminal_id, ": writer ", writer->caller.str(),
                " is now an observer: --force by ", caller.userid.str());
        if (auto s = live(writer->session)) {
            s->send(proto::ServerConsoleRole{proto::ConsoleRole::observer, caller.userid.str()});
        }
    }
    role = proto::ConsoleRole::writer;
    char id[16];
    std::snprintf(id, sizeof id, "CON%03u", next_terminal_);
    next_terminal_ = next_terminal_ % 999 + 1;
    console.terminal_id = id;
    return true;
}

/// Sends the kept lines `scope` asks for and the skipped marker that ends
/// the replay. `unseen` starts after the last line this viewer saw; `none`
/// sends only the marker and leaves the viewer's count alone (nothing shown).
void AttachingConsoleHub::send_replay(ControlSession& session, const Viewer& viewer,
                                      Console& console, proto::ReplayScope scope) {
    if (scope == proto::ReplayScope::none) {
        if (console.mode != proto::ConsoleMode::command) { // a script must know XEDIT holds it
            session.send(proto::ServerConsoleEnd{0, console.mode});
        }
        session.send(proto::ServerConsoleSkipped{0});
        return;
    }
    const auto& lines = console.replay.lines();
    const std::uint64_t dropped = console.replay.dropped();
    const std::uint64_t total = dropped + lines.size();
    const auto it = console.seen.find(viewer);
    const std::uint64_t seen = it != console.seen.end() ? it->second : 0;
    // Lines this viewer saw are skipped for `unseen`; `all` starts at the oldest kept.
    std::size_t oldest = 0;
    if (scope == proto::ReplayScope::unseen && seen > dropped) {
        oldest = static_cast<std::size_t>(std::min<std::uint64_t>(seen - dropped, lines.size()));
    }
    // Half the session's output bound: the replay alone never gets a client dropped.
    const std::size_t replay_budget = session.output_limit() / 2;
    // Newest lines first against the byte budget; what does not fit counts as lost.
    std::size_t first = lines.size();
    std::size_t bytes = 0;
    while (first > oldest && bytes + lines[first - 1].size() + frame_overhead <= replay_budget) {
        bytes += lines[first - 1].size() + frame_overhead;
        --first;
    }
    const std::uint64_t unsent = dropped + first; // lines before the replay
    const std::uint64_t lost = unsent > seen ? unsent - seen : 0;
    for (std::size_t i = first; i < lines.size(); ++i) {
        session.send(proto::ServerConsoleOutput{lines[i]});
    }
    if (console.mode != proto::ConsoleMode::command) {
        // Inside the replay, so no client takes it for the end of its next command.
        session.send(proto::ServerConsoleEnd{0, console.mode});
    }
    session.send(proto::ServerConsoleSkipped{lost});
    console.seen[viewer] = total;
}

/// A typed line from the writer goes to the guest's inbound ring.
void AttachingConsoleHub::input(ControlSession& session, std::string_view line) {
    const proto::Userid* id = nullptr;
    Client* client = nullptr;
    Console* c = console_of(session, id, client);
    if (c == nullptr) {
        session.send(proto::ServerError{proto::CpRc::invalid_operand,
                                        "HCPCON026E Not attached to a console"});
        return;
    }
    const proto::Userid userid = *id;
    if (client->role != proto::ConsoleRole::writer) {
        session.send(proto::ServerError{proto::CpRc::not_authorized,
                                        "HCPCON002E Observers cannot type; the console of " +
                                            std::string(userid.str()) + " has another writer"});
        return;
    }
    switch (port_.send_to_guest(userid, proto::ConsoleInput{line})) {
    case ipc::RingStatus::ok:
        c->replay.add(line); // the typed line belongs to the console's history
        c->log.write(line);
        broadcast(*c, proto::ServerConsoleOutput{line}, client);
        note_seen(*c);
        break;
    case ipc::RingStatus::full:
        session.send(proto::ServerError{proto::CpRc::busy,
                                        "HCPMSG061W " + std::string(userid.str()) +
                                            " is busy: its input ring is full; line not sent"});
        break;
    default:
        session.send(proto::ServerError{proto::CpRc::not_logged_on,
                                        "HCPLGA045E " + std::string(userid.str()) +
                                            " not logged on"});
        break;
    }
}

/// "#CP command" from the writer: runs as the guest, answered to this client only.
void AttachingConsoleHub::cp(ControlSession& session, std::string_view text) {
    const proto::Userid* id = nullptr;
    Client* client = nullptr;
    if (console_of(session, id, client) == nullptr) {
        session.send(proto::ServerError{proto::CpRc::invalid_operand,
                                        "HCPCON026E Not attached to a console"});
        return;
    }
    const proto::Userid userid = *id;
    if (client->role != proto::ConsoleRole::writer) {
        session.send(proto::ServerError{proto::CpRc::not_authorized,
                                        "HCPCON002E Observers cannot issue CP commands as " +
                                            std::string(userid.str())});
        return;
    }
    const DirectoryEntry* e = services_.entry(userid);
    const Caller as_guest{userid, e != nullptr ? e->classes : std::string(), true};
    CpOutcome r = execute_command(text, as_guest, services_);
    if (const auto s = services_.message_switches(userid, nullptr)) {
        r.text = shape_cp_response(s->emsg, r.text); // the guest's SET EMSG, as on its console
    }
    session.send(proto::ServerCpResponse{r.rc, r.text});
}

void AttachingConsoleHub::detach(ControlSession& session) {
    const proto::Userid* id = nullptr;
    Client* client = nullptr;
    Console* c = console_of(session, id, client);
    if (c == nullptr) {
        return;
    }
    CPD_LOG(debug, "console: ", id->str(), ": ", client->caller.str(), " detached");
    session.set_attached(false);
    c->clients.erase(c->clients.begin() + (client - c->clients.data()));
}

/// The console `session` is attached to (and its Client), or nullptr.
AttachingConsoleHub::Console* AttachingConsoleHub::console_of(ControlSession& session,
                                                              const proto::Userid*& userid,
                                                              Client*& client) {
    // A weak_ptr that still locks to this address is this very session object.
    for (auto& [id, console] : consoles_) {
        for (Client& cl : console.clients) {
            if (cl.session.lock().get() == &session) {
                userid = &id;
                client = &cl;
                return &console;
            }
        }
    }
    return nullptr;
}

/// Drops clients whose connection has closed.
void AttachingConsoleHub::prune(Console& console) {
    std::erase_if(console.clients, [](const Client& cl) { return !live(cl.session); });
}

/// Queues a frame to every attached client but `except`.
void AttachingConsoleHub::broadcast(Console& console, const proto::ServerFrame& frame,
                                    const Client* except) {
    bool stale = false;
    for (const Client& cl : console.clients) {
        if (&cl == except) {
            continue;
        }
        if (auto s = live(cl.session)) {
            s->send(frame);
        } else {
            stale = true;
        }
    }
    if (stale) {
        prune(console);
    }
}

/// A line was just added and shown to every attached client. The count says
/// "seen every line up to here", so it moves only for a viewer that had seen
/// all before this one: a pipe-mode attach (no replay) that shows one line
/// must not mark the lines written while its user was away as seen.
void AttachingConsoleHub::note_seen(Console& console) {
    const std::uint64_t total = console.replay.dropped() + console.replay.lines().size();
    for (const Client& cl : console.clients) {
        std::uint64_t& seen = console.seen[cl.viewer];
        if (seen + 1 >= total) {
            seen = total;
        }
    }
}

} // namespace cpd::daemon
