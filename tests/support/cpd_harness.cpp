// SPDX-License-Identifier: MIT
// CpdHarness implementation: mkdtemp, config generation, fork+exec of cpd with
// stderr to a log file, socket polling, blocking frame I/O through libipc's
// frame_io, /proc scans for guests, and a destructor that leaves nothing behind.
#include "cpd_harness.hpp"

#include <algorithm>

#include <cctype>

#include "cpd/ipc/frame_io.hpp"

#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef CPD_TEST_CPD_BINARY
#define CPD_TEST_CPD_BINARY "cpd"
#endif
#ifndef CPD_TEST_GUEST_DIR
#define CPD_TEST_GUEST_DIR "."
#endif
#ifndef CPD_TEST_PROBE_GUEST
#define CPD_TEST_PROBE_GUEST "cpd-test-probe"
#endif

namespace cpd::test {
namespace fs = std::filesystem;

std::string cpd_binary() {
    // A benchmark may compare another build of cpd with this one.
    const char* other = std::getenv("CPD_BENCH_CPD_BINARY");
    return other != nullptr && *other != '\0' ? other : CPD_TEST_CPD_BINARY;
}
std::string guest_program_dir() { return CPD_TEST_GUEST_DIR; }
std::string probe_guest() { return CPD_TEST_PROBE_GUEST; }

bool wait_until(const std::function<bool()>& pred, std::chrono::milliseconds timeout,
                std::chrono::milliseconds poll) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!pred()) {
        if (std::chrono::steady_clock::now() >= deadline) {
            return false;
        }
        std::this_thread::sleep_for(poll);
    }
    return true;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::vector<std::string> read_lines(const std::string& path) {
    std::vector<std::string> out;
    std::ifstream in(path);
    for (std::string line; std::getline(in, line);) {
        out.push_back(line);
    }
    return out;
}

/// The state letter of /proc/<pid>/stat, or 0 if it does not exist.
static char proc_state(pid_t pid) {
    std::string stat = read_file("/proc/" + std::to_string(pid) + "/stat");
    auto p = stat.rfind(')');
    return p == std::string::npos || p + 2 >= stat.size() ? '\0' : stat[p + 2];
}

bool process_exists(pid_t pid) { return proc_state(pid) != '\0'; }

bool process_alive(pid_t pid) {
    char s = proc_state(pid);
    return s != '\0' && s != 'Z' && s != 'X';
}

std::vector<std::string> shm_entries() {
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator("/dev/shm", ec)) {
        out.push_back(e.path().filename().string());
    }
    return out;
}

// ---- Client -----------------------------------------------------------

bool Client::send(const proto::ClientFrame& frame) {
    std::vector<std::byte> bytes;
    proto::append_frame(bytes, frame);
    return send_raw(bytes);
}

bool Client::send_raw(const std::vector<std::byte>& bytes) {
    std::error_code ec;
    return ipc::write_all(fd_.get(), bytes, ec);
}

Reply Client::read(std::chrono::milliseconds timeout) {
    Reply r;
    ipc::RawFrame raw;
    std::error_code ec;
    if (!ipc::read_frame(fd_.get(), raw, ec, static_cast<int>(timeout.count()))) {
        return r;
    }
    auto f = proto::decode_server_frame(raw.type, raw.payload);
    if (!f) {
        return r;
    }
    r.type = raw.type;
    r.rc = proto::CpRc::ok;
    if (const auto* c = std::get_if<proto::ServerCpResponse>(&*f)) {
        r.rc = c->rc;
        r.text = c->text;
    } else if (const auto* e = std::get_if<proto::ServerError>(&*f)) {
        r.rc = e->rc;
        r.text = e->text;
    } else if (const auto* m = std::get_if<proto::ServerSmsgEvent>(&*f)) {
        r.from = m->from.str();
        r.text = m->text;
    }
    return r;
}

Reply Client::cp(std::string_view command) {
    if (!send(proto::ClientCpCommand{command})) {
        return {};
    }
    return read();
}

Reply Client::smsg(std::string_view to, std::string_view text) {
    auto id = proto::Userid::parse(to);
    if (!id || !send(proto::ClientSmsgSend{*id, text})) {
        return {};
    }
    return read();
}

Reply Client::listen() {
    if (!send(proto::ClientSmsgListen{})) {
        return {};
    }
    return read();
}

// ---- CpdHarness -------------------------------------------------------

CpdHarness::CpdHarness(HarnessConfig config) : config_(std::move(config)) {
    char tmpl[] = "/tmp/cpd-test-XXXXXX";
    // Each cpd of a test gets its own 256 guest uids: cpds sharing a range
    // would refuse to start (and one's guardian would end the other's guests).
    static unsigned instances = 0;
    guest_uid_base_ =
        0x70010000U + ((static_cast<unsigned>(::getpid()) % 4096U) * 16U + instances++ % 16U) * 256U;
    if (::mkdtemp(tmpl) != nullptr) {
        dir_ = tmpl;
        ::chmod(dir_.c_str(), 0711); // guests (their own uids) pass through to their disks
        if (config_.dir_uid >= 0 && ::chown(dir_.c_str(), static_cast<uid_t>(config_.dir_uid),
                                            static_cast<gid_t>(config_.dir_gid)) != 0) {
            std::perror("cpd harness: chown of the private directory");
        }
    }
    write_directory(config_.directory);
    write_config(config_);
}

CpdHarness::~CpdHarness() {
    std::vector<pid_t> guests = guest_pids();
    if (pid_ > 0) {
        if (stop(SIGTERM, 10s) == -1) {
            stop(SIGKILL, 5s);
        }
    }
    for (pid_t g : guests) {
        if (process_alive(g)) {
            ::kill(g, SIGKILL);
        }
    }
    std::error_code ec;
    if (!dir_.empty()) {
        fs::remove_all(dir_, ec);
    }
}

std::string CpdHarness::out_file(std::string_view name) const {
    std::string upper(name);
    for (char& c : upper) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return dir_ + "/state/disks/" + upper + "/0191/log";
}

void CpdHarness::write_directory(const std::string& text) const {
    std::string t = text;
    for (std::size_t p; (p = t.find("$DIR")) != std::string::npos;) {
        t.replace(p, 4, dir_);
    }
    for (std::size_t p; (p = t.find("$PROBE")) != std::string::npos;) {
        t.replace(p, 6, probe_guest());
    }
    std::ofstream(dir_ + "/user.direct.tmp") << t;
    fs::rename(dir_ + "/user.direct.tmp", dir_ + "/user.direct");
}

void CpdHarness::write_config(const HarnessConfig& c) const {
    std::ofstream out(dir_ + "/cpd.conf");
    out << "directory = " << dir_ << "/user.direct\n"
        << "socket = " << socket_path() << "\n"
        << "state_dir = " << dir_ << "/state\n"
        << "guest_uid_base = " << guest_uid_base_ << "\n"
        << "guest_uid_count = " << c.guest_uid_count << "\n"
        << "guest_dir = " << guest_program_dir() << "\n"
        << "grace_seconds = " << c.grace_seconds << "\n"
        << "latency_hold_ms = " << c.latency_hold_ms << "\n"
        << "log_level = " << c.log_level << "\n";
    if (!c.autolog.empty()) {
        out << "autolog = " << c.autolog << "\n";
    }
    out << c.extra_conf << "\n";
}

bool CpdHarness::start(std::chrono::milliseconds timeout) {
    if (!launch()) {
        return false;
    }
    return wait_until(
        [&] {
            if (!process_alive(pid_)) {
                return true;
            }
            std::error_code ec;
            return static_cast<bool>(ipc::connect_unix(socket_path(), ec));
        },
        timeout) &&
           process_alive(pid_) &&
           wait_until([&] { return log().find("ready", log_start_) != std::string::npos; },
                      timeout);
}

bool CpdHarness::launch() {
    std::string conf = dir_ + "/cpd.conf";
    std::string log = dir_ + "/cpd.log";
    std::string bin = cpd_binary();
    log_start_ = read_file(log).size();
    pid_ = ::fork();
    if (pid_ == 0) {
        int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
        ::dup2(fd, STDERR_FILENO);
        ::unsetenv("CPD_SOCKET");
        ::unsetenv("NOTIFY_SOCKET");
        for (const std::string& kv : config_.env) {
            auto eq = kv.find('=');
            ::setenv(kv.substr(0, eq).c_str(), kv.substr(eq + 1).c_str(), 1);
        }
        std::vector<std::string> args = config_.launcher;
        args.push_back(bin);
        if (config_.config_from_env) {
            ::setenv("CPD_CONFIG", conf.c_str(), 1);
        } else {
            args.insert(args.end(), {"--config", conf});
        }
        std::vector<char*> argv;
        for (std::string& a : args) {
            argv.push_back(a.data());
        }
        argv.push_back(nullptr);
        ::execvp(argv[0], argv.data());
        ::_exit(127);
    }
    if (pid_ < 0) {
        pid_ = 0;
        return false;
    }
    return true;
}

int CpdHarness::wait_exit(std::chrono::milliseconds timeout) {
    int status = -1;
    bool done = wait_until([&] { return ::waitpid(pid_, &status, WNOHANG) == pid_; }, timeout);
    if (!done) {
        return -1;
    }
    pid_ = 0;
    return status;
}

int CpdHarness::stop(int sig, std::chrono::milliseconds timeout) {
    if (pid_ <= 0) {
        return -1;
    }
    ::kill(pid_, sig);
    return wait_exit(timeout);
}

std::string CpdHarness::log() const { return read_file(dir_ + "/cpd.log"); }

bool CpdHarness::wait_for_log(std::string_view needle, std::chrono::milliseconds timeout) const {
    return wait_until([&] { return log().find(needle) != std::string::npos; }, timeout);
}

Client CpdHarness::connect() const {
    std::error_code ec;
    return Client(ipc::connect_unix(socket_path(), ec));
}

std::vector<pid_t> CpdHarness::guest_pids() const {
    std::vector<pid_t> out;
    if (pid_ <= 0) {
        return out;
    }
    // Guests are the children of cpd's spawn helper (or cpd's own, once that
    // helper has died): every process whose parent is cpd or a child of cpd.
    struct Proc {
        pid_t pid;
        long ppid;
    };
    std::vector<Proc> procs;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator("/proc", ec)) {
        std::string name = e.path().filename().string();
        if (name.find_first_not_of("0123456789") != std::string::npos) {
            continue;
        }
        std::string stat = read_file(e.path().string() + "/stat");
        auto p = stat.rfind(')');
        if (p == std::string::npos) {
            continue;
        }
        std::istringstream rest(stat.substr(p + 2));
        char state = 0;
        long ppid = 0;
        rest >> state >> ppid;
        procs.push_back({static_cast<pid_t>(std::stol(name)), ppid});
    }
    std::vector<long> parents{pid_};
    for (const Proc& p : procs) {
        if (p.ppid == pid_) {
            parents.push_back(p.pid);
        }
    }
    for (const Proc& p : procs) {
        if (std::find(parents.begin(), parents.end(), p.ppid) != parents.end() &&
            read_file("/proc/" + std::to_string(p.pid) + "/cmdline").rfind("cpd:", 0) == 0) {
            out.push_back(p.pid);
        }
    }
    return out;
}

pid_t CpdHarness::guest_pid(std::string_view userid) const {
    pid_t found = 0;
    wait_until( // a guest shows its name only once it has exec'd
        [&] {
            for (pid_t p : guest_pids()) {
                std::string cmd = read_file("/proc/" + std::to_string(p) + "/cmdline");
                if (cmd.c_str() == "cpd:" + std::string(userid)) {
                    found = p;
                }
            }
            return found != 0;
        },
        2s);
    return found;
}

} // namespace cpd::test
