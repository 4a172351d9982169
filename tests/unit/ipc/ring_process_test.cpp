// SPDX-License-Identifier: MIT
// Two real processes over a real segment: a forked producer streams millions
// of records of varying sizes with a running checksum; the doorbell wakes a
// sleeping consumer in another process, and no sleep ever ends for want of a
// ring (waits have no timer, only a watchdog that fails the test); and a
// SIGKILL of either side leaves nothing in /dev/shm, no descriptor behind, and
// is seen by the peer.
#include "segment_view.hpp"

#include "cpd/ipc/segment.hpp"

#include <doctest/doctest.h>

#include <ostream> // doctest prints std::error_code through it

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include <cerrno>

#include <poll.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

using cpd::ipc::Doorbell;
using cpd::ipc::RingReader;
using cpd::ipc::RingStatus;
using cpd::ipc::RingWriter;
using cpd::ipc::Segment;
using cpd::ipc::SegmentGeometry;
using cpd::ipc::UniqueFd;
using cpd::ipc::test::SegmentView;

namespace {

constexpr std::uint32_t type_data = 1;
constexpr std::uint32_t type_end = 2;

/// How long a sleeper waits for a ring before the test calls the wake-up lost.
/// Generous: on a loaded machine a ring may take long, but it must come.
constexpr int watchdog_ms = 20000;

/// Kills and reaps a forked child unless the test already reaped it.
struct Child {
    pid_t pid = -1;
    /// A pidfd of the child: readable once it has exited (an empty fd if that failed).
    UniqueFd pidfd() const { return UniqueFd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0))); }
    ~Child() {
        if (pid > 0) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, nullptr, 0);
        }
    }
    /// Waits for the child; returns the raw status and forgets the pid.
    int reap() {
        int status = 0;
        ::waitpid(pid, &status, 0);
        pid = -1;
        return status;
    }
};

/// Forks; the child dies with the test process and runs `body` to _exit.
template <class Body> pid_t fork_child(Body body) {
    pid_t pid = ::fork();
    if (pid == 0) {
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        ::_exit(body());
    }
    return pid;
}

/// xorshift64: payload bytes and sizes both sides can regenerate.
struct Rng {
    std::uint64_t s;
    std::uint64_t next() {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        return s;
    }
};

/// Folds `bytes` into a running checksum eight bytes at a time.
std::uint64_t fold(std::uint64_t h, std::span<const std::byte> bytes) {
    std::size_t i = 0;
    for (; i + 8 <= bytes.size(); i += 8) {
        std::uint64_t w;
        std::memcpy(&w, bytes.data() + i, 8);
        h = (h ^ w) * 0x100000001b3ull;
    }
    for (; i < bytes.size(); ++i) {
        h = (h ^ static_cast<std::uint64_t>(bytes[i])) * 0x100000001b3ull;
    }
    return h ^ bytes.size();
}

/// Size of record `i`: mostly small, sometimes up to 4 KiB.
std::size_t size_of(Rng& rng, std::uint64_t i) {
    return (i % 1024 == 0) ? rng.next() % 4096 : rng.next() % 240;
}

/// True once `pid` has exited (without reaping it).
bool has_exited(pid_t pid) {
    siginfo_t info{};
    return ::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
           info.si_pid == pid;
}

/// Pushes until it fits, waking the consumer and counting doorbell rings; false
/// if the ring is corrupt, the consumer `peer` (when > 0) has exited, or the
/// ring stayed full past the watchdog (a consumer that lost a wake-up sleeps on).
bool push_blocking(RingWriter& w, const Doorbell& bell, std::uint32_t type,
                   std::span<const std::byte> payload, std::uint64_t& rings, pid_t peer = 0) {
    std::chrono::steady_clock::time_point give_up{};
    for (unsigned spins = 1;; ++spins) {
        RingStatus s = w.push(type, payload);
        rings += w.wake_if_sleeping(bell) ? 1 : 0;
        if (s == RingStatus::ok) {
            return true;
        }
        if (s != RingStatus::full) {
            return false;
        }
        if (spins % 4096 == 0) {
            const auto now = std::chrono::steady_clock::now();
            give_up = spins == 4096 ? now + std::chrono::milliseconds(watchdog_ms) : give_up;
            if ((peer > 0 && has_exited(peer)) || now > give_up) {
                return false;
            }
        }
        if (spins % 256 == 0) {
            ::sched_yield();
        }
    }
}

/// Child body: streams `count` records, then an end record {count, checksum, rings}.
int produce(Segment& seg, const Doorbell& bell, std::uint64_t count) {
    auto w = seg.writer(cpd::proto::inbound_ring);
    Rng rng{0x9E3779B97F4A7C15ull};
    std::vector<std::byte> buf(4096);
    std::uint64_t sum = 0;
    std::uint64_t rings = 0;
    for (std::uint64_t i = 0; i < count; ++i) {
        const std::size_t n = size_of(rng, i);
        for (std::size_t k = 0; k < n; k += 8) {
            std::uint64_t word = rng.next() ^ i;
            std::memcpy(buf.data() + k, &word, std::min<std::size_t>(8, n - k));
        }
        auto payload = std::span<const std::byte>(buf.data(), n);
        sum = fold(sum, payload);
        if (!push_blocking(w, bell, type_data, payload, rings)) {
            return 90;
        }
    }
    const std::uint64_t end[3] = {count, sum, rings};
    return push_blocking(w, bell, type_end, std::as_bytes(std::span(end)), rings) ? 0 : 91;
}

/// What a consumer's sleeps came to. Every ring the producer reports must be
/// drained here, and no sleep may end without one while data is waiting.
struct SleepLog {
    std::uint64_t announced = 0; ///< prepare_sleep() calls: each may earn one ring
    std::uint64_t drained = 0;   ///< doorbell rings collected
    std::uint64_t lost = 0;      ///< sleeps that data ended without a ring: lost wake-ups
};

enum class Woken { bell, peer_exit, watchdog };

/// Sleeps in poll() on `bell` and, when given, the peer's pidfd: no timer but the watchdog.
Woken sleep_on(const Doorbell& bell, int peer_pidfd) {
    pollfd p[2] = {{bell.fd(), POLLIN, 0}, {peer_pidfd, POLLIN, 0}};
    int r;
    do {
        r = ::poll(p, peer_pidfd >= 0 ? 2 : 1, watchdog_ms);
    } while (r < 0 && errno == EINTR);
    if (r > 0 && (p[0].revents & POLLIN) != 0) {
        return Woken::bell;
    }
    return r > 0 ? Woken::peer_exit : Woken::watchdog;
}

/// Waits for data as an event loop does: spins up to `spin`, then announces sleep
/// and sleeps until rung. A sleep that ends by the watchdog, or by the producer's
/// exit with data waiting, is a lost wake-up (a producer rings before it exits).
/// False once the producer has exited with the ring empty, or on the watchdog.
bool await_data(RingReader& r, const Doorbell& bell, int peer_pidfd, SleepLog& log,
                std::chrono::nanoseconds spin) {
    for (;;) {
        const auto spin_until = std::chrono::steady_clock::now() + spin;
        do {
            for (int i = 0; i < 64; ++i) {
                if (!r.is_empty()) {
                    return true;
                }
            }
        } while (std::chrono::steady_clock::now() < spin_until);
        ++log.announced;
        if (!r.prepare_sleep()) {
            continue;
        }
        const Woken w = sleep_on(bell, peer_pidfd);
        r.cancel_sleep();
        log.drained += bell.drain();
        if (w == Woken::watchdog) {
            ++log.lost;
            return false;
        }
        if (w == Woken::peer_exit) {
            log.lost += r.is_empty() ? 0 : 1;
            return !r.is_empty();
        }
    }
}

/// Names in `dir` (empty set if it does not exist).
std::set<std::string> listing(const std::filesystem::path& dir) {
    std::set<std::string> names;
    std::error_code ec;
    for (auto& e : std::filesystem::directory_iterator(dir, ec)) {
        names.insert(e.path().filename().string());
    }
    return names;
}

/// How many of our descriptors point at a memfd.
int memfd_count() {
    int n = 0;
    for (auto& e : std::filesystem::directory_iterator("/proc/self/fd")) {
        std::error_code ec;
        auto target = std::filesystem::read_symlink(e.path(), ec).string();
        n += target.rfind("/memfd:", 0) == 0 ? 1 : 0;
    }
    return n;
}

} // namespace

TEST_SUITE("ipc.process") {

TEST_CASE("two processes stream millions of records with matching checksums") {
    std::error_code ec;
    auto seg = Segment::create(SegmentGeometry{1u << 16, 1u << 12}, "stream", ec);
    REQUIRE_FALSE(ec);
    auto bell = Doorbell::create(ec);
    REQUIRE_FALSE(ec);
    constexpr std::uint64_t count = 2'000'000;
    Child child{fork_child([&] { return produce(seg, bell, count); })};
    REQUIRE(child.pid > 0);
    const UniqueFd pidfd = child.pidfd();
    REQUIRE(pidfd);

    auto r = seg.reader(cpd::proto::inbound_ring);
    SleepLog sleeps;
    std::uint64_t got = 0;
    std::uint64_t sum = 0;
    std::uint64_t end[3] = {};
    bool finished = false;
    while (!finished &&
           await_data(r, bell, pidfd.get(), sleeps, std::chrono::microseconds(200))) {
        cpd::ipc::RecordView v;
        RingStatus s;
        while ((s = r.peek(v)) == RingStatus::ok) {
            if (v.type == type_end && v.payload.size() == sizeof end) {
                std::memcpy(end, v.payload.data(), sizeof end);
                finished = true;
            } else {
                sum = fold(sum, v.payload);
                ++got;
            }
            r.consume();
        }
        REQUIRE(s != RingStatus::corrupt);
    }
    REQUIRE(finished);
    CHECK(got == count);
    CHECK(end[0] == count);
    CHECK(end[1] == sum);
    int status = child.reap();
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    sleeps.drained += bell.drain(); // a ring that came with the end record
    MESSAGE("doorbell rings for " << count << " records: " << end[2] << "; consumer sleeps "
                                  << sleeps.announced);
    // How rarely a busy stream rings is a performance figure (tests/bench/ring).
    // What must hold: no sleep went without its ring, every ring was collected,
    // and the producer rang only a consumer that had announced its sleep.
    CHECK(sleeps.lost == 0);
    CHECK(end[2] <= sleeps.drained);
    CHECK(sleeps.drained <= sleeps.announced);
}

TEST_CASE("a sleeping consumer in another process is woken by the doorbell every time") {
    std::error_code ec;
    auto seg = Segment::create(SegmentGeometry{4096, 4096}, "sleep", ec);
    REQUIRE_FALSE(ec);
    auto bell = Doorbell::create(ec);
    REQUIRE_FALSE(ec);
    const SegmentView view(seg);
    constexpr int records = 200;
    Child child{fork_child([&] {
        auto r = seg.reader(cpd::proto::inbound_ring);
        std::uint32_t type = 0;
        std::vector<std::byte> out;
        SleepLog sleeps;
        for (int i = 0; i < records; ++i) { // no spin: announce sleep at once
            if (!await_data(r, bell, -1, sleeps, std::chrono::nanoseconds(0)) ||
                r.pop(type, out) != RingStatus::ok || out.size() != sizeof i ||
                std::memcmp(out.data(), &i, sizeof i) != 0) {
                return 1;
            }
        }
        return sleeps.lost == 0 ? 0 : 2;
    })};
    REQUIRE(child.pid > 0);
    auto w = seg.writer(cpd::proto::inbound_ring);
    const auto& asleep = view.inbound_sleeping();
    int rings = 0;
    for (int i = 0; i < records; ++i) {
        // Push only once the consumer has said it sleeps: then the push must ring.
        const auto deadline =
            std::chrono::steady_clock::now() + std::chrono::milliseconds(watchdog_ms);
        while (asleep.load(std::memory_order_acquire) == 0 &&
               std::chrono::steady_clock::now() < deadline) {
            ::sched_yield();
        }
        REQUIRE(asleep.load(std::memory_order_acquire) != 0);
        REQUIRE(w.push(type_data, std::as_bytes(std::span(&i, 1))) == RingStatus::ok);
        rings += w.wake_if_sleeping(bell) ? 1 : 0;
    }
    int status = child.reap();
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    CHECK(rings == records);
}

TEST_CASE("a ping-pong between two processes loses no wake-up on either side") {
    // Each side sleeps after every record, so every record races the peer's
    // sleep handshake; a wake-up lost by either side stalls both until the
    // watchdog and fails. Spins vary from none to a few microseconds to move
    // the race window around.
    std::error_code ec;
    auto seg = Segment::create(SegmentGeometry{4096, 4096}, "pingpong", ec);
    REQUIRE_FALSE(ec);
    auto to_child = Doorbell::create(ec);
    REQUIRE_FALSE(ec);
    auto to_parent = Doorbell::create(ec);
    REQUIRE_FALSE(ec);
    constexpr std::uint64_t rounds = 20000;
    auto spin_of = [](std::uint64_t i) { return std::chrono::nanoseconds((i * 7919) % 5 * 1000); };
    Child child{fork_child([&] {
        auto r = seg.reader(cpd::proto::inbound_ring);
        auto w = seg.writer(cpd::proto::outbound_ring);
        SleepLog sleeps;
        std::uint32_t type = 0;
        std::vector<std::byte> out;
        for (std::uint64_t i = 0; i < rounds; ++i) {
            if (!await_data(r, to_child, -1, sleeps, spin_of(i + 1))) {
                return 3; // the watchdog: a ping never rang
            }
            if (r.pop(type, out) != RingStatus::ok || out.size() != sizeof i ||
                std::memcmp(out.data(), &i, sizeof i) != 0 ||
                w.push(type_data, std::as_bytes(std::span(&i, 1))) != RingStatus::ok) {
                return 4;
            }
            w.wake_if_sleeping(to_parent);
        }
        return sleeps.lost == 0 ? 0 : 3;
    })};
    REQUIRE(child.pid > 0);
    const UniqueFd pidfd = child.pidfd();
    REQUIRE(pidfd);
    auto w = seg.writer(cpd::proto::inbound_ring);
    auto r = seg.reader(cpd::proto::outbound_ring);
    SleepLog sleeps;
    std::uint32_t type = 0;
    std::vector<std::byte> out;
    std::uint64_t answered = 0;
    for (std::uint64_t i = 0; i < rounds; ++i) {
        REQUIRE(w.push(type_data, std::as_bytes(std::span(&i, 1))) == RingStatus::ok);
        w.wake_if_sleeping(to_child);
        if (!await_data(r, to_parent, pidfd.get(), sleeps, spin_of(i))) {
            break;
        }
        REQUIRE(r.pop(type, out) == RingStatus::ok);
        REQUIRE(out.size() == sizeof i);
        answered += std::memcmp(out.data(), &i, sizeof i) == 0 ? 1 : 0;
    }
    MESSAGE("ping-pong: " << answered << " rounds, parent slept " << sleeps.announced
                          << " times");
    CHECK(answered == rounds);
    CHECK(sleeps.lost == 0);
    int status = child.reap();
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0); // 3: the child lost a wake-up
}

TEST_CASE("a SIGKILL of either side leaves nothing behind and is seen by the peer") {
    const auto shm_before = listing("/dev/shm");
    const auto tmp_before = listing("/tmp");
    const int memfds_before = memfd_count();
    bool kill_producer = true;
    SUBCASE("producer killed") { kill_producer = true; }
    SUBCASE("consumer killed") { kill_producer = false; }
    {
        std::error_code ec;
        auto seg = Segment::create(SegmentGeometry{1u << 14, 4096}, "killed", ec);
        REQUIRE_FALSE(ec);
        auto bell = Doorbell::create(ec);
        REQUIRE_FALSE(ec);
        Child child{fork_child([&] {
            if (kill_producer) {
                return produce(seg, bell, ~std::uint64_t{0} >> 1); // never ends
            }
            auto r = seg.reader(cpd::proto::inbound_ring);
            std::uint32_t type = 0;
            std::vector<std::byte> out;
            while (r.wait(bell, 100000) && r.pop(type, out) != RingStatus::corrupt) {
            }
            return 1;
        })};
        REQUIRE(child.pid > 0);
        const UniqueFd pidfd = child.pidfd();
        REQUIRE(pidfd);
        std::uint64_t moved = 0;
        if (kill_producer) {
            auto r = seg.reader(cpd::proto::inbound_ring);
            std::uint32_t type = 0;
            std::vector<std::byte> out;
            SleepLog sleeps;
            while (moved < 100000 &&
                   await_data(r, bell, pidfd.get(), sleeps, std::chrono::microseconds(200))) {
                moved += r.pop(type, out) == RingStatus::ok ? 1 : 0;
            }
        } else {
            auto w = seg.writer(cpd::proto::inbound_ring);
            std::uint64_t rings = 0;
            while (moved < 100000 && push_blocking(w, bell, type_data,
                                                   std::as_bytes(std::span(&moved, 1)), rings,
                                                   child.pid)) {
                ++moved;
            }
        }
        CHECK(moved == 100000);
        REQUIRE(::kill(child.pid, SIGKILL) == 0);
        int status = child.reap();
        CHECK(WIFSIGNALED(status));
        CHECK(WTERMSIG(status) == SIGKILL);
        if (!kill_producer) { // the survivor sees a full ring, not a broken one
            auto w = seg.writer(cpd::proto::inbound_ring);
            RingStatus s = RingStatus::ok;
            for (int i = 0; i < 100000 && s == RingStatus::ok; ++i) {
                s = w.push(type_data, std::as_bytes(std::span(&i, 1)));
            }
            CHECK(s == RingStatus::full);
        }
    }
    CHECK(memfd_count() == memfds_before);
    CHECK(listing("/dev/shm") == shm_before);
    for (const auto& name : listing("/tmp")) { // others may add files; none may be ours
        if (tmp_before.count(name) == 0) {
            CHECK(name.find("memfd") == std::string::npos);
            CHECK(name.find("killed") == std::string::npos);
        }
    }
}

} // TEST_SUITE
