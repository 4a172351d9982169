// SPDX-License-Identifier: MIT
// The daemon's event loop: start-up (banner, autolog, READY), signals
// (SIGTERM/SIGINT shut down, SIGHUP reloads, SIGCHLD reaps), the watchdog,
// and the orderly shutdown that ends run() with exit status 0.
#include "daemon/daemon.hpp"

#include "control/identity.hpp"
#include "config/reload_options.hpp"
#include "messages/logmsg_store.hpp"

#include "cpd/ipc/log.hpp"
#include "cpd/proto/version.hpp"

#include <algorithm>
#include <csignal>
#include <filesystem>

#include <boost/asio/post.hpp>
#include <unistd.h>

namespace cpd::daemon {
namespace asio = boost::asio;

Daemon::Daemon(Options options, Directory directory, ListenSocket socket, Notifier notifier,
               std::vector<std::string> argv, GuestIsolation isolation, HelperProcess helper)
    : options_(std::move(options)), directory_(std::move(directory)), socket_(std::move(socket)),
      notifier_(std::move(notifier)), argv_(std::move(argv)),
      default_console_(options_.console_replay_lines), console_(&default_console_),
      isolation_(std::move(isolation)),
      links_(options_.state_dir,
             [this](const proto::Userid& id) { return isolation_.uid_of(id); },
             isolation_.separate_uids()),
      supervisor_(io_, options_, isolation_, links_,
                  Supervisor::Hooks{
                      [this](const std::shared_ptr<Guest>& g) {
                          console_->on_guest_logon(g->userid);
                          router_.attach(g);
                          restarter_.on_logon(g->userid);
                          // z/VM's logon line for a user with spool files
                          // ("FILES: 0002 RDR,   NO PRT,   NO PUN"); none: no line.
                          if (const std::string f = spool_.files_line(g->userid);
                              f != "FILES:   NO RDR,   NO PRT,   NO PUN") {
                              router_.notify_guest(g->userid, proto::CpMessage{f});
                          }
                      },
                      [this](Guest& g, proto::CloseReason reason, const std::string& why) {
                          router_.detach(g);
                          spool_.abandon(&g); // an unclosed punch or printer file is purged
                          console_->on_guest_gone(g.userid, reason, why);
                          restarter_.on_end(g.userid, g.end);
                      },
                      [this] {
                          if (!stopping_) {
                              notifier_.status(status_text());
                          }
                      },
                      [this](Guest& g) { router_.drain_last_words(g); }},
                  std::move(helper)),
      router_(io_, supervisor_.guests(), default_console_, *this, *this),
      server_(io_, socket_.fd.release(), *this, fitted_client_limits()), signals_(io_),
      watchdog_(io_), finish_timer_(io_), autolog_timer_(io_) {
    router_.set_iucv_handler(&iucv_);
    router_.set_spool_sink(&spool_frames_);
    spool_.set_known([this](const proto::Userid& id) { return entry(id) != nullptr; });
    spool_.set_notify([this](const SpoolFile& f, const std::string& message) {
        // SET IMSG OFF hides the arrival message; the file and the program's
        // ReaderFileArrived still come (z/VM: IMSG governs the text only).
        const MessageSwitches* s = switches(f.owner);
        spool_frames_.on_arrival(f, message, s == nullptr || s->imsg != MessageSwitch::off);
    });
    spool_.load();
    logmsg_ = LogmsgStore(options_.state_dir).load();
    // New $STATE/disks/ minidisks take their first files from disks/ beside
    // the user directory (cpd-directory(5), "FIRST FILES OF A NEW MINIDISK").
    links_.set_seed_root(
        (std::filesystem::path(options_.directory_file).parent_path() / "disks").string());
    links_.close_unlinked_disks(directory_); // no grant of an earlier run survives
    // A disk linked or detached after logon: the guest hears of it before
    // CP's answer to the command, on the path that never drops a frame.
    links_.set_on_change([this](const proto::Userid& id, const LinkedDevice& d, bool attached) {
        const auto vdev = static_cast<std::uint16_t>(std::stoul(d.vdev, nullptr, 16));
        router_.notify_guest(id, proto::DeviceChange{vdev, attached, d.write,
                                                     attached ? d.path : std::string()});
    });
}

Daemon::~Daemon() { router_.set_iucv_handler(nullptr); }

/// cpd.conf's client limits, max_clients lowered (and logged) to what the
/// descriptor limit leaves room for.
ClientLimits Daemon::fitted_client_limits() const {
    ClientLimits limits = client_limits(options_);
    const std::uint64_t descriptors = descriptor_limit();
    if (fit_to_descriptors(limits, descriptors)) {
        CPD_LOG(warn, "cpd: max_clients ", options_.max_clients, " lowered to ",
                limits.max_clients, ": half of the descriptor limit ", descriptors);
    }
    return limits;
}

void Daemon::set_console_hub(ConsoleHub* hub) noexcept {
    console_ = hub != nullptr ? hub : &default_console_;
    router_.set_console_hub(*console_);
}

void Daemon::log_banner() const {
    CPD_LOG(info, "cpd ", proto::product_version, " starting: socket protocol ",
            proto::socket_protocol_version, ", ring protocol ", proto::ring_protocol_version,
            ", ring layout ", proto::ring_layout_version);
    CPD_LOG(info, "cpd: socket ", socket_.path, socket_.activated ? " (socket activation)" : "",
            "; rings ", options_.ring_kib, " KiB each way; guest programs in ", options_.guest_dir);
    const ClientLimits& clients = server_.budget().limits();
    CPD_LOG(info, "cpd: clients: at most ", clients.max_clients, " (", clients.max_clients_per_uid,
            " per uid), ", clients.output_bytes / 1024, " KiB of unsent output each");
    CPD_LOG(info, "cpd: directory ", options_.directory_file, " (", directory_.size(),
            " users)"); // the isolation was logged once when it was decided
    bool any_share = false;
    for (const auto& [id, e] : directory_.entries()) {
        any_share = any_share || e.share_relative.has_value();
    }
    if (any_share && !isolation_.enforces_share()) {
        CPD_LOG(warn, "cpd: SHARE is not enforced: cpd has no delegated cgroup for CPU weights");
    }
}

int Daemon::run() {
    log_banner();
    ::signal(SIGPIPE, SIG_IGN);
    for (int sig : {SIGTERM, SIGINT, SIGHUP, SIGCHLD}) {
        signals_.add(sig);
    }
    do_signals();
    server_.start();
    latency_hold_.configure(std::chrono::milliseconds(options_.latency_hold_ms));
    router_.set_latency_hold(&latency_hold_);
    if (notifier_.watchdog_usec() > 0) {
        do_watchdog();
    }
    autolog(options_.autolog, [this] {
        supervisor_.when_all_started([this] { // the autolog guests run (or could not start)
            notifier_.ready(status_text());
            CPD_LOG(info, "cpd: ready: ", status_text());
        });
    });
    io_.run();
    return exit_code_;
}

void Daemon::autolog(std::vector<std::string> userids, std::function<void()> then) {
    do_autolog(std::make_shared<std::vector<std::string>>(std::move(userids)), 0,
               std::move(then));
}

/// Gives the batch's users their uids with one sync of the uid map, instead of
/// one per logon (a first start of thousands of guests). Users not in the
/// directory get none; a failure here is reported by each logon after it.
void Daemon::assign_uids(const std::vector<std::string>& userids, std::size_t from,
                         std::size_t to) {
    std::vector<proto::Userid> batch;
    for (std::size_t i = from; i < to; ++i) {
        if (auto id = proto::Userid::parse(userids[i]); id && directory_.find(*id) != nullptr) {
            batch.push_back(*id);
        }
    }
    std::string error;
    if (!isolation_.assign_uids(batch, error)) {
        CPD_LOG(warn, "cpd: autolog: ", error);
    }
}

void Daemon::do_autolog(std::shared_ptr<std::vector<std::string>> userids, std::size_t next,
                        std::function<void()> then) {
    // A batch is about a millisecond of cpd's time: a SIGTERM or a client
    // waits for one batch at most, never for the whole list. While the spawn
    // helper is behind, the next batch waits: queued orders hold descriptors.
    constexpr std::size_t batch = 32;
    constexpr std::size_t behind = 64;
    if (!stopping_ && supervisor_.spawns_outstanding() >= behind) {
        autolog_timer_.expires_after(std::chrono::milliseconds(2));
        autolog_timer_.async_wait(
            [this, userids, next, then = std::move(then)](const boost::system::error_code& ec) mutable {
                if (!ec) {
                    do_autolog(std::move(userids), next, std::move(then));
                }
            });
        return;
    }
    const std::size_t end = std::min(userids->size(), next + batch);
    assign_uids(*userids, next, end);
    for (; next < end && !stopping_; ++next) {
        const std::string& name = (*userids)[next];
        auto id = proto::Userid::parse(name);
        if (!id) {
            continue;
        }
        CpOutcome r = supervisor_.logon(*id, directory_, "AUTOLOG");
        if (r.rc != proto::CpRc::ok) {
            CPD_LOG(error, "cpd: autolog ", name, ": ", r.text);
        }
    }
    if (stopping_) {
        CPD_LOG(info, "cpd: autolog stopped by the shutdown: ", userids->size() - next,
                " users not logged on");
        return;
    }
    if (next < userids->size()) {
        asio::post(io_, [this, userids, next, then = std::move(then)]() mutable {
            do_autolog(std::move(userids), next, std::move(then));
        });
        return;
    }
    if (then) {
        then();
    }
}

void Daemon::do_signals() {
    signals_.async_wait([this](const boost::system::error_code& ec, int sig) {
        if (ec) {
            return;
        }
        on_signal(sig);
        do_signals();
    });
}

void Daemon::on_signal(int sig) {
    switch (sig) {
    case SIGCHLD: supervisor_.reap_children(); break;
    case SIGHUP: reload(); break;
    default:
        if (stopping_) { // a second SIGTERM/SIGINT: no more grace
            CPD_LOG(warn, "cpd: ", sig == SIGINT ? "SIGINT" : "SIGTERM",
                    " again: killing the remaining guests");
            for (const auto& [id, g] : supervisor_.guests()) {
                supervisor_.kill_guest(*g, "shutdown without grace");
            }
        } else {
            begin_shutdown(sig == SIGINT ? "SIGINT" : "SIGTERM");
        }
    }
}

/// Starts re-reading cpd.conf and the directory (ConfigReload reads and parses
/// them in slices, so routing goes on meanwhile); apply_reload takes the result.
void Daemon::reload() {
    if (stopping_) {
        return;
    }
    notifier_.reloading();
    if (reload_.request()) {
        CPD_LOG(info, "cpd: SIGHUP: reloading ", options_.directory_file);
    } else {
        CPD_LOG(info, "cpd: SIGHUP during a reload: reading the files again when it ends");
    }
}

/// Applies a completed reload, or keeps the old configuration on any error.
/// What can change at run time is applied (see take_reloadable); the rest is named.
void Daemon::apply_reload(ReloadResult& result) {
    if (!result.ok()) {
        for (const auto& e : result.errors) {
            CPD_LOG(error, "cpd: reload: ", e);
        }
        CPD_LOG(error, "cpd: reload failed; the old cpd.conf and directory stay in force");
    } else {
        for (const auto& w : result.dir.warning_lines()) {
            CPD_LOG(warn, "cpd: reload: ", w);
        }
        OptionsResult& parsed = result.parsed;
        directory_ = std::move(result.dir.directory);
        ++directory_generation_;
        links_.close_unlinked_disks(directory_); // its new disks start closed
        router_.directory_reloaded(); // listening clients may now act as another userid
        std::vector<std::string> added;
        for (const auto& id : parsed.options.autolog) {
            if (std::find(options_.autolog.begin(), options_.autolog.end(), id) ==
                options_.autolog.end()) {
                added.push_back(id);
            }
        }
        for (const auto& name : take_reloadable(options_, parsed.options)) {
            CPD_LOG(warn, "cpd: reload: ", name, " changed; it takes effect when cpd restarts");
        }
        ipc::LogLevel level = ipc::log_level();
        ipc::parse_log_level(options_.log_level, level);
        ipc::set_log_level(level);
        console_->reconfigure(options_.console_replay_lines, options_.console_log);
        latency_hold_.configure(std::chrono::milliseconds(options_.latency_hold_ms));
        server_.set_limits(fitted_client_limits());
        CPD_LOG(info, "cpd: reload: directory has ", directory_.size(), " users");
        autolog(added);
    }
    notifier_.ready(status_text());
}

void Daemon::begin_shutdown(std::string_view by) {
    if (stopping_) {
        return;
    }
    stopping_ = true;
    reload_.cancel(); // a half-read configuration is of no use now
    std::size_t n = supervisor_.guests().size();
    notifier_.stopping("shutting down " + std::to_string(n) + " guests");
    CPD_LOG(info, "cpd: shutdown by ", by, ": logging off ", n, " guests (grace ",
            options_.grace_seconds, " s)");
    server_.stop_accepting();
    restarter_.stop();
    supervisor_.shutdown([this] { finish(); });
}

/// Everyone is gone: let replies drain briefly, close clients, stop the loop.
void Daemon::finish() {
    const RouterTotals& t = router_.totals();
    const IucvTotals iucv = iucv_.paths().totals();
    CPD_LOG(info, "cpd: all guests logged off; routed ", t.routed, ", dropped ", t.dropped,
            ", refused ", t.refused, ", wakeups ", t.wakeups, "; IUCV paths ", iucv.connects,
            ", messages ", iucv.messages, ", bytes ", iucv.bytes);
    finish_timer_.expires_after(std::chrono::milliseconds(50));
    finish_timer_.async_wait([this](const boost::system::error_code&) {
        server_.close_all();
        boost::system::error_code ignored;
        signals_.cancel(ignored);
        watchdog_.cancel();
        if (!socket_.activated && !socket_.path.empty()) {
            ::unlink(socket_.path.c_str());
        }
        CPD_LOG(info, "cpd: stopped");
        exit_code_ = 0;
        io_.stop();
    });
}

void Daemon::do_watchdog() {
    notifier_.watchdog();
    watchdog_.expires_after(std::chrono::microseconds(notifier_.watchdog_usec() / 2));
    watchdog_.async_wait([this](const boost::system::error_code& ec) {
        if (!ec) {
            do_watchdog();
        }
    });
}

std::string Daemon::status_text() const {
    std::size_t n = supervisor_.guests().size();
    return std::to_string(n) + (n == 1 ? " guest" : " guests") + " logged on";
}

} // namespace cpd::daemon
