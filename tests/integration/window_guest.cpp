// SPDX-License-Identifier: MIT
// WINDOWTST: a guest for smsg_window_test.cpp, on the SDK's SmsgWindow and
// SmsgCredits. PARM "<file> SEND <to> <count> <window>": on an SMSG "!GO" it
// sends <count> numbered 64-byte SMSGs to <to>, waiting (never dropping)
// whenever the window or its ring is full, then appends "SENT n WAITS w".
// PARM "<file> RECV <every>": counts what arrives, checks the numbers come in
// order, credits every <every>, and on "!REPORT" appends "GOT n ORDER ok|bad".
#include "cpd/guest/run.hpp"
#include "cpd/guest/smsg_window.hpp"

#include <charconv>
#include <chrono>
#include <cstdio>
#include <memory>
#include <sstream>
#include <string>

namespace {

using namespace cpd::guest;

class WindowGuest final : public Handler {
  public:
    void on_ipl(Context& ctx) override {
        std::istringstream parm{std::string(ctx.parm())};
        std::string role, to;
        std::uint64_t every = 1, window = 1;
        parm >> file_ >> role;
        if (role == "SEND") {
            parm >> to >> count_ >> window;
            window_ = std::make_unique<SmsgWindow>(to, static_cast<std::uint32_t>(window));
        } else {
            parm >> every;
            credits_ = std::make_unique<SmsgCredits>(static_cast<std::uint32_t>(every));
        }
    }

    void on_smsg(Context& ctx, const Userid& from, std::string_view text) override {
        if (window_ && window_->on_smsg(from, text)) {
            return pump(ctx); // a credit: the window has room again
        }
        if (text == "!GO" && window_) {
            return pump(ctx);
        }
        if (text == "!REPORT") {
            return append("GOT " + std::to_string(got_) + " ORDER " + (in_order_ ? "ok" : "bad"));
        }
        if (credits_) {
            std::uint64_t n = 0;
            std::from_chars(text.data(), text.data() + text.size(), n);
            in_order_ = in_order_ && n == got_;
            ++got_;
            credits_->on_smsg(ctx, from);
        }
    }

  private:
    /// Sends until done or the window or ring is full; a full ring is tried
    /// again shortly, a full window when the next credit comes.
    void pump(Context& ctx) {
        while (next_ < count_) {
            std::string text = std::to_string(next_);
            text.resize(64, '.');
            const SendStatus s = window_->send(ctx, text);
            if (s == SendStatus::busy) {
                if (!window_->is_window_full() && !retry_armed_) {
                    retry_armed_ =
                        ctx.call_later(std::chrono::microseconds(100), [this](Context& c) {
                            retry_armed_ = false;
                            pump(c);
                        });
                }
                return;
            }
            if (s != SendStatus::ok) {
                return append("SEND FAILED " + std::string(describe(s)));
            }
            ++next_;
        }
        if (!reported_) {
            reported_ = true;
            append("SENT " + std::to_string(window_->sent()) + " WAITS " +
                   std::to_string(window_->waits()));
        }
    }

    void append(const std::string& line) {
        if (std::FILE* f = std::fopen(file_.c_str(), "a")) {
            std::fprintf(f, "%s\n", line.c_str());
            std::fclose(f);
        }
    }

    std::string file_;
    std::unique_ptr<SmsgWindow> window_;
    std::unique_ptr<SmsgCredits> credits_;
    std::uint64_t count_ = 0, next_ = 0, got_ = 0;
    bool in_order_ = true, retry_armed_ = false, reported_ = false;
};

} // namespace

int main() {
    return cpd::guest::run_guest<WindowGuest>();
}
