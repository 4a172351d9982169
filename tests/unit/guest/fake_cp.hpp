// SPDX-License-Identifier: MIT
// FakeCp: the test plays cpd for one real guest process. It creates the
// segment and doorbells, forks a child that puts them on fds 3-5, sets the
// CPD_GUEST_* environment and runs a Handler through cpd::guest::run; the
// parent pushes CpdFrames and reads GuestFrames. Header-only (test support).
#pragma once

#include "cpd/guest/run.hpp"
#include "cpd/ipc/segment.hpp"
#include "cpd/proto/guest_launch.hpp"
#include "cpd/proto/ring_frame.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstring>
#include <cstdlib>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace cpd::test {

/// A frame read from the guest, with the bytes its views point into.
struct Received {
    std::vector<std::byte> bytes;
    proto::GuestFrame frame{proto::LogoffRequest{}};
};

class FakeCp {
  public:
    explicit FakeCp(ipc::SegmentGeometry geometry = {1u << 16, 1u << 16}) {
        std::error_code ec;
        segment_ = ipc::Segment::create(geometry, "guest-test", ec);
        REQUIRE_FALSE(ec);
        in_bell_ = ipc::Doorbell::create(ec);
        REQUIRE_FALSE(ec);
        out_bell_ = ipc::Doorbell::create(ec);
        REQUIRE_FALSE(ec);
        writer_ = segment_.writer(proto::inbound_ring);
        reader_ = segment_.reader(proto::outbound_ring);
        map_view();
    }
    FakeCp(const FakeCp&) = delete;
    FakeCp& operator=(const FakeCp&) = delete;
    ~FakeCp() {
        if (pid_ > 0) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
        }
        if (view_ != nullptr) {
            ::munmap(view_, view_size_);
        }
    }

    /// Forks the guest: `handler` runs in the child as userid `userid`.
    void start(guest::Handler& handler, const char* userid = "TESTER", const char* parm = "") {
        pid_ = ::fork();
        REQUIRE(pid_ >= 0);
        if (pid_ == 0) {
            _exit(run_child(handler, userid, parm));
        }
    }

    /// Forks and execs the guest program at `path`, as cpd would.
    void start_program(const std::string& path, const char* userid, const char* parm) {
        pid_ = ::fork();
        REQUIRE(pid_ >= 0);
        if (pid_ == 0) {
            if (prepare_child(userid, parm)) {
                const std::string argv0 = std::string("cpd:") + userid;
                ::execl(path.c_str(), argv0.c_str(), static_cast<char*>(nullptr));
            }
            _exit(127);
        }
    }

    /// Puts one frame on the guest's inbound ring (waits while the ring is full) and wakes it.
    void push(const proto::CpdFrame& frame) {
        std::vector<std::byte> bytes(proto::encoded_size(frame));
        REQUIRE(proto::encode(frame, bytes) == bytes.size());
        push_raw(static_cast<std::uint32_t>(proto::frame_type(frame)), bytes);
    }

    /// Puts a frame of another contract (spool_frame.hpp) by type and payload.
    void push_raw(std::uint32_t type, const std::vector<std::byte>& bytes) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
        ipc::RingStatus s;
        while ((s = writer_.push(type, bytes)) == ipc::RingStatus::full) {
            writer_.wake_if_sleeping(in_bell_);
            REQUIRE(std::chrono::steady_clock::now() < deadline);
            std::this_thread::sleep_for(std::chrono::microseconds(100));
        }
        REQUIRE(s == ipc::RingStatus::ok);
        writer_.wake_if_sleeping(in_bell_);
    }

    /// The next frame from the guest, or nothing after `timeout_ms`.
    std::optional<Received> next(int timeout_ms = 3000) {
        const auto deadline =
            std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
        for (;;) {
            std::uint32_t type = 0;
            std::vector<std::byte> bytes;
            const ipc::RingStatus s = reader_.pop(type, bytes);
            if (s == ipc::RingStatus::ok) {
                auto frame = proto::decode_guest_frame(type, bytes);
                REQUIRE(frame.has_value());
                return Received{std::move(bytes), *frame};
            }
            REQUIRE(s == ipc::RingStatus::empty);
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0) {
                return std::nullopt;
            }
            if (reader_.prepare_sleep()) {
                out_bell_.wait(static_cast<int>(std::min<long>(left.count(), 50)));
                reader_.cancel_sleep();
                out_bell_.drain();
            }
        }
    }

    /// The guest's "about to sleep" flag on its inbound ring, seen through a
    /// second mapping of the segment (a forked ScriptedGuest inherits it).
    const std::atomic<std::uint32_t>& guest_sleep_flag() const {
        proto::SegmentHeader header{};
        std::memcpy(&header, view_, sizeof header);
        const auto* ring = reinterpret_cast<const proto::RingControl*>(
            static_cast<const std::byte*>(view_) + header.ring_offset[proto::inbound_ring]);
        return ring->consumer_sleeping;
    }
    /// Waits until the guest announces that it sleeps: everything it had to do is
    /// done. An event, not a guess; `timeout_ms` is only a watchdog.
    bool wait_until_guest_sleeps(int timeout_ms = 10000) const {
        const auto deadline =
            std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
        while (guest_sleep_flag().load(std::memory_order_acquire) == 0) {
            if (std::chrono::steady_clock::now() >= deadline) {
                return false;
            }
            ::sched_yield();
        }
        return true;
    }

    /// Announces that this fake cpd sleeps on the guest's ring; false if frames are waiting.
    bool prepare_sleep() { return reader_.prepare_sleep(); }
    /// Waits for the guest's doorbell only (no polling); true if it rang in time.
    bool wait_for_bell(int timeout_ms) {
        const bool rang = out_bell_.wait(timeout_ms);
        reader_.cancel_sleep();
        out_bell_.drain();
        return rang;
    }

    /// The next frame, which must be a T; its text is copied out by `line()` etc.
    template <class T> T expect(Received& holder, int timeout_ms = 3000) {
        auto r = next(timeout_ms);
        REQUIRE(r.has_value());
        holder = std::move(*r);
        const T* f = std::get_if<T>(&holder.frame);
        INFO("frame type received: ", static_cast<unsigned>(proto::frame_type(holder.frame)));
        REQUIRE(f != nullptr);
        return *f;
    }

    /// The next frame must be a console line; returns it.
    std::string line(int timeout_ms = 3000) {
        Received holder;
        return std::string(expect<proto::ConsoleOutput>(holder, timeout_ms).line);
    }

    /// Types a console line at the guest.
    void type(std::string_view text) { push(proto::ConsoleInput{text}); }

    /// Waits for the guest to exit: its exit status, 128+signal, or -1 (then killed).
    int wait_exit(int timeout_ms = 5000) {
        const auto deadline =
            std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
        int status = 0;
        while (std::chrono::steady_clock::now() < deadline) {
            const pid_t r = ::waitpid(pid_, &status, WNOHANG);
            if (r == pid_) {
                pid_ = -1;
                return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        return -1;
    }

  private:
    void map_view() {
        struct stat st {};
        REQUIRE(::fstat(segment_.fd(), &st) == 0);
        view_size_ = static_cast<std::size_t>(st.st_size);
        view_ = ::mmap(nullptr, view_size_, PROT_READ, MAP_SHARED, segment_.fd(), 0);
        REQUIRE(view_ != MAP_FAILED);
    }

    int run_child(guest::Handler& handler, const char* userid, const char* parm) {
        return prepare_child(userid, parm) ? guest::run(handler) : 99;
    }

    /// In the child: descriptors onto 3, 4 and 5 and the CPD_GUEST_* environment.
    bool prepare_child(const char* userid, const char* parm) {
        // Move the three descriptors out of the way first, then onto 3, 4 and 5.
        const int seg = ::fcntl(segment_.fd(), F_DUPFD, 10);
        const int in = ::fcntl(in_bell_.fd(), F_DUPFD, 10);
        const int out = ::fcntl(out_bell_.fd(), F_DUPFD, 10);
        if (seg < 0 || in < 0 || out < 0 || ::dup2(seg, proto::guest_segment_fd) < 0 ||
            ::dup2(in, proto::guest_inbound_bell_fd) < 0 ||
            ::dup2(out, proto::guest_outbound_bell_fd) < 0) {
            return false;
        }
        ::setenv(proto::guest_userid_env, userid, 1);
        ::setenv(proto::guest_parm_env, parm, 1);
        ::setenv(proto::guest_log_level_env, "error", 1);
        return true;
    }

    ipc::Segment segment_;
    ipc::Doorbell in_bell_;
    ipc::Doorbell out_bell_;
    ipc::RingWriter writer_;
    ipc::RingReader reader_;
    pid_t pid_ = -1;
    void* view_ = nullptr;
    std::size_t view_size_ = 0;
};

/// A userid known to be valid.
inline proto::Userid uid(std::string_view name) {
    return *proto::Userid::parse(name);
}

} // namespace cpd::test
