// SPDX-License-Identifier: MIT
// EventLoop: the guest's one thread and one io_context. It drains the inbound
// ring in bounded batches, calls the handler for each frame in order behind an
// exception fence, flushes the outbound ring once per batch, spins briefly and
// then sleeps on the inbound doorbell. It also runs Context::call_later work.
#pragma once

#include "context_impl.hpp"
#include "cpd/guest/handler.hpp"
#include "cpd/ipc/doorbell.hpp"
#include "cpd/ipc/ring.hpp"
#include "cpd/ipc/spin_budget.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>

#include <array>
#include <chrono>
#include <cstddef>
#include <deque>
#include <optional>
#include <vector>

namespace cpd::guest::detail {

/// Runs one guest's handler until logoff, panic or a broken ring. It is
/// also the Waiter behind Context::wait_for: a nested read of the inbound
/// ring that holds back the frames nobody waits for.
class EventLoop final : public Waiter {
  public:
    EventLoop(Handler& handler, ContextImpl& ctx, ipc::RingReader reader,
              const ipc::Doorbell& inbound_bell);
    ~EventLoop();
    EventLoop(const EventLoop&) = delete;
    EventLoop& operator=(const EventLoop&) = delete;

    /// Calls on_ipl, then serves frames; returns the guest's exit status.
    int run() noexcept;

    WaitEvent wait_for(unsigned kinds, WaitDeadline deadline) noexcept override;
    bool take_immediate(std::string_view word) noexcept override;

  private:
    enum class Batch : std::uint8_t { empty, more, stopped };
    enum class Spin : std::uint8_t { data, later_ready, timed_out };

    /// An inbound frame copied out of the ring (held back, or being handled
    /// while a wait may read the ring behind it).
    struct Frame {
        std::uint32_t type = 0;
        std::vector<std::byte> payload;
    };

    void do_ipl();
    Batch dispatch_one(std::uint32_t type, proto::Bytes payload);
    Batch dispatch_held();
    void unstash();
    void do_drain();
    void do_wait();
    Batch drain_batch();
    Spin spin_for_data() noexcept;
    bool schedule(std::chrono::microseconds delay, std::function<void(Context&)> fn) noexcept;
    void run_later(const std::function<void(Context&)>& fn);
    template <class F> bool fenced(F&& f) noexcept;
    void panic(std::string_view what) noexcept;
    void finish(int status) noexcept;

    Handler& handler_;
    ContextImpl& ctx_;
    ipc::RingReader reader_;
    const ipc::Doorbell& inbound_bell_;
    boost::asio::io_context io_;
    boost::asio::posix::stream_descriptor bell_wait_;
    int status_ = -1;
    bool done_ = false;
    bool waiting_ = false;         ///< asleep on the doorbell (do_wait armed it)
    bool bell_rung_ = false;       ///< the doorbell woke us and is not drained yet
    /// call_later work with no delay, queued and not yet run: it ends the spin.
    std::size_t later_ready_ = 0;
    std::uint64_t wait_seq_ = 0;   ///< which do_wait the pending handler belongs to
    bool may_wait_ = false;        ///< inside on_ipl or on_console_input: wait_for allowed
    std::deque<Frame> held_;       ///< frames wait_for read but nobody waited for, in order
    /// Frames take_immediate moved out of the ring from its signal handler to
    /// reach an HX behind them (no allocation there): each is its type and
    /// size (two uint32) and its payload, oldest first. They are newer than
    /// held_ and older than the ring; unstash() appends them to held_ before
    /// anything reads either.
    std::array<std::byte, 16384> stash_{};
    std::size_t stash_used_ = 0;
    ipc::SpinPolicy spin_policy_;  ///< no spinning for a while after a spin gave the CPU away
};

} // namespace cpd::guest::detail
