// SPDX-License-Identifier: MIT
// The guest half of bench_iucv. PARM "RECV <count> <ack_every>": accepts the
// path, counts messages and sends a 4-byte one-way ack (messages received so
// far) every <ack_every> messages and after the last. PARM "SEND <target>
// <size> <count> <window> <result file>": connects, keeps at most <window>
// unacknowledged one-way messages of <size> bytes in flight, and when the last
// ack arrives writes "<messages> <bytes> <ns> <failures>" to the result file
// (at once, with ns -1, if a send fails: the window overran a ring).
// PARM "PING <target> <size> <count> <pause_us> <result file>": connects, then
// <count> times sends one message and waits for the receiver's ack (a RECV
// with ack_every 1), <pause_us> apart (0: back to back), and writes each round
// trip in ns, one a line, to the result file.
#include "bench_checksum.hpp"
#include "cpd/guest/run.hpp"

#include <chrono>
#include <cstdio>
#include <cstring>
#include <sstream>
#include <string>
#include <vector>

namespace {

using namespace cpd::guest;
using Clock = std::chrono::steady_clock;

class Receiver final : public Handler {
  public:
    Receiver(std::uint64_t count, std::uint64_t ack_every) : count_(count), ack_every_(ack_every) {}
    void on_iucv_message(Context& ctx, PathId path, std::uint32_t, std::span<const std::byte> data,
                         bool) override {
        ++received_;
        checksum_ +=
            cpd::bench::checksum(data.data(), data.size()); // read it all, as an application would
        if (received_ % ack_every_ == 0 || received_ == count_) {
            ack(ctx, path);
        }
    }

  private:
    void ack(Context& ctx, PathId path) {
        const auto n = static_cast<std::uint32_t>(received_);
        std::byte bytes[4];
        std::memcpy(bytes, &n, sizeof n);
        if (ctx.iucv_send(path, bytes).rc == IucvRc::busy) { // retry until it fits
            ctx.call_later(std::chrono::microseconds(0),
                           [this, path](Context& c) { ack(c, path); });
        }
    }
    std::uint64_t count_, ack_every_, received_ = 0;
    std::uint64_t checksum_ = 0;
};

class Sender final : public Handler {
  public:
    Sender(std::string target, std::size_t size, std::uint64_t count, std::uint64_t window,
           std::string result)
        : target_(std::move(target)), data_(size, std::byte{0x5A}), count_(count), window_(window),
          result_(std::move(result)) {}
    void on_ipl(Context& ctx) override {
        if (ctx.iucv_connect(target_).rc != IucvRc::ok) {
            report(0);
        }
    }
    void on_connection_complete(Context& ctx, PathId path, const Userid&,
                                const UserData&) override {
        path_ = path;
        start_ = Clock::now();
        pump(ctx);
    }
    void on_connection_failed(Context&, PathId, IucvRc) override { report(0); }
    void on_iucv_message(Context& ctx, PathId, std::uint32_t, std::span<const std::byte> data,
                         bool) override {
        std::uint32_t n = 0;
        if (data.size() == sizeof n) {
            std::memcpy(&n, data.data(), sizeof n);
            acked_ = n;
        }
        if (acked_ + failures_ >= count_) {
            report(std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start_)
                       .count());
            return;
        }
        pump(ctx);
    }
    void on_iucv_send_failed(Context&, PathId, std::uint32_t, IucvRc) override {
        ++failures_;
        report(-1); // the window overran a ring: this run does not count
    }

  private:
    void pump(Context& ctx) {
        while (sent_ < count_ && sent_ - acked_ < window_) {
            const IucvSendResult r = ctx.iucv_send(path_, data_);
            if (r.rc == IucvRc::busy) {
                if (!retry_) {
                    retry_ = ctx.call_later(std::chrono::microseconds(0), [this](Context& c) {
                        retry_ = false;
                        pump(c);
                    });
                }
                return;
            }
            if (r.rc != IucvRc::ok) {
                ++failures_;
            }
            ++sent_;
        }
    }
    void report(long long ns) {
        if (reported_) {
            return;
        }
        reported_ = true;
        if (std::FILE* f = std::fopen(result_.c_str(), "w")) {
            std::fprintf(f, "%llu %llu %lld %llu\n", static_cast<unsigned long long>(acked_),
                         static_cast<unsigned long long>(acked_ * data_.size()), ns,
                         static_cast<unsigned long long>(failures_));
            std::fclose(f);
        }
    }
    std::string target_;
    std::vector<std::byte> data_;
    std::uint64_t count_, window_, sent_ = 0, acked_ = 0, failures_ = 0;
    std::string result_;
    PathId path_ = 0;
    bool retry_ = false;
    bool reported_ = false;
    Clock::time_point start_;
};

class Pinger final : public Handler {
  public:
    Pinger(std::string target, std::size_t size, std::uint64_t count, std::uint64_t pause_us,
           std::string result)
        : target_(std::move(target)), data_(size, std::byte{0x5A}), count_(count),
          pause_(pause_us), result_(std::move(result)) {
        rtt_ns_.reserve(count);
    }
    void on_ipl(Context& ctx) override {
        if (ctx.iucv_connect(target_).rc != IucvRc::ok) {
            report();
        }
    }
    void on_connection_complete(Context& ctx, PathId path, const Userid&,
                                const UserData&) override {
        path_ = path;
        ping(ctx);
    }
    void on_connection_failed(Context&, PathId, IucvRc) override { report(); }
    void on_iucv_message(Context& ctx, PathId, std::uint32_t, std::span<const std::byte>,
                         bool) override {
        rtt_ns_.push_back(static_cast<std::uint64_t>(
            std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - sent_at_).count()));
        if (rtt_ns_.size() >= count_) {
            report();
        } else if (pause_.count() == 0) {
            ping(ctx);
        } else {
            ctx.call_later(pause_, [this](Context& c) { ping(c); });
        }
    }
    void on_iucv_send_failed(Context&, PathId, std::uint32_t, IucvRc) override { report(); }

  private:
    void ping(Context& ctx) {
        sent_at_ = Clock::now();
        if (ctx.iucv_send(path_, data_).rc != IucvRc::ok) {
            report(); // a lone message never fills a ring: something is wrong
        }
    }
    void report() {
        if (reported_) {
            return;
        }
        reported_ = true;
        const std::string tmp = result_ + ".tmp";
        if (std::FILE* f = std::fopen(tmp.c_str(), "w")) {
            for (std::uint64_t ns : rtt_ns_) {
                std::fprintf(f, "%llu\n", static_cast<unsigned long long>(ns));
            }
            std::fclose(f);
            std::rename(tmp.c_str(), result_.c_str()); // whole or not at all
        }
    }
    std::string target_;
    std::vector<std::byte> data_;
    std::uint64_t count_;
    std::chrono::microseconds pause_;
    std::string result_;
    PathId path_ = 0;
    Clock::time_point sent_at_;
    std::vector<std::uint64_t> rtt_ns_;
    bool reported_ = false;
};

} // namespace

int main() {
    const char* parm_env = std::getenv("CPD_GUEST_PARM");
    std::istringstream parm(parm_env != nullptr ? parm_env : "");
    std::string role;
    parm >> role;
    if (role == "RECV") {
        std::uint64_t count = 0, ack_every = 1;
        parm >> count >> ack_every;
        Receiver r(count, ack_every == 0 ? 1 : ack_every);
        return cpd::guest::run(r);
    }
    if (role == "PING") {
        std::string target, result;
        std::size_t size = 0;
        std::uint64_t count = 0, pause_us = 0;
        parm >> target >> size >> count >> pause_us >> result;
        Pinger p(target, size, count, pause_us, result);
        return cpd::guest::run(p);
    }
    std::string target, result;
    std::size_t size = 0;
    std::uint64_t count = 0, window = 1;
    parm >> target >> size >> count >> window >> result;
    Sender s(target, size, count, window, result);
    return cpd::guest::run(s);
}
