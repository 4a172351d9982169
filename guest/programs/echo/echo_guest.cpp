// SPDX-License-Identifier: MIT
// ECHO: answers every SMSG with "ECHO: <text>" to its sender, cut to the
// 236-byte SMSG limit (never inside a UTF-8 character). Replies that find the
// outbound ring full wait in a small queue and are retried shortly after.
#include "cpd/guest/run.hpp"
#include "cpd/ipc/log.hpp"
#include "cpd/proto/version.hpp"

#include <chrono>
#include <deque>
#include <string>

namespace {

using namespace cpd::guest;

/// Most replies kept while the ring is full; more are dropped and counted.
constexpr std::size_t max_queued = 4096;

/// Cuts `s` to at most `max` bytes without splitting a UTF-8 sequence.
std::string cut_utf8(std::string s, std::size_t max) {
    if (s.size() <= max) {
        return s;
    }
    std::size_t n = max;
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) {
        --n;
    }
    s.resize(n);
    return s;
}

class EchoGuest final : public Handler {
  public:
    void on_smsg(Context& ctx, const Userid& from, std::string_view text) override {
        std::string reply = cut_utf8("ECHO: " + std::string(text), cpd::proto::smsg_max_text);
        if (!queue_.empty() || ctx.send_smsg(from.str(), reply) == SendStatus::busy) {
            enqueue(ctx, from, std::move(reply));
        }
    }

  private:
    struct Reply {
        Userid to;
        std::string text;
    };

    /// Keeps a reply for later and makes sure a retry is scheduled.
    void enqueue(Context& ctx, const Userid& to, std::string text) {
        if (queue_.size() >= max_queued) {
            ++dropped_;
            CPD_LOG(warn, "echo: reply to ", to.str(), " dropped (", dropped_, " so far)");
            return;
        }
        queue_.push_back({to, std::move(text)});
        schedule_retry(ctx);
    }

    void schedule_retry(Context& ctx) {
        if (!retry_pending_) {
            retry_pending_ =
                ctx.call_later(std::chrono::microseconds(50), [this](Context& c) { retry(c); });
        }
    }

    /// Sends queued replies in order until the ring is full again.
    void retry(Context& ctx) {
        retry_pending_ = false;
        while (!queue_.empty()) {
            const SendStatus s = ctx.send_smsg(queue_.front().to.str(), queue_.front().text);
            if (s == SendStatus::busy) {
                schedule_retry(ctx);
                return;
            }
            queue_.pop_front();
        }
    }

    std::deque<Reply> queue_;
    std::uint64_t dropped_ = 0;
    bool retry_pending_ = false;
};

} // namespace

int main() {
    return cpd::guest::run_guest<EchoGuest>();
}
