// SPDX-License-Identifier: MIT
// The CPU latency hold: take the request at the first traffic, check every
// `hold` whether traffic went on, release it after a quiet period. The kernel
// keeps one request per open descriptor and drops it when the descriptor is
// closed, so nothing outlives cpd, however it dies.
#include "service/cpu_latency_hold.hpp"

#include "cpd/ipc/log.hpp"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <unistd.h>

namespace cpd::daemon {
namespace {

/// "No request of ours": the kernel's PM_QOS_DEFAULT_VALUE.
constexpr std::int32_t default_request = -1;
/// What keeps every idle CPU polling: no exit latency at all.
constexpr std::int32_t poll_request = 0;

} // namespace

CpuLatencyHold::CpuLatencyHold(boost::asio::io_context& io, std::string path)
    : timer_(io), path_(std::move(path)) {}

void CpuLatencyHold::configure(std::chrono::milliseconds hold) {
    hold_ = hold;
    if (hold.count() <= 0) {
        release();
        fd_.reset();
        state_ = State::off;
        return;
    }
    if (fd_) {
        return; // the new period applies from the next check on
    }
    const int fd = ::open(path_.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) {
        give_up("open", errno);
        return;
    }
    fd_.reset(fd);
    state_ = State::released;
    unavailable_why_.clear();
    CPD_LOG(info, "cpd: latency hold: idle CPUs poll while guests talk and for ", hold.count(),
            " ms after (", path_, ")");
}

/// Asks for polling idle CPUs and starts checking for the end of the traffic.
void CpuLatencyHold::take() noexcept {
    if (!write_request(poll_request)) {
        return;
    }
    state_ = State::held;
    ++holds_;
    arm_check();
}

/// Looks again, one period from now, whether traffic went on.
void CpuLatencyHold::arm_check() noexcept {
    traffic_since_check_ = false;
    timer_.expires_after(hold_);
    timer_.async_wait([this](const boost::system::error_code& ec) {
        if (!ec) {
            do_check();
        }
    });
}

/// Keeps the request while traffic went on during the last period.
void CpuLatencyHold::do_check() {
    if (state_ != State::held) {
        return;
    }
    if (traffic_since_check_) {
        arm_check();
    } else {
        release();
    }
}

/// Withdraws the request (the descriptor stays open for the next traffic).
void CpuLatencyHold::release() noexcept {
    if (state_ != State::held) {
        return;
    }
    timer_.cancel();
    if (write_request(default_request)) {
        state_ = State::released;
    }
}

/// Writes one request value (a native 32-bit integer, as the kernel reads it).
bool CpuLatencyHold::write_request(std::int32_t microseconds) noexcept {
    const ssize_t n = ::write(fd_.get(), &microseconds, sizeof microseconds);
    if (n == static_cast<ssize_t>(sizeof microseconds)) {
        return true;
    }
    give_up("write", n < 0 ? errno : EIO);
    return false;
}

/// Stops using the device; closing it drops any request the kernel still has.
void CpuLatencyHold::give_up(const char* step, int error) noexcept {
    try {
        unavailable_why_ =
            std::string("unable to ") + step + " " + path_ + ": " + std::strerror(error);
        CPD_LOG(info, "cpd: latency hold: ", unavailable_why_,
                "; sleeping guests wake as fast as idle CPUs allow");
    } catch (...) {
        unavailable_why_.clear();
    }
    timer_.cancel();
    fd_.reset();
    state_ = State::unavailable;
}

std::string CpuLatencyHold::describe() const {
    if (state_ == State::off) {
        return "off";
    }
    if (state_ == State::unavailable) {
        return "unavailable: " + unavailable_why_;
    }
    return "hold " + std::to_string(hold_.count()) + " ms, " + to_string(state_) + ", holds " +
           std::to_string(holds_);
}

const char* to_string(CpuLatencyHold::State state) noexcept {
    switch (state) {
    case CpuLatencyHold::State::off:
        return "off";
    case CpuLatencyHold::State::unavailable:
        return "unavailable";
    case CpuLatencyHold::State::released:
        return "released";
    case CpuLatencyHold::State::held:
        return "held";
    }
    return "?";
}

} // namespace cpd::daemon
