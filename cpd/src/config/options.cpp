// SPDX-License-Identifier: MIT
// Option parsing for cpd with Boost.Program_options. Every value is read as a
// string and validated here, so that one run reports every problem at once
// (exit 78 for the config file, 64 for the command line) instead of the first.
#include "config/options.hpp"

#include "config/bounded_file.hpp"
#include "config/diagnostic_cap.hpp"
#include "socket_path.hpp"

#include "cpd/proto/userid.hpp"
#include "cpd/proto/version.hpp"

#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <sstream>

#include <boost/program_options.hpp>
#include <unistd.h>

#ifndef CPD_DEFAULT_GUEST_DIR
#define CPD_DEFAULT_GUEST_DIR "/usr/libexec/cpd"
#endif

namespace cpd::daemon {
namespace po = boost::program_options;
namespace {

/// The keys cpd.conf and the command line share (file key, CLI name).
struct Key {
    const char* file;
    const char* cli;
    const char* help;
};
constexpr Key keys[] = {
    {"directory", "directory", "user directory file (USER DIRECT syntax)"},
    {"autolog", "autolog", "userids to log on at start (comma or blank separated)"},
    {"state_dir", "state-dir", "state directory (minidisks, console logs)"},
    {"grace_seconds", "grace-seconds", "seconds a guest has to log off before SIGKILL"},
    {"console_replay_lines", "console-replay-lines", "console lines kept per guest"},
    {"console_log", "console-log", "write per-guest console logs (yes|no)"},
    {"socket", "socket", "control socket path or unix:///path (env CPD_SOCKET)"},
    {"guest_dir", "guest-dir", "directory of the built-in guest programs"},
    {"log_level", "log-level", "error|warn|info|debug|trace"},
    {"socket_mode", "socket-mode", "octal mode of the control socket (default 0660)"},
    {"socket_group", "socket-group", "group owning the control socket"},
    {"ring_kib", "ring-kib", "KiB of data in each guest ring (power of two, >= 4)"},
    {"latency_hold_ms", "latency-hold-ms",
     "ms idle CPUs keep polling after guest traffic (0 = never poll)"},
    {"guest_uid_base", "guest-uid-base", "first host uid (and gid) of the guests' own ids"},
    {"guest_uid_count", "guest-uid-count", "how many guest uids there are"},
    {"sandbox", "sandbox", "Landlock and seccomp for every guest (yes|no)"},
    {"max_clients", "max-clients", "control-socket clients at once (default 1024)"},
    {"max_clients_per_uid", "max-clients-per-uid", "clients at once per host uid (default 64)"},
    {"client_output_kib", "client-output-kib", "KiB of unsent output per client (default 128)"},
    {"client_hello_seconds", "client-hello-seconds", "s to send a first request (0 = no limit)"},
    {"client_frame_seconds", "client-frame-seconds", "s to finish a started request (0 = no limit)"},
    {"client_idle_seconds", "client-idle-seconds", "s a command client may idle (0 = no limit)"},
    {"client_write_seconds", "client-write-seconds", "s a client may leave output unread (0 = no limit)"},
    {"spool_mib", "spool-mib", "MiB of spool space for all spool files (default 1024)"},
};

using Values = std::map<std::string, std::string>; // by file key

/// Parses an unsigned decimal in [lo, hi].
std::optional<std::uint32_t> parse_uint(std::string_view t, std::uint32_t lo, std::uint32_t hi) {
    std::uint32_t v = 0;
    auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (ec != std::errc{} || p != t.data() + t.size() || t.empty() || v < lo || v > hi) {
        return std::nullopt;
    }
    return v;
}

/// Reads cpd.conf (INI, top-level keys); unknown keys become errors. The file
/// is read through BoundedFile: a FIFO, a device or a huge file is refused.
void read_config(const std::string& path, Values& out, std::vector<std::string>& errors) {
    BoundedFile file(path, max_config_file_bytes, "config file");
    if (!file.read_all()) {
        errors.push_back(path + ": " + file.problem());
        return;
    }
    std::istringstream in(file.take_text());
    po::options_description desc;
    for (const Key& k : keys) {
        desc.add_options()(k.file, po::value<std::string>());
    }
    try {
        po::parsed_options parsed = po::parse_config_file(in, desc, true);
        for (const po::option& o : parsed.options) {
            if (o.unregistered) {
                errors.push_back(path + ": unknown setting '" + o.string_key + "'");
            } else if (!o.value.empty()) {
                out.emplace(o.string_key, o.value.front()); // first wins
            }
        }
    } catch (const po::error& e) {
        errors.push_back(path + ": " + e.what());
    }
}

/// Makes `p` absolute relative to the directory of the config file.
std::string relative_to(const std::string& p, const std::string& config_file) {
    if (p.empty() || p.front() == '/' || config_file.empty()) {
        return p;
    }
    return (std::filesystem::path(config_file).parent_path() / p).lexically_normal().string();
}

/// Finds the guest program directory when none was given.
std::string default_guest_dir() {
    std::error_code ec;
    if (std::filesystem::is_directory(CPD_DEFAULT_GUEST_DIR, ec)) {
        return CPD_DEFAULT_GUEST_DIR;
    }
    auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        for (const char* rel : {"../guest-programs", "../libexec/cpd", "../lib/cpd"}) {
            auto p = (exe.parent_path() / rel).lexically_normal();
            if (std::filesystem::is_directory(p, ec)) {
                return p.string();
            }
        }
    }
    return CPD_DEFAULT_GUEST_DIR;
}

/// Turns the merged strings into Options, collecting every problem.
void apply(const Values& v, bool is_root, EnvLookup env, OptionsResult& r) {
    Options& o = r.options;
    auto get = [&](const char* k) -> const std::string* {
        auto it = v.find(k);
        return it == v.end() ? nullptr : &it->second;
    };
    auto num = [&](const char* k, std::uint32_t lo, std::uint32_t hi, std::uint32_t& dst) {
        if (const auto* s = get(k)) {
            if (auto n = parse_uint(*s, lo, hi)) {
                dst = *n;
            } else {
                r.errors.push_back(std::string(k) + ": '" + *s + "' is not a number from " +
                                   std::to_string(lo) + " to " + std::to_string(hi));
            }
        }
    };
    if (const auto* s = get("directory")) {
        o.directory_file = *s;
    } else if (is_root && std::filesystem::exists("/etc/cpd/user.direct")) {
        o.directory_file = "/etc/cpd/user.direct";
    } else {
        r.errors.push_back("no user directory: use --directory or 'directory' in cpd.conf");
    }
    if (const auto* s = get("autolog")) {
        o.autolog = parse_autolog(*s, r.errors);
    }
    if (const auto* s = get("state_dir")) {
        o.state_dir = *s;
    } else if (auto sd = env("STATE_DIRECTORY"); sd && sd->starts_with('/')) {
        o.state_dir = sd->substr(0, sd->find(':')); // systemd's StateDirectory=
    } else if (is_root) {
        o.state_dir = "/var/lib/cpd";
    } else {
        auto home = env("HOME");
        auto xdg = env("XDG_STATE_HOME");
        o.state_dir = xdg ? *xdg + "/cpd" : (home ? *home : std::string("/tmp")) + "/.local/state/cpd";
    }
    num("grace_seconds", 0, 3600, o.grace_seconds);
    num("console_replay_lines", 0, 1000000, o.console_replay_lines);
    num("ring_kib", 4, 1u << 20, o.ring_kib);
    num("latency_hold_ms", 0, 60000, o.latency_hold_ms);
    num("guest_uid_base", 1, 0x7FFFFFFF, o.guest_uid_base);
    num("guest_uid_count", 1, 0x1000000, o.guest_uid_count);
    num("max_clients", 1, 1000000, o.max_clients);
    num("max_clients_per_uid", 1, 1000000, o.max_clients_per_uid);
    num("client_output_kib", 16, 65536, o.client_output_kib);
    num("client_hello_seconds", 0, 86400, o.client_hello_seconds);
    num("client_frame_seconds", 0, 86400, o.client_frame_seconds);
    num("client_idle_seconds", 0, 86400, o.client_idle_seconds);
    num("client_write_seconds", 0, 86400, o.client_write_seconds);
    num("spool_mib", 1, 16u << 20, o.spool_mib);
    if (std::uint64_t{o.guest_uid_base} + o.guest_uid_count > 0x80000000ULL) {
        r.errors.push_back("guest_uid_base + guest_uid_count must not pass 2147483648");
    }
    if ((o.ring_kib & (o.ring_kib - 1)) != 0) {
        r.errors.push_back("ring_kib: " + std::to_string(o.ring_kib) + " is not a power of two");
    }
    auto flag = [&](const char* k, bool& dst) {
        if (const auto* s = get(k)) {
            if (*s == "yes" || *s == "true" || *s == "1" || *s == "on") {
                dst = true;
            } else if (*s == "no" || *s == "false" || *s == "0" || *s == "off") {
                dst = false;
            } else {
                r.errors.push_back(std::string(k) + ": '" + *s + "' is not yes or no");
            }
        }
    };
    flag("console_log", o.console_log);
    flag("sandbox", o.sandbox);
    if (const auto* s = get("socket")) {
        const auto bad = common::parse_socket_address(*s, o.socket_path);
        if (bad != common::SocketAddressError::none) {
            r.errors.push_back("socket: '" + *s + "' " + common::describe(bad));
        }
    } else if (auto rd = env("RUNTIME_DIRECTORY"); rd && rd->starts_with('/')) {
        o.socket_path = rd->substr(0, rd->find(':')) + "/cpd.sock"; // systemd's RuntimeDirectory=
    } else {
        o.socket_path = default_socket_path(is_root, env);
    }
    o.guest_dir = get("guest_dir") ? *get("guest_dir") : default_guest_dir();
    if (const auto* s = get("log_level")) {
        o.log_level = *s;
        if (*s != "error" && *s != "warn" && *s != "info" && *s != "debug" && *s != "trace") {
            r.errors.push_back("log_level: '" + *s + "' is not error, warn, info, debug or trace");
        }
    }
    if (const auto* s = get("socket_mode")) {
        if (auto m = parse_mode(*s)) {
            o.socket_mode = *m;
        } else {
            r.errors.push_back("socket_mode: '" + *s + "' is not an octal mode such as 0660");
        }
    }
    if (const auto* s = get("socket_group")) {
        o.socket_group = *s;
    } else if (is_root) {
        o.socket_group = "cpd"; // the service group, when it exists: root:cpd 0660
    } // a personal cpd's socket stays its user's: it may not chgrp to a group it is not in
}

/// The usage text.
std::string usage(const po::options_description& desc) {
    std::ostringstream s;
    s << "Usage: cpd [options]\n"
         "The Control Program daemon: runs VM guests as processes and routes SMSG,\n"
         "IUCV and console traffic between them and the shell tools.\n\n"
      << desc
      << "\nExit status: 0 clean stop, 64 usage error, 71 OS error at start,\n"
         "78 configuration error (cpd.conf or user directory).\n";
    return s.str();
}

} // namespace

std::optional<std::string> real_env(const char* name) {
    const char* v = std::getenv(name);
    if (v == nullptr) {
        return std::nullopt;
    }
    return std::string(v);
}

// The rule itself is shared with the tools (cpd/common/socket_path.hpp).
std::string default_socket_path(bool is_root, EnvLookup env) {
    const auto xdg = env("XDG_RUNTIME_DIR");
    return common::default_socket_path(is_root, xdg ? std::optional<std::string_view>(*xdg)
                                                    : std::nullopt);
}

std::optional<std::uint32_t> parse_mode(std::string_view text) {
    std::uint32_t v = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v, 8);
    if (ec != std::errc{} || p != text.data() + text.size() || text.empty() || v > 0777) {
        return std::nullopt;
    }
    return v;
}

std::vector<std::string> parse_autolog(std::string_view text, std::vector<std::string>& errors) {
    std::vector<std::string> out;
    std::string word;
    auto flush = [&] {
        if (word.empty()) {
            return;
        }
        if (auto u = proto::Userid::parse(word)) {
            out.emplace_back(u->str());
        } else {
            errors.push_back("autolog: '" + word + "' is not a valid userid");
        }
        word.clear();
    };
    for (char c : text) {
        if (c == ',' || c == ' ' || c == '\t') {
            flush();
        } else {
            word.push_back(c);
        }
    }
    flush();
    return out;
}

OptionsResult parse_options(int argc, const char* const* argv, EnvLookup env) {
    OptionsResult r;
    po::options_description desc("Options");
    desc.add_options()("help,h", "show this help and exit")("version,V", "show the version")(
        "config,c", po::value<std::string>(), "config file (INI; env CPD_CONFIG)");
    for (const Key& k : keys) {
        desc.add_options()(k.cli, po::value<std::string>(), k.help);
    }
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(argc, argv).options(desc).run(), vm);
    } catch (const po::error& e) {
        r.action = OptionsResult::Action::exit;
        r.exit_code = 64;
        r.errors.push_back(std::string(e.what()) + " (try --help)");
        return r;
    }
    if (vm.count("help") != 0U) {
        r.action = OptionsResult::Action::exit;
        r.output = usage(desc);
        return r;
    }
    if (vm.count("version") != 0U) {
        r.action = OptionsResult::Action::exit;
        std::ostringstream s;
        s << "cpd " << proto::product_version << " (socket protocol "
          << proto::socket_protocol_version << ", ring protocol " << proto::ring_protocol_version
          << ", ring layout " << proto::ring_layout_version << ")\n";
        r.output = s.str();
        return r;
    }
    Values merged; // first stored wins: CLI, then environment, then file
    for (const Key& k : keys) {
        if (vm.count(k.cli) != 0U) {
            merged.emplace(k.file, vm[k.cli].as<std::string>());
        }
    }
    if (auto s = env("CPD_SOCKET"); s && !s->empty()) {
        merged.emplace("socket", *s);
    }
    std::string config;
    if (vm.count("config") != 0U) {
        config = vm["config"].as<std::string>();
    } else if (auto c = env("CPD_CONFIG"); c && !c->empty()) {
        config = *c;
    } else if (::geteuid() == 0 && std::filesystem::exists("/etc/cpd/cpd.conf")) {
        config = "/etc/cpd/cpd.conf";
    }
    if (!config.empty()) {
        Values from_file;
        read_config(config, from_file, r.errors);
        for (const char* k : {"directory", "state_dir", "guest_dir"}) {
            if (auto it = from_file.find(k); it != from_file.end()) {
                it->second = relative_to(it->second, config);
            }
        }
        merged.insert(from_file.begin(), from_file.end());
    }
    r.options.config_file = config;
    apply(merged, ::geteuid() == 0, env, r);
    cap_diagnostics(r.errors, "errors");
    if (!r.errors.empty()) {
        r.action = OptionsResult::Action::exit;
        r.exit_code = 78;
    }
    return r;
}

} // namespace cpd::daemon
