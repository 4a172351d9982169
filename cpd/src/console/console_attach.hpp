// SPDX-License-Identifier: MIT
// AttachingConsoleHub: the daemon side of cmsconsole. Per logged-on guest it
// keeps the replay buffer, the optional console log and the attached clients
// (one writer, any number of observers); it answers attach / input / #CP /
// detach frames and forwards console lines, end markers and closes. It only
// queues on ControlSession::send, so no client can make cpd block. It counts,
// per host user and the userid they act as, how many lines each has seen, so
// an attach can replay only what that user has not seen yet.
#pragma once

#include "control/commands/cp_services.hpp"
#include "console/console_hub.hpp"
#include "console/console_log.hpp"
#include "routing/iucv/iucv_hub.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <sys/types.h>

namespace cpd::daemon {

/// What the hub needs from cpd.conf.
struct ConsoleHubSettings {
    std::size_t replay_lines = 1000; ///< console_replay_lines
    bool log = false;                ///< console_log = yes
    std::string log_dir;             ///< <state_dir>/console
};

/// The console hub that lets clients attach (see the file comment).
class AttachingConsoleHub : public ConsoleHub {
public:
    /// `services` logs guests on and runs #CP commands; `port` takes console input.
    AttachingConsoleHub(CpServices& services, GuestPort& port, ConsoleHubSettings settings);

    void on_guest_logon(const proto::Userid& userid) override;
    void on_console_output(const proto::Userid& userid, std::string_view line) override;
    void on_console_end(const proto::Userid& userid, std::int32_t rc,
                        proto::ConsoleMode mode = proto::ConsoleMode::command) override;
    void on_guest_gone(const proto::Userid& userid, proto::CloseReason reason,
                       std::string_view text) override;
    std::string terminal(const proto::Userid& userid) const override;
    bool holds_output(const proto::Userid& userid) const override;
    bool on_client_frame(ControlSession& session, const Caller& caller,
                         const proto::ClientFrame& frame) override;
    /// New replay bound for every console; logs opened or closed for running guests.
    void reconfigure(std::size_t replay_lines, bool log) override;

    /// Clients attached to `userid` whose connection is still open (for tests and STATUS).
    std::size_t attached_count(const proto::Userid& userid) const;

private:
    /// Who has seen a console's lines: a host user (uid) acting as a userid.
    using Viewer = std::pair<uid_t, proto::Userid>;
    /// One attached connection.
    struct Client {
        std::weak_ptr<ControlSession> session;
        proto::Userid caller; ///< who attached
        Viewer viewer;        ///< for the lines-seen count
        proto::ConsoleRole role = proto::ConsoleRole::observer;
    };
    /// Everything kept for one logged-on guest.
    struct Console {
        explicit Console(std::size_t replay_lines) : replay(replay_lines) {}
        ReplayBuffer replay;
        ConsoleLog log;
        std::vector<Client> clients;
        std::map<Viewer, std::uint64_t> seen; ///< lines each viewer has seen (count from logon)
        std::string terminal_id;                     ///< "CON001" while a writer is attached
        /// Who reads the guest's next line (the last end marker's): a client
        /// attaching while XEDIT holds the console learns it with the replay.
        proto::ConsoleMode mode = proto::ConsoleMode::command;
    };

    void attach(ControlSession& session, const Caller& caller, const proto::ClientConsoleAttach& a);
    void input(ControlSession& session, std::string_view line);
    void cp(ControlSession& session, std::string_view text);
    void detach(ControlSession& session);
    bool may_attach(const Caller& caller, const proto::Userid& userid) const;
    Console* ensure_logged_on(ControlSession& session, const Caller& caller,
                              const proto::ClientConsoleAttach& a);
    bool take_role(ControlSession& session, const Caller& caller, Console& console,
                   proto::AttachMode mode, proto::ConsoleRole& role);
    void send_replay(ControlSession& session, const Viewer& viewer, Console& console,
                     proto::ReplayScope scope);
    Console* console_of(ControlSession& session, const proto::Userid*& userid, Client*& client);
    void prune(Console& console);
    void broadcast(Console& console, const proto::ServerFrame& frame, const Client* except = nullptr);
    void note_seen(Console& console);

    CpServices& services_;
    GuestPort& port_;
    ConsoleHubSettings settings_;
    std::unordered_map<proto::Userid, Console> consoles_;
    unsigned next_terminal_ = 1;
};

} // namespace cpd::daemon
