// SPDX-License-Identifier: MIT
// The Unix-socket hub baseline. Frames are {u32 length, u32 type} + 8-byte
// userid + text, like a ring record. Readers take up to 256 KiB per read. By
// default every message is its own write (sender) and its own send (hub), as
// an application hands each SMSG to the kernel; `batched` lets the sender
// coalesce 64 KiB and the hub write each target's backlog once per wake-up.
#include "bench_hub.hpp"

#include <algorithm>
#include <cstring>
#include <ctime>
#include <fstream>
#include <sstream>
#include <string>
#include <unordered_map>

#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

namespace cpd::bench {
namespace {

constexpr std::uint32_t type_data = 1;
constexpr std::uint32_t type_end = 2;
constexpr std::size_t header = 8;
constexpr std::size_t id_len = 8;
constexpr std::size_t backlog_cap = 1u << 20; // like the receiver's 1 MiB ring
constexpr std::size_t write_batch = 64 * 1024;
constexpr std::size_t read_chunk = 256 * 1024;
constexpr int max_pings = 200000;

std::uint64_t key_of(const char* id) {
    std::uint64_t k = 0;
    std::memcpy(&k, id, sizeof k);
    return k;
}
const char id_a[id_len + 1] = "A       ";
const char id_b[id_len + 1] = "B       ";

/// Results the children leave for the parent.
struct Shared {
    FlowResult flow;
    std::uint64_t nvcsw[3];
    std::uint64_t cpu[3];
    int pings;
    std::uint64_t rtt[max_pings];
};

std::uint64_t own_nvcsw() {
    rusage u{};
    ::getrusage(RUSAGE_SELF, &u);
    return static_cast<std::uint64_t>(u.ru_nvcsw);
}

std::uint64_t own_cpu_ns() {
    timespec ts{};
    ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<std::uint64_t>(ts.tv_sec) * 1'000'000'000u + static_cast<std::uint64_t>(ts.tv_nsec);
}

void append_frame(std::string& out, std::uint32_t type, const char* id, std::string_view text) {
    const std::uint32_t len = static_cast<std::uint32_t>(id_len + text.size());
    char h[header];
    std::memcpy(h, &len, 4);
    std::memcpy(h + 4, &type, 4);
    out.append(h, header).append(id, id_len).append(text);
}

bool write_all(int fd, std::string& out) {
    std::size_t done = 0;
    while (done < out.size()) {
        ssize_t n = ::write(fd, out.data() + done, out.size() - done);
        if (n <= 0) {
            return false;
        }
        done += static_cast<std::size_t>(n);
    }
    out.clear();
    return true;
}

/// Reads into `in` and calls fn(type, id, text) for every whole frame; false at EOF.
template <class F> bool read_frames(int fd, std::string& in, std::size_t& used, F&& fn) {
    if (in.size() < used + read_chunk) {
        in.resize(used + read_chunk);
    }
    ssize_t n = ::read(fd, in.data() + used, read_chunk);
    if (n <= 0) {
        return false;
    }
    used += static_cast<std::size_t>(n);
    std::size_t p = 0;
    while (used - p >= header) {
        std::uint32_t len = 0, type = 0;
        std::memcpy(&len, in.data() + p, 4);
        std::memcpy(&type, in.data() + p + 4, 4);
        if (used - p < header + len) {
            break;
        }
        fn(type, in.data() + p + header, std::string_view(in.data() + p + header + id_len, len - id_len));
        p += header + len;
    }
    std::memmove(in.data(), in.data() + p, used - p);
    used -= p;
    return true;
}

/// The hub: routes frames between its two connections until both close.
void run_hub(int fd_a, int fd_b, Shared& sh, bool batched) {
    const std::uint64_t v0 = own_nvcsw();
    int fds[2] = {fd_a, fd_b};
    const char* ids[2] = {id_a, id_b};
    std::unordered_map<std::uint64_t, int> table{{key_of(id_a), 0}, {key_of(id_b), 1}};
    std::string in[2], out[2];
    std::size_t used[2] = {0, 0}, out_start[2] = {0, 0};
    bool open[2] = {true, true};
    std::uint64_t drops = 0;
    auto flush = [&](int i) {
        if (out[i].size() > out_start[i]) {
            ssize_t n = ::send(fds[i], out[i].data() + out_start[i], out[i].size() - out_start[i],
                               MSG_DONTWAIT | MSG_NOSIGNAL);
            out_start[i] += n > 0 ? static_cast<std::size_t>(n) : 0;
            if (out_start[i] == out[i].size() || out_start[i] > backlog_cap) {
                out[i].erase(0, out_start[i]);
                out_start[i] = 0;
            }
        }
    };
    while (open[0] || open[1]) {
        pollfd p[2];
        for (int i = 0; i < 2; ++i) {
            p[i] = {open[i] ? fds[i] : -1,
                    static_cast<short>(POLLIN | (out[i].size() > out_start[i] ? POLLOUT : 0)), 0};
        }
        ::poll(p, 2, -1);
        for (int i = 0; i < 2; ++i) {
            if (open[i] && (p[i].revents & (POLLIN | POLLHUP)) != 0) {
                open[i] = read_frames(fds[i], in[i], used[i], [&](std::uint32_t type, const char* to,
                                                                  std::string_view text) {
                    auto it = table.find(key_of(to));
                    if (it == table.end()) {
                        return;
                    }
                    std::string& o = out[it->second];
                    if (type != type_end && o.size() - out_start[it->second] + header + id_len +
                                                    text.size() > backlog_cap) {
                        ++drops;
                        return;
                    }
                    append_frame(o, type, ids[i], text);
                    if (!batched) {
                        flush(it->second); // one write per frame
                    }
                });
            }
        }
        flush(0);
        flush(1);
    }
    sh.nvcsw[1] = own_nvcsw() - v0;
    sh.cpu[1] = own_cpu_ns();
}

/// Sender role of a throughput run.
void run_sender(int fd, Shared& sh, std::size_t size, double seconds, std::uint64_t window, bool batched) {
    const std::uint64_t v0 = own_nvcsw();
    std::string text(size, '.'), out, in;
    text[0] = 'd';
    std::size_t used = 0;
    std::uint64_t sent = 0, credited = 0;
    const std::uint64_t end = mono_ns() + static_cast<std::uint64_t>(seconds * 1e9);
    for (;;) {
        if ((sent & 255) == 0 && mono_ns() >= end) {
            break;
        }
        while (window != 0 && sent - credited >= window) {
            write_all(fd, out);
            read_frames(fd, in, used, [&](std::uint32_t, const char*, std::string_view t) {
                credited += std::strtoull(std::string(t.substr(1)).c_str(), nullptr, 10);
            });
        }
        append_frame(out, type_data, id_b, text);
        ++sent;
        if (!batched || out.size() >= write_batch) {
            write_all(fd, out);
        }
    }
    append_frame(out, type_end, id_b, "e");
    write_all(fd, out);
    sh.flow.sent = sent;
    sh.nvcsw[0] = own_nvcsw() - v0;
    sh.cpu[0] = own_cpu_ns();
}

/// Receiver role: counts data, credits, answers pings, stops at the end frame.
void run_receiver(int fd, Shared& sh, std::uint64_t window) {
    const std::uint64_t v0 = own_nvcsw();
    std::string in, out;
    std::size_t used = 0;
    std::uint64_t owed = 0;
    FlowResult& r = sh.flow;
    bool done = false;
    while (!done) {
        bool ok = read_frames(fd, in, used, [&](std::uint32_t type, const char* from,
                                                std::string_view text) {
            if (type == type_end) {
                done = true;
            } else if (text[0] == 'd') {
                if (r.received++ % 64 == 0) {
                    r.last_ns = mono_ns();
                    r.last_count = r.received;
                    r.first_ns = r.received == 1 ? r.last_ns : r.first_ns;
                }
                if (window != 0 && ++owed >= window / 2) {
                    std::string credit = "c"; // appended: g++ 12 -O3 -Wrestrict (GCC bug 105651)
                    credit += std::to_string(owed);
                    append_frame(out, type_data, from, credit);
                    owed = 0;
                }
            } else if (text[0] == 'p') {
                std::string reply(text);
                reply[0] = 'r';
                append_frame(out, type_data, from, reply);
            }
        });
        write_all(fd, out);
        done = done || !ok;
    }
    sh.nvcsw[2] = own_nvcsw() - v0;
    sh.cpu[2] = own_cpu_ns();
}

/// Pinger role: `count` round trips, one frame each way.
void run_pinger(int fd, Shared& sh, std::size_t size, int count, int pause_us) {
    const std::uint64_t v0 = own_nvcsw();
    std::string text(size, '.'), out, in;
    text[0] = 'p';
    std::size_t used = 0;
    for (int i = 0; i < count && i < max_pings; ++i) {
        const std::uint64_t t0 = mono_ns();
        append_frame(out, type_data, id_b, text);
        write_all(fd, out);
        bool got = false;
        while (!got) {
            read_frames(fd, in, used, [&](std::uint32_t, const char*, std::string_view) { got = true; });
        }
        sh.rtt[sh.pings++] = mono_ns() - t0;
        if (pause_us > 0) {
            timespec ts{0, pause_us * 1000L};
            ::nanosleep(&ts, nullptr);
        }
    }
    append_frame(out, type_end, id_b, "e");
    write_all(fd, out);
    sh.nvcsw[0] = own_nvcsw() - v0;
    sh.cpu[0] = own_cpu_ns();
}

/// Forks hub, receiver and sender (running `sender`), waits for all three.
template <class F> Shared* run_three(std::uint64_t window, bool batched, F&& sender) {
    void* mem = ::mmap(nullptr, sizeof(Shared), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (mem == MAP_FAILED) {
        return nullptr;
    }
    auto* sh = new (mem) Shared{};
    int a[2], b[2];
    ::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, a);
    ::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, b);
    pid_t pids[3];
    pids[0] = ::fork();
    if (pids[0] == 0) {
        ::close(a[1]);
        ::close(b[1]);
        run_hub(a[0], b[0], *sh, batched);
        ::_exit(0);
    }
    pids[1] = ::fork();
    if (pids[1] == 0) {
        ::close(a[0]);
        ::close(a[1]);
        ::close(b[0]);
        run_receiver(b[1], *sh, window);
        ::_exit(0);
    }
    pids[2] = ::fork();
    if (pids[2] == 0) {
        ::close(a[0]);
        ::close(b[0]);
        ::close(b[1]);
        sender(a[1], *sh);
        ::_exit(0);
    }
    for (int fd : {a[0], a[1], b[0], b[1]}) {
        ::close(fd);
    }
    for (pid_t p : pids) {
        int st = 0;
        ::waitpid(p, &st, 0);
    }
    sh->flow.wakeups = sh->nvcsw[0] + sh->nvcsw[1] + sh->nvcsw[2];
    sh->flow.cpu_ns = sh->cpu[0] + sh->cpu[1] + sh->cpu[2];
    return sh;
}

} // namespace

std::string read_text(const std::string& path) {
    std::ifstream in(path);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::uint64_t mono_ns() noexcept {
    timespec ts{};
    ::clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<std::uint64_t>(ts.tv_sec) * 1'000'000'000u + static_cast<std::uint64_t>(ts.tv_nsec);
}

std::uint64_t context_switches(int pid, bool voluntary_only) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::uint64_t total = 0;
    for (std::string line; std::getline(in, line);) {
        if (line.rfind("voluntary_ctxt_switches:", 0) == 0 ||
            (!voluntary_only && line.rfind("nonvoluntary_ctxt_switches:", 0) == 0)) {
            total += std::strtoull(line.c_str() + line.find(':') + 1, nullptr, 10);
        }
    }
    return total;
}

std::uint64_t cpu_time_ns(int pid) {
    std::string stat = read_text("/proc/" + std::to_string(pid) + "/stat");
    std::size_t p = stat.rfind(')');
    if (p == std::string::npos) {
        return 0;
    }
    std::istringstream in(stat.substr(p + 2));
    std::string field;
    std::uint64_t utime = 0, stime = 0;
    for (int i = 3; i <= 15 && in >> field; ++i) { // fields 14 and 15: utime, stime (ticks)
        if (i == 14) {
            utime = std::strtoull(field.c_str(), nullptr, 10);
        } else if (i == 15) {
            stime = std::strtoull(field.c_str(), nullptr, 10);
        }
    }
    return (utime + stime) * (1'000'000'000u / static_cast<std::uint64_t>(::sysconf(_SC_CLK_TCK)));
}

FlowResult hub_flow(std::size_t size, double seconds, std::uint64_t window, bool batched) {
    Shared* sh = run_three(window, batched,
                           [&](int fd, Shared& s) { run_sender(fd, s, size, seconds, window, batched); });
    if (sh == nullptr) {
        return {};
    }
    FlowResult r = sh->flow;
    ::munmap(sh, sizeof(Shared));
    return r;
}

PingResult hub_ping(std::size_t size, int count, int pause_us) {
    Shared* sh = run_three(0, false, [&](int fd, Shared& s) { run_pinger(fd, s, size, count, pause_us); });
    PingResult r;
    if (sh == nullptr) {
        return r;
    }
    r.rtt_ns.assign(sh->rtt, sh->rtt + sh->pings);
    r.wakeups = sh->flow.wakeups;
    r.cpu_ns = sh->flow.cpu_ns;
    ::munmap(sh, sizeof(Shared));
    return r;
}

} // namespace cpd::bench
