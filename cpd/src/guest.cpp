// SPDX-License-Identifier: MIT
// Guest: construction from a spawned process and the wake-up. No policy lives here.
#include "guest.hpp"

#include <array>

namespace cpd::daemon {

const char* to_string(GuestState s) noexcept {
    switch (s) {
    case GuestState::logging_on: return "logging_on";
    case GuestState::running: return "running";
    case GuestState::logging_off: return "logging_off";
    case GuestState::gone: return "gone";
    }
    return "?";
}

Guest::Guest(boost::asio::io_context& io, proto::Userid id, pid_t process, int pidfd,
             ipc::Segment seg, ipc::Doorbell in_bell, ipc::Doorbell out_bell,
             int outbound_bell_dup)
    : userid(id), pid(process), segment(std::move(seg)),
      inbound(segment.writer(proto::inbound_ring)),
      outbound(segment.reader(proto::outbound_ring)), inbound_bell(std::move(in_bell)),
      outbound_bell(std::move(out_bell)), bell_watch(io, outbound_bell_dup),
      pid_watch(io), grace_timer(io), retry_timer(io) {
    if (pidfd >= 0) {
        pid_watch.assign(pidfd);
    }
    logon_time = std::chrono::steady_clock::now();
}

Guest::~Guest() { cancel_io(); }

void Guest::wake() noexcept {
    if (inbound.wake_if_sleeping(inbound_bell)) {
        ++counters.bells_rung;
    }
}

void Guest::cancel_io() noexcept {
    boost::system::error_code ignored;
    bell_watch.cancel(ignored);
    pid_watch.cancel(ignored);
    grace_timer.cancel();
    retry_timer.cancel();
}

} // namespace cpd::daemon
