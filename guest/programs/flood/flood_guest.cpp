// SPDX-License-Identifier: MIT
// FLOOD: with PARM "[FLOOD] target [count [size]]" sends SMSGs to target as
// fast as the outbound ring allows (count 0: until logoff; size 1-236 bytes,
// default 64), each text starting with its sequence number. A full ring is
// counted and retried shortly after; console input STATS shows the counters.
#include "cpd/guest/run.hpp"
#include "cpd/ipc/log.hpp"
#include "cpd/proto/version.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <sstream>
#include <string>

namespace {

using namespace cpd::guest;

/// Messages sent in one go before yielding to inbound frames.
constexpr std::uint64_t burst = 4096;
/// Pause after the ring was found full.
constexpr auto busy_pause = std::chrono::microseconds(20);

class FloodGuest final : public Handler {
  public:
    void on_ipl(Context& ctx) override {
        std::istringstream parm{std::string(ctx.parm())};
        std::string word;
        parm >> word;
        if (word == "FLOOD" || word == "flood") {
            parm >> word;
        }
        if (word.empty()) {
            ctx.console_write("FLOOD: no target in PARM; idle");
            return;
        }
        target_ = word;
        std::size_t size = 64;
        parm >> count_ >> size;
        size = std::clamp<std::size_t>(size, 1, cpd::proto::smsg_max_text);
        text_.assign(size, '.');
        CPD_LOG(info, "flood: sending ", count_, " (0 = unlimited) messages of ", size,
                " bytes to ", target_);
        send_burst(ctx);
    }

    std::optional<int> on_console_input(Context& ctx, std::string_view line) override {
        if (line == "STATS" || line == "stats") {
            ctx.console_write("FLOOD: sent " + std::to_string(sent_) + " busy " +
                              std::to_string(busy_));
            return 0;
        }
        if (line == "STOP" || line == "stop") {
            stopped_ = true;
            return 0;
        }
        return Handler::on_console_input(ctx, line);
    }

  private:
    /// Sends until the count is reached, the ring is full or a burst is done.
    void send_burst(Context& ctx) {
        for (std::uint64_t n = 0; n < burst; ++n) {
            if (stopped_ || (count_ != 0 && sent_ >= count_)) {
                CPD_LOG(info, "flood: done: sent ", sent_, " busy ", busy_);
                return;
            }
            stamp(sent_ + 1);
            const SendStatus s = ctx.send_smsg(target_, text_);
            if (s == SendStatus::busy) {
                ++busy_;
                ctx.call_later(busy_pause, [this](Context& c) { send_burst(c); });
                return;
            }
            if (s != SendStatus::ok) {
                CPD_LOG(error, "flood: unable to send to ", target_, ": ", describe(s));
                return;
            }
            ++sent_;
        }
        ctx.call_later(std::chrono::microseconds(0), [this](Context& c) { send_burst(c); });
    }

    /// Writes the sequence number at the start of the text.
    void stamp(std::uint64_t seq) {
        char digits[24];
        auto [end, ec] = std::to_chars(digits, digits + sizeof digits, seq);
        (void)ec;
        const auto n = std::min<std::size_t>(static_cast<std::size_t>(end - digits), text_.size());
        std::fill(text_.begin(), text_.end(), '.');
        std::copy_n(digits, n, text_.begin());
    }

    std::string target_;
    std::string text_;
    std::uint64_t count_ = 0;
    std::uint64_t sent_ = 0;
    std::uint64_t busy_ = 0;
    bool stopped_ = false;
};

} // namespace

int main() {
    return cpd::guest::run_guest<FloodGuest>();
}
