// SPDX-License-Identifier: MIT
// Daemon: the one io_context and everything that runs on it (supervisor,
// router, control server, signals, sd_notify, watchdog). It is also the
// CpServices that commands act on and the ControlBackend sessions talk to.
// One thread; nothing here blocks.
#pragma once

#include "control/commands/cp_services.hpp"
#include "config/config_reload.hpp"
#include "console/console_hub.hpp"
#include "control/clients/client_limits.hpp"
#include "service/cpu_latency_hold.hpp"
#include "control/control_server.hpp"
#include "control/control_session.hpp"
#include "config/directory/directory.hpp"
#include "isolation/guest_isolation.hpp"
#include "routing/iucv/iucv_service.hpp"
#include "guests/lifecycle/operator_messages.hpp"
#include "guests/lifecycle/restarter.hpp"
#include "messages/messenger.hpp"
#include "service/listen_fds.hpp"
#include "minidisks/minidisk_links.hpp"
#include "service/notify.hpp"
#include "config/options.hpp"
#include "routing/router.hpp"
#include "guests/supervisor.hpp"
#include "spool/spool_frames.hpp"
#include "spool/spool_service.hpp"

#include <cstdint>
#include <functional>
#include <ctime>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

namespace cpd::daemon {

/// The running daemon.
class Daemon : public CpServices, public ControlBackend, private GuestControl, private GuestCommands,
               private RestartTarget, private MessagePort {
public:
    /// Takes a loaded directory, a listening socket and the isolation decided
    /// at start; `argv` is kept for SIGHUP.
    /// `helper`: the spawn helper main forked before it read anything.
    Daemon(Options options, Directory directory, ListenSocket socket, Notifier notifier,
           std::vector<std::string> argv, GuestIsolation isolation, HelperProcess helper = {});
    ~Daemon() override;

    /// Logs on the autolog guests, says READY and runs until shut down; returns the exit status.
    int run();

    /// The console hub in use (default: buffering only). Not owned when replaced.
    void set_console_hub(ConsoleHub* hub) noexcept;
    /// The router (for wiring an IUCV handler).
    Router& router() noexcept { return router_; }

    // CpServices
    std::vector<GuestInfo> guests() const override;
    StatsTotals totals() const override;
    std::vector<IucvPathRow> iucv_paths(const proto::Userid* only) const override;
    std::optional<IucvTotals> iucv_totals() const override;
    const DirectoryEntry* entry(const proto::Userid& userid) const override;
    std::vector<const DirectoryEntry*> directory_entries() const override;
    CpOutcome logon(const proto::Userid& userid, const proto::Userid& by) override;
    CpOutcome logoff(const proto::Userid& userid, const proto::Userid& by, bool force) override;
    CpOutcome smsg(const proto::Userid& from, const proto::Userid& to,
                   std::string_view text) override;
    CpOutcome set_smsg(const proto::Userid& userid, bool on) override;
    CpOutcome shutdown(const proto::Userid& by) override;
    std::string last_end(const proto::Userid& userid) const override;
    CpOutcome set_crashmsg(const proto::Userid& userid, bool on) override;
    CpOutcome link(const proto::Userid& linker, std::string_view operands) override;
    CpOutcome detach(const proto::Userid& linker, std::string_view operands) override;
    CpOutcome query_virtual_dasd(const proto::Userid& linker,
                                 std::optional<std::string> only) const override;
    CpOutcome query_links(const proto::Userid& owner,
                          std::optional<std::string> only) const override;
    // CpServices: messages and the everyday QUERY, SET and INDICATE (daemon_messages.cpp)
    CpOutcome message(const proto::Userid& from, const proto::Userid& to,
                      proto::MessageKind kind, std::string_view text) override;
    CpOutcome message_all(const proto::Userid& from, proto::MessageKind kind,
                          std::string_view text) override;
    std::optional<MessageSwitches> message_switches(const proto::Userid& userid,
                                                    bool* smsg_on) const override;
    CpOutcome set_message_switches(const proto::Userid& userid,
                                   const MessageSwitches& switches) override;
    std::vector<std::string> logmsg() const override { return logmsg_; }
    void set_logmsg(std::vector<std::string> lines, const proto::Userid& by) override;
    std::optional<GuestUsage> usage(const proto::Userid& userid) const override;
    HostLoad host_load() const override;
    SystemInfo system_info() const override;
    SpoolService* spool() override { return &spool_; }

    // ControlBackend
    std::optional<Caller> identify(uid_t uid) override;
    std::uint64_t directory_generation() const override { return directory_generation_; }
    CpOutcome command(const Caller& caller, std::string_view line) override;
    CpOutcome smsg(const Caller& caller, const proto::Userid& to, std::string_view text) override;
    void listen(const proto::Userid& userid, SmsgListener* listener) override;
    void unlisten(SmsgListener* listener) override;
    bool console_frame(ControlSession& session, const Caller& caller,
                       const proto::ClientFrame& frame) override;
    bool spool_frame(ControlSession& session, const Caller& caller, std::uint16_t type,
                     std::span<const std::byte> payload) override {
        return spool_frames_.on_client_frame(session, caller, type, payload);
    }
    void session_ended(ControlSession& session) override { spool_.abandon(&session); }

private:
    ClientLimits fitted_client_limits() const;
    void log_banner() const;
    /// Logs `userids` on in batches, one batch per turn of the loop, so
    /// signals and SHUTDOWN are served meanwhile; calls `then` after the last.
    void autolog(std::vector<std::string> userids, std::function<void()> then = {});
    void assign_uids(const std::vector<std::string>& userids, std::size_t from, std::size_t to);
    void do_autolog(std::shared_ptr<std::vector<std::string>> userids, std::size_t next,
                    std::function<void()> then);
    void do_signals();
    void on_signal(int sig);
    void reload();
    void apply_reload(ReloadResult& result);
    void begin_shutdown(std::string_view by);
    void finish();
    void do_watchdog();
    std::string status_text() const;

    // GuestControl and GuestCommands: what the Router asks of the daemon.
    void force_off(Guest& guest, std::string_view reason) override;
    void logoff_requested(Guest& guest) override;
    void panicked(Guest& guest, std::string_view what) override;
    GuestCommandResult run_for_guest(Guest& guest, std::string_view text) override;

    // RestartTarget
    const RestartPolicy* restart_policy(const proto::Userid& userid) const override;
    CpOutcome restart_logon(const proto::Userid& userid) override;
    void operator_message(const std::string& text) override;

    // MessagePort (daemon_messages.cpp)
    const MessageSwitches* switches(const proto::Userid& userid) const override;
    std::vector<proto::Userid> logged_on() const override;
    bool deliver(const proto::Userid& userid, const proto::MessageDeliver& frame) override;
    void write_console(const proto::Userid& userid, std::string_view line) override;

    boost::asio::io_context io_;
    /// Before router_, which keeps a pointer to it.
    CpuLatencyHold latency_hold_{io_};
    Options options_;
    Directory directory_;
    ListenSocket socket_;
    Notifier notifier_;
    std::vector<std::string> argv_;
    BufferingConsoleHub default_console_;
    ConsoleHub* console_;
    GuestIsolation isolation_;
    MinidiskLinks links_;
    Supervisor supervisor_;
    Router router_;
    /// IUCV; declared after router_ and directory_, which it keeps references to
    /// (so SIGHUP assigns into directory_ rather than replacing it).
    IucvService iucv_{router_, directory_};
    /// The spool (readers, punches, printers) and its frames on rings and sockets.
    SpoolService spool_{options_.state_dir, std::uint64_t{options_.spool_mib} << 20};
    SpoolFrames spool_frames_{io_, spool_, router_};
    /// Who asked for crash messages (SET CRASHMSG).
    OperatorMessages crash_messages_;
    /// Last ends and restarts; told by supervisor_'s hooks.
    Restarter restarter_{io_, *this};
    ControlServer server_;
    boost::asio::signal_set signals_;
    boost::asio::steady_timer watchdog_;
    boost::asio::steady_timer finish_timer_;
    boost::asio::steady_timer autolog_timer_; ///< paces autolog while the spawn helper is behind
    /// SIGHUP's reading and parsing, in slices; applied by apply_reload.
    ConfigReload reload_{io_, argv_, [this](ReloadResult& r) { apply_reload(r); }};
    /// MSG, MSGNOH, WARNING and CP's EMSG/IMSG to guests.
    Messenger messenger_{*this};
    /// SET LOGMSG's lines (kept while cpd runs).
    std::vector<std::string> logmsg_;
    /// When cpd started (QUERY CPLEVEL's "IPL at").
    std::time_t started_ = std::time(nullptr);
    /// Bumped by every reload that replaces the directory (sessions re-identify).
    std::uint64_t directory_generation_ = 0;
    bool stopping_ = false;
    int exit_code_ = 0;
};

} // namespace cpd::daemon
