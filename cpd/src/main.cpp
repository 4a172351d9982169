// SPDX-License-Identifier: MIT
// cpd's entry point, a recipe: read cpd.conf and the directory, get the
// control socket, build the Daemon and run it. Every start-up failure ends
// here with its sysexits code: 64 usage, 78 configuration, 71 OS error.
#include "config/startup_config.hpp"
#include "console/console_attach.hpp"
#include "daemon/daemon.hpp"
#include "isolation/daemon_process.hpp"
#include "isolation/guest_isolation.hpp"
#include "service/listen_fds.hpp"
#include "minidisks/disk_directory.hpp"
#include "service/notify.hpp"
#include "spawner/spawn_helper.hpp"

#include "cpd/ipc/log.hpp"

#include <cstdio>
#include <exception>
#include <string>
#include <vector>

namespace {

constexpr int ex_config = 78;
constexpr int ex_oserr = 71;
constexpr int ex_software = 70;
constexpr int ex_tempfail = 75;

/// Prints every start-up problem as "cpd: error: ..." on stderr.
void report(const std::vector<std::string>& errors) {
    for (const auto& e : errors) {
        std::fprintf(stderr, "cpd: error: %s\n", e.c_str());
    }
}

int run(int argc, char** argv, cpd::daemon::HelperProcess helper) {
    using namespace cpd::daemon;
    StartupConfig config = read_startup_config(argc, argv); // both files, every problem
    if (!config.run) {
        std::fputs(config.output.c_str(), stdout);
        report(config.errors);
        return config.exit_code;
    }
    Options& options = config.options;
    DirectoryParseResult& dir = config.dir;
    cpd::ipc::LogLevel level{};
    cpd::ipc::parse_log_level(options.log_level, level);
    cpd::ipc::set_log_level(level);
    for (const auto& w : dir.warning_lines()) {
        CPD_LOG(warn, "cpd: ", w);
    }

    Notifier notifier = Notifier::from_environment();
    ListenSocket socket = take_activated_socket();
    if (!socket.fd && socket.error.empty()) {
        socket = bind_control_socket(options.socket_path, options.socket_mode,
                                     options.socket_group);
    }
    if (!socket.fd) {
        report({socket.error});
        return ex_oserr;
    }
    if (auto problem = prepare_disk_area(options.state_dir, GuestIsolation::can_separate());
        !problem.empty()) {
        report({problem});
        return ex_oserr;
    }
    GuestIsolation isolation; // also drops the capabilities cpd does not use
    if (auto problems = isolation.start(options); !problems.empty()) {
        report(problems);
        return isolation.range_busy() ? ex_tempfail : ex_config;
    }
    // CPD_SOCKET and CPD_CONFIG stay set: a SIGHUP re-reads them (guests never
    // see them, spawn_guest builds their environment from scratch).

    ConsoleHubSettings console{options.console_replay_lines, options.console_log,
                               options.state_dir + "/console"};
    Daemon daemon(std::move(options), std::move(dir.directory), std::move(socket),
                  std::move(notifier), std::vector<std::string>(argv, argv + argc),
                  std::move(isolation), std::move(helper));
    AttachingConsoleHub consoles(daemon, daemon.router(), std::move(console));
    daemon.set_console_hub(&consoles);
    const int status = daemon.run();
    daemon.set_console_hub(nullptr);
    return status;
}

} // namespace

int main(int argc, char** argv) {
    cpd::daemon::prepare_daemon_process();
    // Before anything is read: every guest is forked from this small copy.
    cpd::daemon::HelperProcess helper = cpd::daemon::start_spawn_helper();
    try {
        return run(argc, argv, std::move(helper));
    } catch (const std::exception& e) {
        std::fprintf(stderr, "cpd: error: %s\n", e.what());
        return ex_software;
    }
}
