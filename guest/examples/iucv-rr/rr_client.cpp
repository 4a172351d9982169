// SPDX-License-Identifier: MIT
// RRCLIENT: PARM "<server> <count> [<result file>]". At IPL it connects
// to the server, keeps up to `window` two-way requests outstanding (the path's
// MSGLIMIT), checks every reply against the upper-cased request, then writes
// one result line to its console (and to the file, if named) and severs.
#include "rr_protocol.hpp"

#include "cpd/guest/run.hpp"

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <sstream>
#include <string>
#include <unordered_map>

namespace {

using namespace cpd::guest;
using Clock = std::chrono::steady_clock;

/// Two-way requests in flight at once; also the MSGLIMIT asked for on CONNECT.
constexpr std::uint16_t window = 8;

class RrClient final : public Handler {
  public:
    void on_ipl(Context& ctx) override {
        std::istringstream parm{std::string(ctx.parm())};
        parm >> server_ >> count_ >> result_file_;
        if (server_.empty() || count_ == 0) {
            return finish(ctx, "FAILED: PARM must be \"<server> <count> [<result file>]\"");
        }
        const ConnectResult r = ctx.iucv_connect(server_, user_data_from("RRCLIENT"), window);
        if (r.rc != IucvRc::ok) {
            return finish(ctx, "FAILED: connect rc " + rc_text(r.rc));
        }
        path_ = r.path;
    }
    void on_connection_complete(Context& ctx, PathId, const Userid&, const UserData&) override {
        started_ = Clock::now();
        pump(ctx);
    }
    void on_connection_failed(Context& ctx, PathId, IucvRc rc) override {
        path_ = 0;
        finish(ctx, "FAILED: connect to " + server_ + " rc " + rc_text(rc));
    }
    void on_connection_severed(Context& ctx, PathId, const Userid&, const UserData&) override {
        path_ = 0;
        finish(ctx, "FAILED: server severed the path after " + std::to_string(ok_) + " replies");
    }
    void on_iucv_reply(Context& ctx, PathId, std::uint32_t msgid,
                       std::span<const std::byte> data) override {
        auto it = expected_.find(msgid);
        if (it != expected_.end()) {
            ++(iucv_rr::as_text(data) == it->second ? ok_ : bad_);
            expected_.erase(it);
        }
        pump(ctx);
    }
    void on_iucv_send_failed(Context& ctx, PathId, std::uint32_t msgid, IucvRc) override {
        expected_.erase(msgid);
        ++bad_;
        pump(ctx);
    }

  private:
    static std::string rc_text(IucvRc rc) {
        return std::to_string(static_cast<unsigned>(rc)) + " (" +
               std::string(cpd::proto::iucv_rc_name(rc)) + ")";
    }

    /// Sends requests while the window allows; finishes once every reply is in.
    void pump(Context& ctx) {
        while (!done_ && sent_ < count_ && expected_.size() < window) {
            const std::string request = "request " + std::to_string(sent_ + 1) + " of " +
                                        std::to_string(count_) + ": the quick brown fox";
            const IucvSendResult r = ctx.iucv_send(path_, iucv_rr::as_bytes(request), true);
            if (r.rc == IucvRc::busy) { // ring full: try again shortly
                ctx.call_later(std::chrono::microseconds(200), [this](Context& c) { pump(c); });
                return;
            }
            if (r.rc != IucvRc::ok) {
                return finish(ctx, "FAILED: send rc " + rc_text(r.rc));
            }
            expected_.emplace(r.msgid, iucv_rr::answer_to(request));
            ++sent_;
        }
        if (!done_ && sent_ == count_ && expected_.empty()) {
            const auto us =
                std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started_);
            finish(ctx, std::to_string(count_) + " requests, " + std::to_string(ok_) +
                            " replies ok, " + std::to_string(bad_) + " bad, " +
                            std::to_string(us.count()) + " us");
        }
    }

    /// Reports the outcome once and severs the path.
    void finish(Context& ctx, const std::string& outcome) {
        if (done_) {
            return;
        }
        done_ = true;
        const std::string line = "RRCLIENT: " + outcome;
        ctx.console_write(line);
        if (!result_file_.empty()) {
            if (std::FILE* f = std::fopen(result_file_.c_str(), "a")) {
                std::fprintf(f, "%s\n", line.c_str());
                std::fclose(f);
            }
        }
        if (path_ != 0) {
            ctx.iucv_sever(path_, user_data_from("DONE"));
            path_ = 0;
        }
    }

    std::string server_;
    std::string result_file_;
    std::uint64_t count_ = 0;
    std::uint64_t sent_ = 0;
    std::uint64_t ok_ = 0;
    std::uint64_t bad_ = 0;
    PathId path_ = 0;
    bool done_ = false;
    Clock::time_point started_;
    std::unordered_map<std::uint32_t, std::string> expected_;
};

} // namespace

int main() {
    return cpd::guest::run_guest<RrClient>();
}
