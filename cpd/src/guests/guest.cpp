// SPDX-License-Identifier: MIT
// Guest: construction from a spawned process and the wake-up. No policy lives here.
#include "guests/guest.hpp"

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

/// Takes the process's resources. bell_watch waits on the outbound bell's own
/// descriptor rather than a duplicate (one descriptor less per guest); the
/// Doorbell owns it, so asio must release it, never close it.
Guest::Guest(boost::asio::io_context& io, proto::Userid id, pid_t process, ipc::Segment seg,
             ipc::Doorbell in_bell, ipc::Doorbell out_bell)
    : userid(id), pid(process), segment(std::move(seg)),
      // The ends create() bound before fork: the guest may have written the
      // shared positions since, and cpd must not start from its numbers.
      inbound(segment.bound_writer(proto::inbound_ring)),
      outbound(segment.bound_reader(proto::outbound_ring)),
      inbound_bell(std::move(in_bell)), outbound_bell(std::move(out_bell)), bell_watch(io),
      grace_timer(io), retry_timer(io), budget_timer(io) {
    bell_watch.assign(outbound_bell.fd());
    logon_time = std::chrono::steady_clock::now();
}

/// Stops everything; bell_watch lets go of the descriptor it borrows before
/// the Doorbell closes it.
Guest::~Guest() {
    cancel_io();
    if (bell_watch.is_open()) {
        bell_watch.release();
    }
}

void Guest::wake() noexcept {
    if (inbound.wake_if_sleeping(guest_bell())) {
        ++counters.bells_rung;
    }
}

void Guest::cancel_io() noexcept {
    boost::system::error_code ignored;
    bell_watch.cancel(ignored);
    grace_timer.cancel();
    budget_timer.cancel();
    retry_timer.cancel();
}

} // namespace cpd::daemon
