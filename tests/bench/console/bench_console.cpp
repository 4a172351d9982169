// SPDX-License-Identifier: MIT
// bench_console: console command round trip against a real cpd and a real CMS
// guest. Starts a private cpd (temp dir, directory, A-disk), then times N
// commands "STATE PROFILE EXEC A" three ways in the same run: a Unix socket
// echo of the same frame (baseline), the console protocol spoken directly
// (send ClientConsoleInput, read up to ServerConsoleEnd), and cmsconsole in
// pipe mode (write a line to its stdin, read up to "Ready;" on its stdout).
// Prints one table of median / p99 / mean / max in microseconds.
#include "cpd/ipc/frame_io.hpp"
#include "cpd/proto/socket_frame.hpp"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

using Clock = std::chrono::steady_clock;
using namespace cpd;
namespace fs = std::filesystem;

constexpr const char* command = "STATE PROFILE EXEC A";

struct Options {
    int count = 10000;
    std::string cpd = CPD_BENCH_CPD;
    std::string cmsconsole = CPD_BENCH_CMSCONSOLE;
    std::string guest_dir = CPD_BENCH_GUEST_DIR;
};

struct Stats {
    double median = 0, p99 = 0, mean = 0, max = 0;
};

[[noreturn]] void die(const std::string& what) {
    std::fprintf(stderr, "bench_console: error: %s\n", what.c_str());
    std::exit(1);
}

Stats summarize(std::vector<double> us) {
    Stats s;
    if (us.empty()) {
        return s;
    }
    std::sort(us.begin(), us.end());
    s.median = us[us.size() / 2];
    s.p99 = us[std::min(us.size() - 1, us.size() * 99 / 100)];
    s.max = us.back();
    double sum = 0;
    for (double v : us) {
        sum += v;
    }
    s.mean = sum / static_cast<double>(us.size());
    return s;
}

double us_since(Clock::time_point t) {
    return std::chrono::duration<double, std::micro>(Clock::now() - t).count();
}

/// A private cpd: temp dir with directory, config and an A-disk holding PROFILE EXEC.
struct PrivateCpd {
    fs::path dir;
    std::string socket;
    pid_t pid = -1;

    void start(const Options& o) {
        char tmpl[] = "/tmp/cpd-bench-console.XXXXXX";
        if (::mkdtemp(tmpl) == nullptr) {
            die("mkdtemp failed");
        }
        dir = tmpl;
        ::chmod(tmpl, 0755); // guests may run as an unprivileged service user
        fs::create_directories(dir / "disk");
        ::chmod((dir / "disk").c_str(), 0777);
        std::ofstream(dir / "disk" / "profile.exec") << "/* PROFILE EXEC */\n";
        std::ofstream(dir / "user.direct")
            << "USER OPERATOR NOPASS 16M 16M ABCDEFG\n IPL SINK\n POSIXINFO UID " << ::getuid()
            << "\nUSER BENCH NOPASS 32M 64M G\n IPL CMS\n MDISK 0191 " << (dir / "disk").string()
            << " MR A\n";
        socket = (dir / "cpd.sock").string();
        std::ofstream(dir / "cpd.conf") << "directory = user.direct\nsocket = " << socket
                                        << "\nstate_dir = " << (dir / "state").string()
                                        << "\nguest_dir = " << o.guest_dir
                                        << "\nlog_level = warn\ngrace_seconds = 2\n";
        pid = ::fork();
        if (pid == 0) {
            const int log = ::open((dir / "cpd.log").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
            ::dup2(log, 1);
            ::dup2(log, 2);
            const std::string conf = (dir / "cpd.conf").string();
            ::execl(o.cpd.c_str(), o.cpd.c_str(), "--config", conf.c_str(), nullptr);
            _exit(127);
        }
        for (int i = 0; i < 200 && !fs::exists(socket); ++i) {
            ::usleep(25000);
        }
        if (!fs::exists(socket)) {
            die("cpd did not start; see " + (dir / "cpd.log").string());
        }
    }

    ~PrivateCpd() {
        if (pid > 0) {
            ::kill(pid, SIGTERM);
            ::waitpid(pid, nullptr, 0);
        }
        std::error_code ec;
        if (!dir.empty()) {
            fs::remove_all(dir, ec);
        }
    }
};

void send_frame(int fd, const proto::ClientFrame& f) {
    std::vector<std::byte> bytes;
    proto::append_frame(bytes, f);
    std::error_code ec;
    if (!ipc::write_all(fd, bytes, ec)) {
        die("write: " + ec.message());
    }
}

proto::ServerFrame read_server_frame(int fd, ipc::RawFrame& raw) {
    std::error_code ec;
    if (!ipc::read_frame(fd, raw, ec, 30000)) {
        die("read from cpd: " + ec.message());
    }
    auto f = proto::decode_server_frame(raw.type, raw.payload);
    if (!f) {
        die("bad frame from cpd");
    }
    return *f;
}

/// Baseline: the same client frame echoed by a forked process over a socket pair.
std::vector<double> bench_echo(int count) {
    int sv[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
        die("socketpair");
    }
    const pid_t child = ::fork();
    if (child == 0) {
        ::close(sv[0]);
        ipc::RawFrame raw;
        std::error_code ec;
        while (ipc::read_frame(sv[1], raw, ec)) {
            std::vector<std::byte> out;
            proto::append_frame(out, proto::ServerConsoleEnd{0});
            if (!ipc::write_all(sv[1], out, ec)) {
                break;
            }
        }
        _exit(0);
    }
    ::close(sv[1]);
    std::vector<double> us;
    us.reserve(static_cast<std::size_t>(count));
    ipc::RawFrame raw;
    for (int i = 0; i < count; ++i) {
        const auto t = Clock::now();
        send_frame(sv[0], proto::ClientConsoleInput{command});
        std::error_code ec;
        if (!ipc::read_frame(sv[0], raw, ec)) {
            die("echo child: " + ec.message());
        }
        us.push_back(us_since(t));
    }
    ::close(sv[0]);
    ::waitpid(child, nullptr, 0);
    return us;
}

/// Sends one console command and reads its output up to the end marker; returns its rc.
int console_command(int fd, ipc::RawFrame& raw) {
    send_frame(fd, proto::ClientConsoleInput{command});
    for (;;) {
        proto::ServerFrame f = read_server_frame(fd, raw);
        if (const auto* end = std::get_if<proto::ServerConsoleEnd>(&f)) {
            return end->rc;
        }
        if (const auto* err = std::get_if<proto::ServerError>(&f)) {
            die("cpd refused input: " + std::string(err->text));
        }
        if (std::holds_alternative<proto::ServerConsoleClosed>(f)) {
            die("console closed");
        }
    }
}

/// The console protocol spoken directly: attach (logging BENCH on), warm up, time.
std::vector<double> bench_protocol(const std::string& socket, int count, int& failures) {
    std::error_code ec;
    ipc::UniqueFd fd = ipc::connect_unix(socket, ec);
    if (!fd) {
        die("connect: " + ec.message());
    }
    const auto bench = proto::Userid::parse("BENCH");
    send_frame(fd.get(), proto::ClientConsoleAttach{*bench, proto::AttachMode::writer, true});
    ipc::RawFrame raw;
    if (!std::holds_alternative<proto::ServerConsoleAttached>(read_server_frame(fd.get(), raw))) {
        die("attach refused");
    }
    while (!std::holds_alternative<proto::ServerConsoleSkipped>(read_server_frame(fd.get(), raw))) {
    }
    for (int i = 0; i < 200; ++i) {
        failures += console_command(fd.get(), raw) != 0;
    }
    std::vector<double> us;
    us.reserve(static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) {
        const auto t = Clock::now();
        failures += console_command(fd.get(), raw) != 0;
        us.push_back(us_since(t));
    }
    send_frame(fd.get(), proto::ClientConsoleDetach{});
    return us;
}

/// cmsconsole in pipe mode: a line on its stdin, then its stdout up to "Ready".
std::vector<double> bench_cmsconsole(const Options& o, const std::string& socket, int count,
                                     int& failures, int& status) {
    int in[2], out[2];
    if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0) {
        die("pipe");
    }
    const pid_t child = ::fork();
    if (child == 0) {
        ::dup2(in[0], 0);
        ::dup2(out[1], 1);
        const int null = ::open("/dev/null", O_WRONLY);
        ::dup2(null, 2);
        ::execl(o.cmsconsole.c_str(), o.cmsconsole.c_str(), "--socket", socket.c_str(), "BENCH",
                nullptr);
        _exit(127);
    }
    ::close(in[0]);
    ::close(out[1]);
    FILE* reader = ::fdopen(out[0], "r");
    const std::string line = std::string(command) + "\n";
    char buf[4096];
    auto one = [&] {
        if (::write(in[1], line.data(), line.size()) != static_cast<ssize_t>(line.size())) {
            die("write to cmsconsole");
        }
        while (std::fgets(buf, sizeof buf, reader) != nullptr) {
            if (std::strncmp(buf, "Ready", 5) == 0) {
                failures += std::strcmp(buf, "Ready;\n") != 0;
                return;
            }
        }
        die("cmsconsole ended early");
    };
    for (int i = 0; i < 200; ++i) {
        one();
    }
    std::vector<double> us;
    us.reserve(static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) {
        const auto t = Clock::now();
        one();
        us.push_back(us_since(t));
    }
    ::close(in[1]);
    std::fclose(reader);
    ::waitpid(child, &status, 0);
    return us;
}

void print_row(const char* name, const Stats& s) {
    std::printf("%-46s %9.1f %9.1f %9.1f %9.1f\n", name, s.median, s.p99, s.mean, s.max);
}

} // namespace

int main(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--count" && i + 1 < argc) {
            o.count = std::max(1, std::atoi(argv[++i]));
        } else if (a == "--quick") {
            o.count = 1000;
        } else {
            std::fprintf(stderr, "usage: bench_console [--count N | --quick]\n");
            return 64;
        }
    }
    ::signal(SIGPIPE, SIG_IGN);
    PrivateCpd cpd;
    cpd.start(o);
    int proto_failures = 0, console_failures = 0, console_status = 0;
    const Stats echo = summarize(bench_echo(o.count));
    const Stats direct = summarize(bench_protocol(cpd.socket, o.count, proto_failures));
    const Stats piped =
        summarize(bench_cmsconsole(o, cpd.socket, o.count, console_failures, console_status));

    std::printf("console command round trip: %d x \"%s\" on a CMS guest (microseconds)\n",
                o.count, command);
    std::printf("%-46s %9s %9s %9s %9s\n", "path", "median", "p99", "mean", "max");
    print_row("unix socket echo of the same frame (baseline)", echo);
    print_row("console protocol: input -> end marker", direct);
    print_row("cmsconsole pipe mode: stdin line -> Ready;", piped);
    std::printf("target: median <= 1000 us; commands not ending rc 0: %d (protocol), %d "
                "(cmsconsole); cmsconsole exit status %d\n",
                proto_failures, console_failures,
                WIFEXITED(console_status) ? WEXITSTATUS(console_status) : -1);
    const bool ok = proto_failures == 0 && console_failures == 0 && direct.median <= 1000.0;
    return ok ? 0 : 1;
}
