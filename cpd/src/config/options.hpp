// SPDX-License-Identifier: MIT
// The daemon's settings: command line, CPD_SOCKET / CPD_CONFIG and an INI
// cpd.conf, merged with precedence CLI > environment > file > default. Pure
// parsing and validation; nothing here opens a socket or starts a guest.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cpd::daemon {

/// Everything cpd needs to know before it starts.
struct Options {
    std::string config_file;          ///< "" if none
    std::string directory_file;       ///< the user directory (required)
    std::vector<std::string> autolog; ///< userids logged on at start (upper case)
    std::string state_dir;            ///< minidisks, console logs
    std::string socket_path;          ///< control socket path (no "unix://")
    std::string guest_dir;            ///< where cpd-guest-<name> programs live
    std::string log_level = "info";
    std::uint32_t grace_seconds = 5;  ///< LOGOFF/FORCE/shutdown grace before SIGKILL
    std::uint32_t console_replay_lines = 1000;
    bool console_log = false;         ///< write per-guest console logs under state_dir
    std::uint32_t socket_mode = 0660; ///< chmod of a socket cpd binds itself
    std::string socket_group;         ///< chgrp of that socket ("" = leave; root's default: cpd)
    std::uint32_t ring_kib = 1024;    ///< data bytes of each guest ring, in KiB
    std::uint32_t latency_hold_ms = 20; ///< CPU latency hold after traffic (0 = off)
    std::uint32_t guest_uid_base = 0x70000000; ///< first host uid/gid of the guests
    std::uint32_t guest_uid_count = 65536;     ///< size of that range
    bool sandbox = true;              ///< Landlock + seccomp for guests (no: debugging, benchmarks)
    std::uint32_t max_clients = 1024;          ///< control-socket sessions at once (all uids)
    std::uint32_t max_clients_per_uid = 64;    ///< control-socket sessions at once per host uid
    std::uint32_t client_output_kib = 128;     ///< unsent output a session may hold, KiB
    std::uint32_t client_hello_seconds = 10;   ///< connect to first request (0 = no limit)
    std::uint32_t client_frame_seconds = 10;   ///< first to last byte of a request (0 = no limit)
    std::uint32_t client_idle_seconds = 300;   ///< command session without requests (0 = no limit)
    std::uint32_t client_write_seconds = 30;   ///< unsent output without progress (0 = no limit)
    std::uint32_t spool_mib = 1024;            ///< spool space: MiB of spool files in all
};

/// What parse_options decided.
struct OptionsResult {
    enum class Action { run, exit } action = Action::run;
    int exit_code = 0;                ///< when action == exit: 0 (help/version), 64, 78
    std::string output;               ///< text for stdout (help, version)
    std::vector<std::string> errors;  ///< every problem found, for stderr
    Options options;
};

/// Environment lookups, replaceable in tests.
using EnvLookup = std::optional<std::string> (*)(const char* name);

/// Reads the real process environment.
std::optional<std::string> real_env(const char* name);

/// Parses argv, the environment and the config file; never throws.
OptionsResult parse_options(int argc, const char* const* argv, EnvLookup env = real_env);

/// The default control socket for a process of this uid ("/run/cpd/cpd.sock" for root).
std::string default_socket_path(bool is_root, EnvLookup env);

/// Parses an octal mode such as "0660"; nullopt unless it is 0-0777.
std::optional<std::uint32_t> parse_mode(std::string_view text);

/// Splits an autolog list ("ECHO, MAINT SINK") into upper-case userids; bad ones go to `errors`.
std::vector<std::string> parse_autolog(std::string_view text, std::vector<std::string>& errors);

} // namespace cpd::daemon
