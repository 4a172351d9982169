// SPDX-License-Identifier: MIT
// The hostile guest of bench_guest_spam. PARM "<mode> <result file>":
// - CP:   issues QUERY STATS as fast as its outbound ring takes them, never
//         waiting for answers (a full ring only makes it retry at once), and
//         counts the answers without printing them (printing would turn the
//         test into a console-output flood);
// - BELL: writes its outbound doorbell (an eventfd, fd 5) in a tight loop, with
//         nothing on its ring: every wake-up it causes is empty. It writes the
//         descriptor directly, as any guest may; the runtime's own ring() only
//         rings when cpd said it sleeps.
// Both go back to their event loop between bursts, so they keep reading their
// inbound ring: cpd has no reason to force them except what they spam. Every
// 200 ms they write "<issued> <answered> <ns since IPL>" to the result file.
#include "cpd/guest/run.hpp"
#include "cpd/proto/guest_launch.hpp"

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>

#include <unistd.h>

namespace {

using namespace cpd::guest;
using Clock = std::chrono::steady_clock;

/// Actions per burst before the runtime gets a turn (inbound frames, timers).
constexpr int burst = 256;

class Spammer final : public Handler {
  public:
    Spammer(bool bell, std::string result) : bell_(bell), result_(std::move(result)) {}

    void on_ipl(Context& ctx) override {
        start_ = Clock::now();
        spam(ctx);
        report_later(ctx);
    }
    void on_cp_response(Context&, std::uint32_t, cpd::proto::CpRc, std::string_view) override {
        ++answered_;
    }

  private:
    void spam(Context& ctx) {
        for (int i = 0; i < burst; ++i) {
            if (bell_) {
                const std::uint64_t one = 1;
                if (::write(cpd::proto::guest_outbound_bell_fd, &one, sizeof one) ==
                    static_cast<ssize_t>(sizeof one)) {
                    ++issued_;
                }
            } else if (ctx.cp_command(static_cast<std::uint32_t>(issued_), "QUERY STATS") ==
                       SendStatus::ok) {
                ++issued_;
            } else {
                break; // ring full: cpd has not caught up; try again next turn
            }
        }
        ctx.call_later(std::chrono::microseconds(0), [this](Context& c) { spam(c); });
    }

    void report_later(Context& ctx) {
        ctx.call_later(std::chrono::milliseconds(200), [this](Context& c) {
            write_result();
            report_later(c);
        });
    }

    void write_result() const {
        const std::string tmp = result_ + ".tmp";
        if (std::FILE* f = std::fopen(tmp.c_str(), "w")) {
            const auto ns =
                std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start_);
            std::fprintf(f, "%llu %llu %lld\n", static_cast<unsigned long long>(issued_),
                         static_cast<unsigned long long>(answered_),
                         static_cast<long long>(ns.count()));
            std::fclose(f);
            std::rename(tmp.c_str(), result_.c_str());
        }
    }

    bool bell_;
    std::string result_;
    std::uint64_t issued_ = 0, answered_ = 0;
    Clock::time_point start_;
};

} // namespace

int main() {
    const char* parm_env = std::getenv(cpd::proto::guest_parm_env);
    std::istringstream parm(parm_env != nullptr ? parm_env : "");
    std::string mode, result;
    parm >> mode >> result;
    Spammer s(mode == "BELL", result);
    return cpd::guest::run(s);
}
