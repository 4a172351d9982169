// SPDX-License-Identifier: MIT
#include "guests/guest_output.hpp"

#include "service/log_text.hpp"

#include "cpd/ipc/log.hpp"

#include <algorithm>
#include <cerrno>

#include <unistd.h>

namespace cpd::daemon {

GuestOutputLines::GuestOutputLines(proto::Userid userid, OutputBudget budget)
    : userid_(userid), budget_(budget), tokens_(budget.burst) {}

bool GuestOutputLines::take_token(std::chrono::steady_clock::time_point now) {
    if (refilled_ != std::chrono::steady_clock::time_point{}) {
        const double seconds = std::chrono::duration<double>(now - refilled_).count();
        tokens_ = std::min(budget_.burst, tokens_ + seconds * budget_.lines_per_second);
    }
    refilled_ = now;
    if (tokens_ < 1) {
        return false;
    }
    tokens_ -= 1;
    return true;
}

bool GuestOutputLines::over_budget(std::chrono::steady_clock::time_point now) {
    if (refilled_ != std::chrono::steady_clock::time_point{}) {
        const double seconds = std::chrono::duration<double>(now - refilled_).count();
        tokens_ = std::min(budget_.burst, tokens_ + seconds * budget_.lines_per_second);
        refilled_ = now;
    }
    return tokens_ < 1;
}

std::string GuestOutputLines::tagged(std::string_view text) const {
    return "guest " + std::string(userid_.str()) + ": " + loggable_text(text);
}

GuestOutput::GuestOutput(boost::asio::io_context& io, proto::Userid userid, ipc::UniqueFd pipe)
    : pipe_(io), pause_(io), lines_(userid, OutputBudget{}) {
    pipe_.assign(pipe.get());
    pipe.release();
}

GuestOutput::~GuestOutput() {
    *alive_ = false;
}

void GuestOutput::start() {
    do_read();
}

void GuestOutput::log(std::string_view bytes) {
    lines_.feed(bytes, std::chrono::steady_clock::now(),
                [](const std::string& line) { CPD_LOG(info, line); });
}

void GuestOutput::do_read() {
    pipe_.async_read_some(
        boost::asio::buffer(buffer_),
        [this, alive = alive_](const boost::system::error_code& ec, std::size_t n) {
            if (!*alive || ec) {
                return; // cancelled, or end of file: finish() logs the rest
            }
            log(std::string_view(buffer_.data(), n));
            if (!lines_.over_budget(std::chrono::steady_clock::now())) {
                do_read();
                return;
            }
            // Over budget: read again only when lines may be logged again, so
            // a flood fills the pipe and waits in the guest's own write.
            pause_.expires_after(std::chrono::milliseconds(100));
            pause_.async_wait([this, alive](const boost::system::error_code& wait_ec) {
                if (!*alive || wait_ec) {
                    return;
                }
                lines_.report_dropped(std::chrono::steady_clock::now(),
                                      [](const std::string& line) { CPD_LOG(info, line); });
                do_read();
            });
        });
}

void GuestOutput::finish() {
    if (!pipe_.is_open()) {
        return;
    }
    boost::system::error_code ignored;
    pipe_.cancel(ignored);
    pause_.cancel();
    // What the guest wrote before it died is still in the pipe: read it
    // without blocking (the descriptor is non-blocking; at most 64 KiB).
    for (int round = 0; round < 64; ++round) {
        const ssize_t n = ::read(pipe_.native_handle(), buffer_.data(), buffer_.size());
        if (n <= 0) {
            break;
        }
        log(std::string_view(buffer_.data(), static_cast<std::size_t>(n)));
    }
    lines_.finish(std::chrono::steady_clock::now(),
                  [](const std::string& line) { CPD_LOG(info, line); });
    pipe_.close(ignored);
}

} // namespace cpd::daemon
