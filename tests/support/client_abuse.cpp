// SPDX-License-Identifier: MIT
// The hostile clients' child process (connect as another uid, misbehave, count
// what cpd closes, answer the parent over a socket pair), the Q N latency
// probe thread, and the /proc readers for cpd's memory and descriptors.
#include "client_abuse.hpp"

#include "cpd/ipc/frame_io.hpp"
#include "cpd/proto/socket_frame.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include <dirent.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

namespace cpd::test {
namespace {

using Clock = std::chrono::steady_clock;

/// The bytes a connection of `kind` sends first.
std::vector<std::byte> opening_bytes(const AbuseSpec& s) {
    std::vector<std::byte> bytes;
    switch (s.kind) {
    case Abuse::announce_and_stall:
    case Abuse::trickle: {
        const std::uint32_t length = s.kind == Abuse::trickle ? 16000 : proto::socket_max_payload;
        proto::append_frame(bytes, proto::ClientCpCommand{"Q N"});
        bytes.resize(proto::socket_header_size); // keep the header, set our own length
        for (int i = 0; i < 4; ++i) {
            bytes[i] = static_cast<std::byte>((length >> (8 * i)) & 0xFF);
        }
        if (s.kind == Abuse::trickle) {
            bytes.resize(bytes.size() + length / 2, std::byte{'x'});
        }
        break;
    }
    case Abuse::stats_no_read:
        break; // the loop sends
    case Abuse::observe_no_read:
        proto::append_frame(bytes, proto::ClientConsoleAttach{*proto::Userid::parse(s.target),
                                                              proto::AttachMode::observer, false});
        break;
    }
    return bytes;
}

/// Sends as much of `bytes` as the socket takes now; false if the peer is gone.
bool send_some(int fd, const std::vector<std::byte>& bytes) {
    const ssize_t n = ::send(fd, bytes.data(), bytes.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
    return n >= 0 || errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
}

/// The child: makes the connections, then misbehaves until the parent hangs up.
[[noreturn]] void run_child(const AbuseSpec& s, int control) {
    rlimit nofile{};
    if (::getrlimit(RLIMIT_NOFILE, &nofile) == 0) {
        nofile.rlim_cur = nofile.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &nofile);
    }
    if (s.uid != 0 &&
        (::setresgid(s.uid, s.uid, s.uid) != 0 || ::setresuid(s.uid, s.uid, s.uid) != 0)) {
        ::_exit(2);
    }
    const std::vector<std::byte> opening = opening_bytes(s);
    std::vector<std::byte> stats;
    for (int i = 0; i < 32; ++i) {
        proto::append_frame(stats, proto::ClientCpCommand{"Q STATS"});
    }
    std::vector<pollfd> fds;
    fds.push_back({control, POLLIN, 0});
    int closed = 0;
    for (int i = 0; i < s.count; ++i) {
        std::error_code ec;
        ipc::UniqueFd fd = ipc::connect_unix(s.socket, ec);
        if (!fd) {
            break;
        }
        if (!opening.empty() && !send_some(fd.get(), opening)) {
            ++closed;
        }
        fds.push_back({fd.release(), 0, 0}); // events 0: only hang-ups are reported
    }
    const int made = static_cast<int>(fds.size()) - 1;
    (void)!::write(control, &made, sizeof made);
    for (;;) {
        ::poll(fds.data(), fds.size(), 10);
        if (fds[0].revents != 0) {
            char c = 0;
            if (::read(control, &c, 1) != 1) {
                break; // the parent hung up: stop
            }
            (void)!::write(control, &closed, sizeof closed);
        }
        for (std::size_t i = 1; i < fds.size(); ++i) {
            if (fds[i].fd < 0) {
                continue;
            }
            bool gone = (fds[i].revents & (POLLHUP | POLLERR)) != 0;
            if (!gone && s.kind == Abuse::stats_no_read) {
                gone = !send_some(fds[i].fd, stats);
            }
            if (gone) {
                ::close(fds[i].fd);
                fds[i].fd = -1; // poll ignores negative descriptors
                ++closed;
            }
        }
    }
    ::_exit(0);
}

/// The value of a "Key:   123 kB" line of /proc/<pid>/status.
std::size_t status_kib(pid_t pid, const std::string& key) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(in, line);) {
        if (line.rfind(key + ":", 0) == 0) {
            std::istringstream s(line.substr(key.size() + 1));
            std::size_t v = 0;
            s >> v;
            return v;
        }
    }
    return 0;
}

} // namespace

int AbusiveClients::start(std::chrono::milliseconds timeout) {
    int sv[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
        return -1;
    }
    pid_ = ::fork();
    if (pid_ == 0) {
        // Only our end of our own pair: a sibling's copy of its parent end
        // would keep that sibling from seeing the parent hang up.
        ::close_range(3, static_cast<unsigned>(sv[1]) - 1, 0);
        ::close_range(static_cast<unsigned>(sv[1]) + 1, ~0U, 0);
        run_child(spec_, sv[1]);
    }
    ::close(sv[1]);
    control_ = sv[0];
    if (pid_ < 0) {
        return -1;
    }
    pollfd p{control_, POLLIN, 0};
    int made = -1;
    if (::poll(&p, 1, static_cast<int>(timeout.count())) != 1 ||
        ::read(control_, &made, sizeof made) != sizeof made) {
        return -1;
    }
    return made;
}

int AbusiveClients::closed_by_cpd() {
    const char ask = '?';
    int closed = -1;
    pollfd p{control_, POLLIN, 0};
    if (control_ < 0 || ::write(control_, &ask, 1) != 1 || ::poll(&p, 1, 5000) != 1 ||
        ::read(control_, &closed, sizeof closed) != sizeof closed) {
        return -1;
    }
    return closed;
}

void AbusiveClients::stop() {
    if (control_ >= 0) {
        ::close(control_);
        control_ = -1;
    }
    if (pid_ > 0) {
        ::waitpid(pid_, nullptr, 0);
        pid_ = 0;
    }
}

void LatencyProbe::start() {
    stop_ = false;
    thread_ = std::thread([this] { run(); });
}

void LatencyProbe::stop() {
    stop_ = true;
    if (thread_.joinable()) {
        thread_.join();
    }
}

std::vector<double> LatencyProbe::samples_ms() const {
    return samples_;
}

/// Times one `Q N` after another, reconnecting when cpd closes the connection.
void LatencyProbe::run() {
    constexpr int timeout_ms = 5000;
    std::vector<std::byte> request;
    proto::append_frame(request, proto::ClientCpCommand{"Q N"});
    ipc::UniqueFd fd;
    const auto begin = Clock::now();
    while (!stop_) {
        std::error_code ec;
        if (!fd) {
            fd = ipc::connect_unix(socket_, ec);
        }
        const auto t0 = Clock::now();
        ipc::RawFrame reply;
        const bool ok =
            fd && ipc::write_all(fd.get(), request, ec) &&
            ipc::read_frame(fd.get(), reply, ec, timeout_ms) &&
            reply.type == static_cast<std::uint16_t>(proto::SocketFrameType::cp_response);
        const double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
        if (!ok) {
            ++failures_;
            fd.reset();
        }
        samples_.push_back(ok ? ms : timeout_ms);
        started_at_ms_.push_back(std::chrono::duration<double, std::milli>(t0 - begin).count());
        std::this_thread::sleep_for(interval_);
    }
}

double LatencyProbe::worst_at_ms() const {
    if (samples_.empty()) {
        return -1;
    }
    const auto worst = std::max_element(samples_.begin(), samples_.end()) - samples_.begin();
    return started_at_ms_[static_cast<std::size_t>(worst)];
}

double median_of(std::vector<double> v) {
    if (v.empty()) {
        return 0;
    }
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2), v.end());
    return v[v.size() / 2];
}

double max_of(const std::vector<double>& v) {
    return v.empty() ? 0 : *std::max_element(v.begin(), v.end());
}

std::size_t rss_kib(pid_t pid) {
    return status_kib(pid, "VmRSS");
}
std::size_t peak_rss_kib(pid_t pid) {
    return status_kib(pid, "VmHWM");
}

bool reset_peak_rss(pid_t pid) {
    std::ofstream out("/proc/" + std::to_string(pid) + "/clear_refs");
    out << "5";
    return static_cast<bool>(out.flush());
}

int descriptor_count(pid_t pid) {
    DIR* d = ::opendir(("/proc/" + std::to_string(pid) + "/fd").c_str());
    if (d == nullptr) {
        return -1;
    }
    int n = 0;
    while (const dirent* e = ::readdir(d)) {
        n += e->d_name[0] != '.';
    }
    ::closedir(d);
    return n;
}

} // namespace cpd::test
