// SPDX-License-Identifier: MIT
// CHAOS: a guest for the chaos test. It accepts every IUCV connection, counts
// the messages it gets on each path, and on command floods one path with
// one-way messages as fast as its ring allows (pausing 1 ms when cpd answers
// busy: the receiver's ring is full). It appends its events to the file named
// by its PARM: "IPL <id>", "COMPLETE <path> <peer>", "SEVERED <path> <peer>",
// "FAILED <path> <rc>", "FLUSHED <peer> <sent> <failed>" and "RECEIVED <peer>
// <n>". SMSG commands: FLOOD <target> (connect, then flood), STOP (stop
// flooding), FLUSH (a CP command queued behind the last message; FLUSHED when
// cpd answers it, so every message has been routed by then) and REPORT
// (RECEIVED for each path it holds). Per-message work writes nothing.
#include "cpd/guest/run.hpp"

#include <chrono>
#include <cstdio>
#include <map>
#include <string>

namespace {

using namespace cpd::guest;

/// Messages sent in one go before the loop serves inbound frames.
constexpr int burst = 1024;
/// The tag of the CP command STOP queues behind the flood.
constexpr std::uint32_t flush_tag = 7;

class ChaosGuest final : public Handler {
  public:
    void on_ipl(Context& ctx) override {
        file_ = std::fopen(std::string(ctx.parm()).c_str(), "a");
        record("IPL " + std::string(ctx.userid().str()));
    }
    void on_smsg(Context& ctx, const Userid&, std::string_view text) override {
        if (text.starts_with("FLOOD ")) {
            connect(ctx, std::string(text.substr(6)), 0);
        } else if (text == "STOP") {
            flooding_ = false;
        } else if (text == "FLUSH") {
            ctx.cp_command(flush_tag, "QUERY NAMES");
        } else if (text == "REPORT") {
            for (const auto& [path, n] : received_) {
                record("RECEIVED " + peer_[path] + " " + std::to_string(n));
            }
        }
    }
    void on_cp_response(Context&, std::uint32_t tag, cpd::proto::CpRc, std::string_view) override {
        if (tag == flush_tag) {
            record("FLUSHED " + peer_[flood_path_] + " " + std::to_string(sent_) + " " +
                   std::to_string(failed_));
        }
    }
    void on_connection_complete(Context& ctx, PathId path, const Userid& peer,
                                const UserData&) override {
        peer_[path] = std::string(peer.str());
        received_[path] = 0;
        record("COMPLETE " + std::to_string(path) + " " + peer_[path]);
        if (path == flood_path_) {
            flooding_ = true;
            send_burst(ctx);
        }
    }
    void on_connection_failed(Context&, PathId path, IucvRc rc) override {
        record("FAILED " + std::to_string(path) + " " + std::to_string(static_cast<unsigned>(rc)));
    }
    void on_connection_severed(Context&, PathId path, const Userid& peer,
                               const UserData&) override {
        record("SEVERED " + std::to_string(path) + " " + std::string(peer.str()));
        received_.erase(path);
        if (path == flood_path_) {
            flooding_ = false;
        }
    }
    void on_iucv_message(Context&, PathId path, std::uint32_t, std::span<const std::byte>,
                         bool) override {
        ++received_[path];
    }
    void on_iucv_send_failed(Context&, PathId path, std::uint32_t, IucvRc rc) override {
        failed_ += path == flood_path_ ? 1 : 0;
        backoff_ = backoff_ || rc == IucvRc::busy;
    }

  private:
    /// Connects to `target` to flood it, retrying while the outbound ring is
    /// busy (it may still hold the flood for a peer that was just killed).
    void connect(Context& ctx, const std::string& target, int tries) {
        const ConnectResult r = ctx.iucv_connect(target);
        if (r.rc == IucvRc::busy && tries < 5000) {
            ctx.call_later(std::chrono::milliseconds(1),
                           [this, target, tries](Context& c) { connect(c, target, tries + 1); });
            return;
        }
        if (r.rc != IucvRc::ok) {
            record("FAILED 0 " + std::to_string(static_cast<unsigned>(r.rc)));
            return;
        }
        flood_path_ = r.path;
        sent_ = failed_ = 0;
    }

    /// Sends until the ring is busy or a burst is done, then comes back later.
    void send_burst(Context& ctx) {
        static const std::string text(64, 'c');
        for (int n = 0; n < burst; ++n) {
            if (!flooding_) {
                return;
            }
            if (backoff_) { // the receiver is behind: give it a moment
                backoff_ = false;
                ctx.call_later(std::chrono::milliseconds(1), [this](Context& c) { send_burst(c); });
                return;
            }
            const IucvSendResult r =
                ctx.iucv_send(flood_path_, std::as_bytes(std::span(text.data(), text.size())));
            if (r.rc == IucvRc::busy) {
                ctx.call_later(std::chrono::microseconds(50),
                               [this](Context& c) { send_burst(c); });
                return;
            }
            if (r.rc != IucvRc::ok) {
                flooding_ = false; // severed meanwhile
                return;
            }
            ++sent_;
        }
        ctx.call_later(std::chrono::microseconds(0), [this](Context& c) { send_burst(c); });
    }

    void record(const std::string& line) {
        if (file_ != nullptr) {
            std::fprintf(file_, "%s\n", line.c_str());
            std::fflush(file_);
        }
    }

    std::FILE* file_ = nullptr;
    PathId flood_path_ = 0;
    bool flooding_ = false;
    bool backoff_ = false;
    std::uint64_t sent_ = 0;
    std::uint64_t failed_ = 0;
    std::map<PathId, std::uint64_t> received_;
    std::map<PathId, std::string> peer_;
};

} // namespace

int main() {
    return cpd::guest::run_guest<ChaosGuest>();
}
