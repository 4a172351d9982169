// SPDX-License-Identifier: MIT
#include "config/reload_options.hpp"

namespace cpd::daemon {

std::vector<std::string> take_reloadable(Options& running, const Options& fresh) {
    std::vector<std::string> restart_only;
    if (fresh.state_dir != running.state_dir) {
        restart_only.emplace_back("state_dir");
    }
    if (fresh.socket_path != running.socket_path) {
        restart_only.emplace_back("socket");
    }
    if (fresh.socket_mode != running.socket_mode) {
        restart_only.emplace_back("socket_mode");
    }
    if (fresh.socket_group != running.socket_group) {
        restart_only.emplace_back("socket_group");
    }
    if (fresh.guest_uid_base != running.guest_uid_base ||
        fresh.guest_uid_count != running.guest_uid_count) {
        restart_only.emplace_back("guest_uid_base/guest_uid_count");
    }
    running.sandbox = fresh.sandbox;
    running.directory_file = fresh.directory_file;
    running.autolog = fresh.autolog;
    running.grace_seconds = fresh.grace_seconds;
    running.log_level = fresh.log_level;
    running.console_replay_lines = fresh.console_replay_lines;
    running.console_log = fresh.console_log;
    running.ring_kib = fresh.ring_kib;
    running.latency_hold_ms = fresh.latency_hold_ms;
    running.guest_dir = fresh.guest_dir;
    running.max_clients = fresh.max_clients;
    running.max_clients_per_uid = fresh.max_clients_per_uid;
    running.client_output_kib = fresh.client_output_kib;
    running.client_hello_seconds = fresh.client_hello_seconds;
    running.client_frame_seconds = fresh.client_frame_seconds;
    running.client_idle_seconds = fresh.client_idle_seconds;
    running.client_write_seconds = fresh.client_write_seconds;
    return restart_only;
}

} // namespace cpd::daemon
