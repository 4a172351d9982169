// SPDX-License-Identifier: MIT
// RRSERVER: accepts every IUCV connection and answers each two-way
// message with its text upper-cased. Replies that find the outbound ring full
// wait in a queue and are retried shortly after. Reports connections, severs
// and totals on its console; "STATS" at the console shows the totals.
#include "rr_protocol.hpp"

#include "cpd/guest/run.hpp"

#include <chrono>
#include <cstdint>
#include <deque>
#include <string>

namespace {

using namespace cpd::guest;

/// A reply waiting for ring space.
struct PendingReply {
    PathId path;
    std::uint32_t msgid;
    std::string text;
};

class RrServer final : public Handler {
  public:
    void on_ipl(Context& ctx) override {
        ctx.console_write("RRSERVER: " + std::string(ctx.userid().str()) + " ready");
    }
    bool on_connection_pending(Context& ctx, PathId path, const Userid& from,
                               const UserData&) override {
        ctx.console_write("RRSERVER: path " + std::to_string(path) + " from " +
                          std::string(from.str()));
        return true;
    }
    void on_iucv_message(Context& ctx, PathId path, std::uint32_t msgid,
                         std::span<const std::byte> data, bool two_way) override {
        ++requests_;
        if (!two_way) {
            return; // nothing to answer
        }
        PendingReply r{path, msgid, iucv_rr::answer_to(iucv_rr::as_text(data))};
        if (!queue_.empty() || !try_reply(ctx, r)) {
            queue_.push_back(std::move(r));
            schedule_retry(ctx);
        }
    }
    void on_connection_severed(Context& ctx, PathId path, const Userid& peer,
                               const UserData&) override {
        std::erase_if(queue_, [path](const PendingReply& r) { return r.path == path; });
        ctx.console_write("RRSERVER: " + std::string(peer.str()) + " severed path " +
                          std::to_string(path));
    }
    std::optional<int> on_console_input(Context& ctx, std::string_view line) override {
        if (line == "STATS" || line == "stats") {
            ctx.console_write("RRSERVER: " + std::to_string(requests_) + " requests, " +
                              std::to_string(replies_) + " replies");
            return 0;
        }
        ctx.console_write("RRSERVER: commands: STATS");
        return 4;
    }

  private:
    /// True if the reply was queued for cpd (or can never be: the path is gone).
    bool try_reply(Context& ctx, const PendingReply& r) {
        const IucvRc rc = ctx.iucv_reply(r.path, r.msgid, iucv_rr::as_bytes(r.text));
        if (rc == IucvRc::busy) {
            return false;
        }
        if (rc == IucvRc::ok) {
            ++replies_;
        }
        return true;
    }
    void schedule_retry(Context& ctx) {
        if (retry_scheduled_) {
            return;
        }
        retry_scheduled_ = ctx.call_later(std::chrono::microseconds(200), [this](Context& c) {
            retry_scheduled_ = false;
            while (!queue_.empty() && try_reply(c, queue_.front())) {
                queue_.pop_front();
            }
            if (!queue_.empty()) {
                schedule_retry(c);
            }
        });
    }

    std::deque<PendingReply> queue_;
    std::uint64_t requests_ = 0;
    std::uint64_t replies_ = 0;
    bool retry_scheduled_ = false;
};

} // namespace

int main() {
    return cpd::guest::run_guest<RrServer>();
}
