// SPDX-License-Identifier: MIT
// AttachingConsoleHub against fake CpServices and GuestPort, with real
// ControlSessions on socket pairs: attach refusals, roles and --force,
// replay with the skipped count, input to the ring, close on logoff, and a
// reload's new replay bound and console logging applied to running guests.
#include "console/console_attach.hpp"
#include "control/control_session.hpp"

#include "cpd/ipc/frame_io.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <sys/socket.h>

using namespace cpd::daemon;
using namespace cpd::proto;

namespace {

Userid uid(const char* s) { return *Userid::parse(s); }

/// A directory of ALICE, BOB and NOLOGGER; logon tells the hub as the supervisor would.
class FakeServices : public CpServices {
public:
    std::map<Userid, DirectoryEntry> dir;
    ConsoleHub* hub = nullptr;
    FakeServices() {
        for (const char* id : {"ALICE", "BOB", "NOLOGGER"}) {
            dir.emplace(uid(id), DirectoryEntry::make(uid(id)));
        }
        dir.at(uid("NOLOGGER")).nolog = true;
    }
    std::vector<GuestInfo> guests() const override { return {}; }
    StatsTotals totals() const override { return {}; }
    const DirectoryEntry* entry(const Userid& u) const override {
        auto it = dir.find(u);
        return it == dir.end() ? nullptr : &it->second;
    }
    CpOutcome logon(const Userid& u, const Userid&) override {
        if (dir.at(u).nolog) {
            return {CpRc::nolog, "HCPLGA064E NOLOG"};
        }
        hub->on_guest_logon(u);
        return {};
    }
    CpOutcome logoff(const Userid&, const Userid&, bool) override { return {}; }
    CpOutcome smsg(const Userid&, const Userid&, std::string_view) override { return {}; }
    CpOutcome set_smsg(const Userid&, bool) override { return {}; }
    CpOutcome shutdown(const Userid&) override { return {}; }
};

/// Records console input pushed to guests.
class FakePort : public GuestPort {
public:
    std::vector<std::string> input;
    cpd::ipc::RingStatus status = cpd::ipc::RingStatus::ok;
    bool is_logged_on(const Userid&) const override { return true; }
    cpd::ipc::RingStatus send_to_guest(const Userid&, const CpdFrame& f) override {
        if (status == cpd::ipc::RingStatus::ok) {
            input.emplace_back(std::get<ConsoleInput>(f).line);
        }
        return status;
    }
};

class NoBackend : public ControlBackend {
public:
    std::optional<Caller> identify(uid_t) override { return std::nullopt; }
    CpOutcome command(const Caller&, std::string_view) override { return {}; }
    CpOutcome smsg(const Caller&, const Userid&, std::string_view) override { return {}; }
    void listen(const Userid&, SmsgListener*) override {}
    void unlisten(SmsgListener*) override {}
    bool console_frame(ControlSession&, const Caller&, const ClientFrame&) override {
        return false;
    }
};

/// One client: a ControlSession on one end of a socket pair, frames read at the other.
struct Client {
    boost::asio::io_context& io;
    std::shared_ptr<ControlSession> session;
    cpd::ipc::UniqueFd peer;
    Client(boost::asio::io_context& io_, ControlBackend& backend) : io(io_) {
        int sv[2];
        REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0);
        peer.reset(sv[1]);
        session = std::make_shared<ControlSession>(
            ControlSession::Socket(io, boost::asio::local::stream_protocol(), sv[0]), backend);
    }
    /// Every frame cpd queued for this client so far, as short strings.
    std::vector<std::string> frames() {
        io.restart();
        io.poll();
        std::vector<std::string> out;
        cpd::ipc::RawFrame raw;
        std::error_code ec;
        while (cpd::ipc::read_frame(peer.get(), raw, ec, 20)) {
            auto f = decode_server_frame(raw.type, raw.payload);
            REQUIRE(f);
            out.push_back(describe_frame(*f));
        }
        return out;
    }
    static std::string describe_frame(const ServerFrame& f) {
        if (auto* a = std::get_if<ServerConsoleAttached>(&f)) {
            return std::string("attached ") + (a->role == ConsoleRole::writer ? "writer" : "observer");
        }
        if (auto* o = std::get_if<ServerConsoleOutput>(&f)) {
            return "out " + std::string(o->line);
        }
        if (auto* s = std::get_if<ServerConsoleSkipped>(&f)) {
            return "skipped " + std::to_string(s->lines);
        }
        if (auto* e = std::get_if<ServerConsoleEnd>(&f)) {
            const int mode = static_cast<int>(e->mode);
            return "end " + std::to_string(e->rc) + (mode == 0 ? "" : " mode " + std::to_string(mode));
        }
        if (auto* r = std::get_if<ServerConsoleRole>(&f)) {
            return "role observer by " + std::string(r->by);
        }
        if (auto* c = std::get_if<ServerConsoleClosed>(&f)) {
            return "closed " + std::string(c->text);
        }
        if (auto* e = std::get_if<ServerError>(&f)) {
            return "error " + std::to_string(static_cast<int>(e->rc));
        }
        if (auto* r = std::get_if<ServerCpResponse>(&f)) {
            return "cp " + std::to_string(static_cast<int>(r->rc));
        }
        return "?";
    }
};

struct Fixture {
    boost::asio::io_context io;
    FakeServices services;
    FakePort port;
    NoBackend backend;
    AttachingConsoleHub hub{services, port, ConsoleHubSettings{3, false, ""}};
    Caller op{uid("OPERATOR"), "ABCDEFG", false};
    Caller alice{uid("ALICE"), "G", false};
    Caller bob{uid("BOB"), "G", false};
    Fixture() { services.hub = &hub; }
    void attach(Client& c, const Caller& who, const char* id, AttachMode mode, bool logon = true,
                ReplayScope replay = ReplayScope::all) {
        hub.on_client_frame(*c.session, who, ClientConsoleAttach{uid(id), mode, logon, replay});
    }
};

using Frames = std::vector<std::string>;

} // namespace

TEST_SUITE("cpd.console_attach") {

TEST_CASE("attach is refused for strangers, unknown userids, --no-logon and NOLOG") {
    Fixture f;
    Client c(f.io, f.backend);
    f.attach(c, f.bob, "ALICE", AttachMode::writer);
    f.attach(c, f.op, "NOSUCH", AttachMode::writer);
    f.attach(c, f.op, "ALICE", AttachMode::writer, false);
    f.attach(c, f.op, "NOLOGGER", AttachMode::writer);
    CHECK(c.frames() == Frames{"error 2", "error 53", "error 45", "error 64"});
    CHECK(f.hub.terminal(uid("ALICE")) == "DSC");
}

TEST_CASE("a first attach logs on and replays the kept lines, then the skipped count") {
    Fixture f;
    f.hub.on_guest_logon(uid("ALICE"));
    for (const char* l : {"l1", "l2", "l3", "l4", "l5"}) {
        f.hub.on_console_output(uid("ALICE"), l);
    }
    f.hub.on_console_end(uid("ALICE"), 0); // end markers are not replayed
    Client c(f.io, f.backend);
    f.attach(c, f.alice, "ALICE", AttachMode::writer); // a user may attach to itself
    CHECK(c.frames() == Frames{"attached writer", "out l3", "out l4", "out l5", "skipped 2"});
    CHECK(f.hub.terminal(uid("ALICE")).rfind("CON", 0) == 0);
    // Lines this caller saw are not counted again on the next attach.
    f.hub.on_client_frame(*c.session, f.alice, ClientConsoleDetach{});
    CHECK(f.hub.terminal(uid("ALICE")) == "DSC");
    for (const char* l : {"l6", "l7", "l8", "l9"}) {
        f.hub.on_console_output(uid("ALICE"), l);
    }
    f.attach(c, f.alice, "ALICE", AttachMode::observer);
    CHECK(c.frames() == Frames{"attached observer", "out l7", "out l8", "out l9", "skipped 1"});
}

TEST_CASE("an unseen replay starts after what this viewer saw; none replays nothing") {
    Fixture f; // the replay keeps 3 lines
    f.hub.on_guest_logon(uid("ALICE"));
    f.hub.on_console_output(uid("ALICE"), "l1");
    Client c(f.io, f.backend);
    // Pipe mode: nothing replayed, and nothing counted as seen.
    f.attach(c, f.alice, "ALICE", AttachMode::writer, true, ReplayScope::none);
    CHECK(c.frames() == Frames{"attached writer", "skipped 0"});
    f.hub.on_client_frame(*c.session, f.alice, ClientConsoleDetach{});
    // A terminal: l1 was never seen, so it comes.
    f.attach(c, f.alice, "ALICE", AttachMode::writer, true, ReplayScope::unseen);
    CHECK(c.frames() == Frames{"attached writer", "out l1", "skipped 0"});
    f.hub.on_console_output(uid("ALICE"), "l2"); // seen live
    CHECK(c.frames() == Frames{"out l2"});
    f.hub.on_client_frame(*c.session, f.alice, ClientConsoleDetach{});
    f.hub.on_console_output(uid("ALICE"), "l3");
    f.attach(c, f.alice, "ALICE", AttachMode::writer, true, ReplayScope::unseen);
    CHECK(c.frames() == Frames{"attached writer", "out l3", "skipped 0"});
    f.hub.on_client_frame(*c.session, f.alice, ClientConsoleDetach{});
    // Nothing new: nothing replayed. Another viewer (OPERATOR) saw nothing.
    f.attach(c, f.alice, "ALICE", AttachMode::writer, true, ReplayScope::unseen);
    CHECK(c.frames() == Frames{"attached writer", "skipped 0"});
    f.hub.on_client_frame(*c.session, f.alice, ClientConsoleDetach{});
    Client o(f.io, f.backend);
    f.attach(o, f.op, "ALICE", AttachMode::observer, true, ReplayScope::unseen);
    CHECK(o.frames() == Frames{"attached observer", "out l1", "out l2", "out l3", "skipped 0"});
    // Five lines while away, three kept: two unseen lines are lost.
    for (const char* l : {"l4", "l5", "l6", "l7", "l8"}) {
        f.hub.on_console_output(uid("ALICE"), l);
    }
    f.attach(c, f.alice, "ALICE", AttachMode::writer, true, ReplayScope::unseen);
    CHECK(c.frames() == Frames{"attached writer", "out l6", "out l7", "out l8", "skipped 2"});
    // all: every kept line, whatever was seen.
    f.hub.on_client_frame(*c.session, f.alice, ClientConsoleDetach{});
    f.attach(c, f.alice, "ALICE", AttachMode::writer, true, ReplayScope::all);
    CHECK(c.frames() == Frames{"attached writer", "out l6", "out l7", "out l8", "skipped 0"});
    f.hub.on_client_frame(*c.session, f.alice, ClientConsoleDetach{});
    // A pipe-mode attach that shows a live line does not mark the lines
    // written while away as seen: the next terminal attach still shows them.
    f.hub.on_console_output(uid("ALICE"), "m1");
    f.attach(c, f.alice, "ALICE", AttachMode::writer, true, ReplayScope::none);
    f.hub.on_console_output(uid("ALICE"), "p1");
    CHECK(c.frames() == Frames{"attached writer", "skipped 0", "out p1"});
    f.hub.on_client_frame(*c.session, f.alice, ClientConsoleDetach{});
    f.attach(c, f.alice, "ALICE", AttachMode::writer, true, ReplayScope::unseen);
    CHECK(c.frames() == Frames{"attached writer", "out m1", "out p1", "skipped 0"});
}

TEST_CASE("the console mode rides on end markers and is replayed while XEDIT holds the console") {
    Fixture f;
    Client w(f.io, f.backend);
    f.attach(w, f.op, "ALICE", AttachMode::writer); // logs ALICE on
    CHECK(w.frames() == Frames{"attached writer", "skipped 0"});
    f.hub.on_console_output(uid("ALICE"), "DMSXIN573I Input mode:");
    f.hub.on_console_end(uid("ALICE"), 0, cpd::proto::ConsoleMode::xedit_input);
    CHECK(w.frames() == Frames{"out DMSXIN573I Input mode:", "end 0 mode 2"});
    // A console attaching now learns the mode inside the replay, before its end.
    Client late(f.io, f.backend);
    f.attach(late, f.op, "ALICE", AttachMode::observer);
    CHECK(late.frames() ==
          Frames{"attached observer", "out DMSXIN573I Input mode:", "end 0 mode 2", "skipped 0"});
    // Back in CMS: no marker in the next replay.
    f.hub.on_console_end(uid("ALICE"), 0);
    Client later(f.io, f.backend);
    f.attach(later, f.op, "ALICE", AttachMode::observer);
    CHECK(later.frames() == Frames{"attached observer", "out DMSXIN573I Input mode:", "skipped 0"});
}

TEST_CASE("a VM READ marker goes to the consoles and into the replay while the guest reads") {
    Fixture f;
    Client w(f.io, f.backend);
    f.attach(w, f.op, "ALICE", AttachMode::writer); // logs ALICE on
    CHECK(w.frames() == Frames{"attached writer", "skipped 0"});
    f.hub.on_console_output(uid("ALICE"), "Your name?");
    f.hub.on_console_end(uid("ALICE"), 0, cpd::proto::ConsoleMode::vm_read);
    CHECK(w.frames() == Frames{"out Your name?", "end 0 mode 3"});
    // A pipe-mode script attaching now must know its first line is the answer.
    Client late(f.io, f.backend);
    f.attach(late, f.op, "ALICE", AttachMode::observer);
    CHECK(late.frames() ==
          Frames{"attached observer", "out Your name?", "end 0 mode 3", "skipped 0"});
}

TEST_CASE("a writer console half its limit behind holds the guest's output; an observer never does") {
    Fixture f;
    f.hub.on_guest_logon(uid("ALICE"));
    const std::string line(200, 'x');
    // Feeds lines while nobody reads until `client` is half its limit behind.
    const auto fill = [&](Client& client) {
        int lines = 0;
        while (client.session->unsent_bytes() < client.session->output_limit() / 2 &&
               lines < 100000) {
            f.hub.on_console_output(uid("ALICE"), line);
            f.io.restart();
            f.io.poll();
            ++lines;
        }
        return lines;
    };
    Client watcher(f.io, f.backend);
    f.attach(watcher, f.op, "ALICE", AttachMode::observer);
    const int observed = fill(watcher);
    MESSAGE(observed << " lines put the observer half its limit behind");
    CHECK_FALSE(f.hub.holds_output(uid("ALICE"))); // a slow observer is dropped, never waited for
    Client writer(f.io, f.backend);
    f.attach(writer, f.alice, "ALICE", AttachMode::writer);
    CHECK_FALSE(f.hub.holds_output(uid("ALICE")));
    fill(writer);
    CHECK(f.hub.holds_output(uid("ALICE"))); // the terminal holds its virtual machine
    for (int reads = 0; reads < 100 && f.hub.holds_output(uid("ALICE")); ++reads) {
        writer.frames(); // the writer reads again: the hold ends
    }
    CHECK_FALSE(f.hub.holds_output(uid("ALICE")));
}

TEST_CASE("one writer: a second is refused, --force demotes the first and tells it") {
    Fixture f;
    Client w1(f.io, f.backend), w2(f.io, f.backend), obs(f.io, f.backend);
    f.attach(w1, f.op, "ALICE", AttachMode::writer); // logs ALICE on
    f.attach(obs, f.op, "ALICE", AttachMode::observer);
    f.attach(w2, f.op, "ALICE", AttachMode::writer);
    CHECK(w2.frames() == Frames{"error 75"});
    f.hub.on_client_frame(*obs.session, f.op, ClientConsoleInput{"ERASE X Y A"});
    CHECK(obs.frames() == Frames{"attached observer", "skipped 0", "error 2"});
    f.attach(w2, f.op, "ALICE", AttachMode::force);
    CHECK(w2.frames() == Frames{"attached writer", "skipped 0"});
    CHECK(w1.frames() == Frames{"attached writer", "skipped 0", "role observer by OPERATOR"});
    f.hub.on_client_frame(*w1.session, f.op, ClientConsoleInput{"ERASE X Y A"});
    CHECK(w1.frames() == Frames{"error 2"});
    CHECK(f.port.input.empty());
    // The new writer's line reaches the ring and is echoed to everyone else.
    f.hub.on_client_frame(*w2.session, f.op, ClientConsoleInput{"STATE X Y A"});
    f.hub.on_console_output(uid("ALICE"), "X Y A1");
    f.hub.on_console_end(uid("ALICE"), 0);
    CHECK(f.port.input == std::vector<std::string>{"STATE X Y A"});
    CHECK(w2.frames() == Frames{"out X Y A1", "end 0"});
    CHECK(obs.frames() == Frames{"out STATE X Y A", "out X Y A1", "end 0"});
    f.port.status = cpd::ipc::RingStatus::full;
    f.hub.on_client_frame(*w2.session, f.op, ClientConsoleInput{"STATE X Y A"});
    CHECK(w2.frames() == Frames{"error 61"});
}

TEST_CASE("a closed connection frees the writer role; logoff closes every console") {
    Fixture f;
    Client w1(f.io, f.backend), w2(f.io, f.backend);
    f.attach(w1, f.op, "ALICE", AttachMode::writer);
    w1.session->close();
    f.attach(w2, f.op, "ALICE", AttachMode::writer);
    CHECK(w2.frames() == Frames{"attached writer", "skipped 0"});
    CHECK(f.hub.attached_count(uid("ALICE")) == 1);
    f.hub.on_guest_gone(uid("ALICE"), CloseReason::logged_off, "bye");
    CHECK(w2.frames() == Frames{"closed bye"});
    CHECK(f.hub.terminal(uid("ALICE")) == "DSC");
    f.hub.on_client_frame(*w2.session, f.op, ClientConsoleInput{"X"});
    CHECK(w2.frames() == Frames{"error 26"});
}

TEST_CASE("a reload bounds every replay anew and turns console logs on and off") {
    Fixture f;
    const std::filesystem::path dir =
        std::filesystem::temp_directory_path() / ("cpd-console-reload-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    AttachingConsoleHub hub{f.services, f.port, ConsoleHubSettings{3, false, dir.string()}};
    f.services.hub = &hub;
    hub.on_guest_logon(uid("ALICE"));
    for (const char* l : {"l1", "l2", "l3"}) {
        hub.on_console_output(uid("ALICE"), l);
    }
    CHECK_FALSE(std::filesystem::exists(dir / "ALICE.log")); // console_log = no

    hub.reconfigure(1, true); // the running guest keeps one line and starts a log
    hub.on_console_output(uid("ALICE"), "l4");
    Client c(f.io, f.backend);
    hub.on_client_frame(*c.session, f.op, ClientConsoleAttach{uid("ALICE"), AttachMode::writer, true});
    CHECK(c.frames() == Frames{"attached writer", "out l4", "skipped 3"});
    auto log_text = [&] {
        std::ifstream in(dir / "ALICE.log");
        std::stringstream ss;
        ss << in.rdbuf();
        return ss.str();
    };
    CHECK(log_text().find("*** console log started ") == 0);
    CHECK(log_text().find("\nl4\n") != std::string::npos);
    CHECK(log_text().find("l3") == std::string::npos); // lines before the reload are not logged

    hub.reconfigure(1, false); // stops the log and writes no more
    hub.on_console_output(uid("ALICE"), "l5");
    CHECK(log_text().find("*** console log stopped ") != std::string::npos);
    CHECK(log_text().find("l5") == std::string::npos);

    hub.on_guest_logon(uid("BOB")); // a guest logged on later gets the new bound
    for (const char* l : {"b1", "b2"}) {
        hub.on_console_output(uid("BOB"), l);
    }
    Client b(f.io, f.backend);
    hub.on_client_frame(*b.session, f.op, ClientConsoleAttach{uid("BOB"), AttachMode::writer, true});
    CHECK(b.frames() == Frames{"attached writer", "out b2", "skipped 1"});
    CHECK_FALSE(std::filesystem::exists(dir / "BOB.log"));
    std::filesystem::remove_all(dir);
}

} // TEST_SUITE
