// SPDX-License-Identifier: MIT
// SMSGBENCH: the guest program bench_smsg drives. PARM names a directory for
// result files. Commands arrive as SMSGs (upper case); benchmark traffic uses
// one lower-case letter: d(ata), c(redit), p(ing), r(eply). A sender floods or
// keeps a window of unacknowledged messages; a receiver counts and credits;
// results are written (tmp + rename) as <dir>/<USERID>.<tag>.
#include "cpd/guest/run.hpp"
#include "cpd/ipc/log.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

namespace {

using namespace cpd::guest;
using namespace std::chrono_literals;

/// Sends made in one go before other frames (credits, commands) get a turn.
constexpr int burst = 4096;

std::uint64_t now_ns() {
    return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                          std::chrono::steady_clock::now().time_since_epoch())
                                          .count());
}

std::uint64_t to_u64(std::string_view s) {
    std::uint64_t v = 0;
    std::from_chars(s.data(), s.data() + s.size(), v);
    return v;
}

class BenchGuest final : public Handler {
  public:
    void on_ipl(Context& ctx) override {
        dir_ = std::string(ctx.parm());
        id_ = std::string(ctx.userid().str());
    }

    void on_smsg(Context& ctx, const Userid& from, std::string_view text) override {
        if (text.empty()) {
            return;
        }
        switch (text[0]) {
        case 'd': return on_data(ctx, from);
        case 'c': return on_credit(ctx, text);
        case 'p': return on_ping(ctx, from, text);
        case 'r': return on_reply(ctx);
        default: return on_command(ctx, text);
        }
    }

  private:
    // ---- receiver ---------------------------------------------------------
    void on_data(Context& ctx, const Userid& from) {
        if (count_++ % 64 == 0) { // a clock read per 64 messages keeps the receiver cheap
            last_ns_ = now_ns();
            last_count_ = count_;
            if (count_ == 1) {
                first_ns_ = last_ns_;
            }
        }
        if (credit_every_ != 0 && ++owed_ >= credit_every_) {
            // Appended, not "c" + std::string: g++ 12 at -O3 reports a false
            // -Wrestrict for the prepend (GCC bug 105651).
            std::string credit = "c";
            credit += std::to_string(owed_);
            if (ctx.send_smsg(from.str(), credit) == SendStatus::ok) {
                owed_ = 0;
            }
        }
    }

    void on_ping(Context& ctx, const Userid& from, std::string_view text) {
        reply_.assign(text);
        reply_[0] = 'r';
        ctx.send_smsg(from.str(), reply_);
    }

    // ---- sender -----------------------------------------------------------
    void on_credit(Context& ctx, std::string_view text) {
        credited_ += to_u64(text.substr(1));
        if (waiting_credit_) {
            waiting_credit_ = false;
            send_loop(ctx);
        }
    }

    void send_loop(Context& ctx) {
        if (!sending_) {
            return;
        }
        for (int n = 0; n < burst; ++n) {
            if ((sent_ & 255) == 0 && now_ns() >= deadline_ns_) {
                return finish_sending();
            }
            if (window_ != 0 && sent_ - credited_ >= window_) {
                waiting_credit_ = true;
                return;
            }
            const SendStatus s = ctx.send_smsg(peer_, text_);
            if (s == SendStatus::busy) {
                ++busy_;
                ctx.call_later(20us, [this](Context& c) { send_loop(c); });
                return;
            }
            if (s != SendStatus::ok) {
                CPD_LOG(error, "smsgbench: send failed: ", describe(s));
                return finish_sending();
            }
            ++sent_;
        }
        ctx.call_later(0us, [this](Context& c) { send_loop(c); });
    }

    void finish_sending() {
        sending_ = false;
        write_result("sent", std::to_string(sent_) + " " + std::to_string(busy_) + " " +
                                 std::to_string(start_ns_) + " " + std::to_string(now_ns()) + "\n");
    }

    // ---- ping-pong --------------------------------------------------------
    void send_ping(Context& ctx) {
        ping_sent_ns_ = now_ns();
        if (ctx.send_smsg(peer_, text_) != SendStatus::ok) {
            CPD_LOG(error, "smsgbench: ping not sent");
        }
    }

    void on_reply(Context& ctx) {
        rtts_.push_back(now_ns() - ping_sent_ns_);
        if (rtts_.size() >= pings_) {
            std::string out;
            for (std::uint64_t r : rtts_) {
                out += std::to_string(r) + "\n";
            }
            return write_result("rtt", out);
        }
        if (pause_us_ == 0) {
            return send_ping(ctx);
        }
        ctx.call_later(std::chrono::microseconds(pause_us_), [this](Context& c) { send_ping(c); });
    }

    // ---- commands ---------------------------------------------------------
    void on_command(Context& ctx, std::string_view text) {
        std::istringstream in{std::string(text)};
        std::string verb, tag;
        std::uint64_t size = 64, ms = 1000;
        in >> verb;
        if (verb == "RESET") { // RESET credit_every
            count_ = last_count_ = owed_ = first_ns_ = last_ns_ = 0;
            in >> credit_every_;
        } else if (verb == "REPORT") { // REPORT tag
            in >> tag;
            write_result(tag, std::to_string(count_) + " " + std::to_string(last_count_) + " " +
                                  std::to_string(first_ns_) + " " + std::to_string(last_ns_) + "\n");
        } else if (verb == "SEND") { // SEND peer size ms window(0 = flood)
            in >> peer_ >> size >> ms >> window_;
            make_text('d', size);
            sent_ = credited_ = busy_ = 0;
            waiting_credit_ = false;
            sending_ = true;
            start_ns_ = now_ns();
            deadline_ns_ = start_ns_ + ms * 1'000'000;
            send_loop(ctx);
        } else if (verb == "PING") { // PING peer count pause_us size
            in >> peer_ >> pings_ >> pause_us_ >> size;
            make_text('p', size);
            rtts_.clear();
            rtts_.reserve(pings_);
            send_ping(ctx);
        } else {
            CPD_LOG(warn, "smsgbench: unknown command: ", text);
        }
    }

    void make_text(char kind, std::uint64_t size) {
        text_.assign(std::clamp<std::uint64_t>(size, 1, 236), '.');
        text_[0] = kind;
    }

    void write_result(const std::string& tag, const std::string& body) {
        const std::string path = dir_ + "/" + std::string(id_) + "." + tag;
        const std::string tmp = path + ".tmp";
        if (std::FILE* f = std::fopen(tmp.c_str(), "w")) {
            std::fwrite(body.data(), 1, body.size(), f);
            std::fclose(f);
            std::rename(tmp.c_str(), path.c_str());
        } else {
            CPD_LOG(error, "smsgbench: unable to write ", path);
        }
    }

    std::string dir_, id_, peer_, text_, reply_;
    // receiver
    std::uint64_t count_ = 0, last_count_ = 0, first_ns_ = 0, last_ns_ = 0;
    std::uint64_t credit_every_ = 0, owed_ = 0;
    // sender
    std::uint64_t sent_ = 0, credited_ = 0, busy_ = 0, window_ = 0;
    std::uint64_t start_ns_ = 0, deadline_ns_ = 0;
    bool sending_ = false, waiting_credit_ = false;
    // ping-pong
    std::uint64_t pings_ = 0, pause_us_ = 0, ping_sent_ns_ = 0;
    std::vector<std::uint64_t> rtts_;
};

} // namespace

int main() {
    return cpd::guest::run_guest<BenchGuest>();
}
