// SPDX-License-Identifier: MIT
// CpuLatencyHold: while guests exchange traffic, cpd holds a CPU latency QoS
// request of 0 us (the kernel's /dev/cpu_dma_latency), so idle CPUs poll
// instead of halting and waking a sleeping guest costs microseconds rather
// than a hypervisor's reschedule of a halted vCPU. It lets go once `hold` has
// passed without traffic, so an idle system idles as before. Owns the QoS
// descriptor (close-on-exec, never inherited by a guest); never blocks.
#pragma once

#include "cpd/ipc/unique_fd.hpp"

#include <chrono>
#include <cstdint>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

namespace cpd::daemon {

/// The traffic-driven CPU latency request of one cpd.
class CpuLatencyHold {
  public:
    /// The kernel's CPU latency QoS device.
    static constexpr const char* default_path = "/dev/cpu_dma_latency";
    /// What the hold is doing, for QUERY STATS and tests.
    enum class State { off, unavailable, released, held };

    explicit CpuLatencyHold(boost::asio::io_context& io, std::string path = default_path);

    /// Sets how long the request outlasts the last traffic; zero turns the hold
    /// off and closes the device. Opens the device on first use; if that fails,
    /// says why once and stays unavailable until the next configure().
    void configure(std::chrono::milliseconds hold);

    /// Notes that a guest is being sent something. Hot path: one flag test
    /// while the request is held; starts it otherwise.
    void note_traffic() noexcept {
        if (state_ == State::held) {
            traffic_since_check_ = true;
        } else if (state_ == State::released) {
            take();
        }
    }

    State state() const noexcept { return state_; }
    /// How often the request was taken since start.
    std::uint64_t holds() const noexcept { return holds_; }
    /// One line for QUERY STATS, e.g. "hold 20 ms, held, holds 3".
    std::string describe() const;

  private:
    void take() noexcept;
    void arm_check() noexcept;
    void release() noexcept;
    void do_check();
    bool write_request(std::int32_t microseconds) noexcept;
    void give_up(const char* step, int error) noexcept;

    boost::asio::steady_timer timer_;
    std::string path_;
    ipc::UniqueFd fd_;
    std::chrono::milliseconds hold_{0};
    State state_ = State::off;
    bool traffic_since_check_ = false;
    std::uint64_t holds_ = 0;
    std::string unavailable_why_;
};

/// The name of `state` in QUERY STATS ("off", "unavailable", "released", "held").
const char* to_string(CpuLatencyHold::State state) noexcept;

} // namespace cpd::daemon
