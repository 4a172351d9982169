// SPDX-License-Identifier: MIT
// The guest event loop. Readable on one screen: do_ipl -> do_drain (batch,
// flush, spin) -> do_wait (prepare_sleep, async_wait on the doorbell) ->
// do_drain ... until a Logoff frame, a handler exception or a corrupt ring.
// Nothing here blocks except the io_context waiting for the doorbell.
// Boost.Asio's scheduler trips g++ 12's -Wnull-dereference once inlined here
// (a false positive in its thread-info bookkeeping); silence it for this file only.
#pragma GCC diagnostic ignored "-Wnull-dereference"

#include "event_loop.hpp"

#include "cpd/guest/run.hpp"
#include "cpd/ipc/log.hpp"
#include "dispatch.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <exception>
#include <memory>
#include <string>

#include <sched.h>
#include <unistd.h>

namespace cpd::guest::detail {
namespace {

/// Frames handled before other work (call_later) gets a turn.
constexpr int batch_limit = 256;
/// How long to spin for more frames before sleeping on the doorbell: long
/// enough to cover a round trip through cpd to a guest that was asleep.
constexpr auto spin_time = std::chrono::microseconds(100);

} // namespace

EventLoop::EventLoop(Handler& handler, ContextImpl& ctx, ipc::RingReader reader,
                     const ipc::Doorbell& inbound_bell)
    : handler_(handler), ctx_(ctx), reader_(reader), inbound_bell_(inbound_bell),
      bell_wait_(io_, ::dup(inbound_bell.fd())) {
    ctx_.set_scheduler([this](std::chrono::microseconds delay, std::function<void(Context&)> fn) {
        return schedule(delay, std::move(fn));
    });
}

EventLoop::~EventLoop() {
    ctx_.set_scheduler({});
}

int EventLoop::run() noexcept {
    try {
        boost::asio::post(io_, [this] { do_ipl(); });
        io_.run();
    } catch (const std::exception& e) {
        CPD_LOG(error, "runtime: event loop failed: ", e.what());
        return exit_ipc_failure;
    }
    return status_ < 0 ? exit_ipc_failure : status_;
}

/// Calls on_ipl once, then starts serving the inbound ring.
void EventLoop::do_ipl() {
    if (!fenced([this] { handler_.on_ipl(ctx_); })) {
        return;
    }
    ctx_.flush();
    do_drain();
}

/// Handles one batch, flushes, and decides between more work and sleeping.
void EventLoop::do_drain() {
    const Batch b = drain_batch();
    ctx_.flush();
    if (b == Batch::stopped) {
        return;
    }
    // Queued call_later work runs before this next round, with no doorbell
    // armed and cancelled around it.
    if (b == Batch::more || spin_for_data() != Spin::timed_out) {
        boost::asio::post(io_, [this] { do_drain(); });
        return;
    }
    do_wait();
}

/// Announces sleep and waits for the doorbell (or drains again if data raced in).
void EventLoop::do_wait() {
    if (bell_rung_) { // before prepare_sleep: a ring after it must not be lost
        bell_rung_ = false;
        inbound_bell_.drain();
    }
    if (!reader_.prepare_sleep()) {
        boost::asio::post(io_, [this] { do_drain(); });
        return;
    }
    waiting_ = true;
    const std::uint64_t wait = ++wait_seq_;
    bell_wait_.async_wait(boost::asio::posix::stream_descriptor::wait_read,
                          [this, wait](const boost::system::error_code& ec) {
                              if (done_ || ec == boost::asio::error::operation_aborted ||
                                  !waiting_ || wait != wait_seq_) {
                                  return; // stale: run_later took over meanwhile
                              }
                              waiting_ = false;
                              if (ec) {
                                  CPD_LOG(error,
                                          "runtime: unable to wait on doorbell: ", ec.message());
                                  finish(exit_ipc_failure);
                                  return;
                              }
                              // Frames first: the bell is drained before the
                              // next sleep, not on the way to the handler.
                              bell_rung_ = true;
                              reader_.cancel_sleep();
                              do_drain();
                          });
}

/// Decodes and dispatches up to batch_limit frames. Frames are decoded where they
/// lie in the inbound ring and consumed after their callback: only cpd writes that
/// ring, and the guest trusts cpd, so IUCV data reaches the handler without a copy.
EventLoop::Batch EventLoop::drain_batch() {
    for (int n = 0; n < batch_limit; ++n) {
        ipc::RecordView record;
        const ipc::RingStatus s = reader_.peek(record);
        if (s == ipc::RingStatus::empty) {
            return Batch::empty;
        }
        if (s != ipc::RingStatus::ok) {
            CPD_LOG(error, "runtime: inbound ring: unable to read: ring corrupt");
            finish(exit_ipc_failure);
            return Batch::stopped;
        }
        Outcome outcome = Outcome::carry_on;
        proto::errc bad_frame = proto::errc::ok;
        const bool survived = fenced([&] {
            const auto r = decode_and_dispatch(handler_, ctx_, record.type, record.payload);
            if (r) {
                outcome = *r;
            } else {
                bad_frame = r.error();
            }
        });
        reader_.consume();
        if (bad_frame != proto::errc::ok) {
            CPD_LOG(error, "runtime: inbound ring: bad frame type 0x", std::hex, record.type,
                    std::dec, ": ", proto::describe(bad_frame));
            finish(exit_ipc_failure);
            return Batch::stopped;
        }
        if (!survived) {
            return Batch::stopped;
        }
        if (outcome == Outcome::logged_off) {
            ctx_.flush();
            ctx_.close();
            finish(exit_logoff);
            return Batch::stopped;
        }
    }
    return Batch::more;
}

/// Spins for a short, bounded time, yielding the CPU after each round (a cpd
/// or peer runnable on this CPU gets it at once), until a frame is visible,
/// call_later work without delay is queued, or the time is up. Queued work
/// ends the spin after one round: it should not wait out the spin, and a
/// handler that retries a busy send through call_later(0) still gives cpd a
/// turn to make room. (A timer falling due meanwhile runs at most spin_time
/// late.)
EventLoop::Spin EventLoop::spin_for_data() noexcept {
    const auto end = std::chrono::steady_clock::now() + spin_time;
    for (;;) {
        for (int i = 0; i < 64; ++i) {
            if (!reader_.is_empty()) {
                return Spin::data;
            }
        }
        ::sched_yield();
        if (later_ready_ > 0) {
            return Spin::later_ready;
        }
        const auto now = std::chrono::steady_clock::now();
        if (now >= end) {
            return Spin::timed_out;
        }
    }
}

/// Queues `fn` to run after `delay` (call_later).
bool EventLoop::schedule(std::chrono::microseconds delay,
                         std::function<void(Context&)> fn) noexcept {
    if (done_) {
        return false;
    }
    try {
        if (delay.count() <= 0) {
            boost::asio::post(io_, [this, fn = std::move(fn)] {
                --later_ready_;
                run_later(fn);
            });
            ++later_ready_;
            return true;
        }
        auto timer = std::make_shared<boost::asio::steady_timer>(io_, delay);
        timer->async_wait([this, timer, fn = std::move(fn)](const boost::system::error_code& ec) {
            if (!ec) {
                run_later(fn);
            }
        });
        return true;
    } catch (...) {
        return false;
    }
}

/// Runs deferred work behind the fence, then flushes what it queued.
void EventLoop::run_later(const std::function<void(Context&)>& fn) {
    if (done_) {
        return;
    }
    if (fenced([&] { fn(ctx_); })) {
        ctx_.flush();
        if (waiting_) {
            // Timer work ran while the loop slept on the doorbell; what it sent
            // may be answered soon, so serve (and spin) now instead of sleeping
            // on until the answer has to wake us.
            waiting_ = false;
            boost::system::error_code ignored;
            bell_wait_.cancel(ignored);
            reader_.cancel_sleep();
            do_drain();
        }
    }
}

/// Calls `f`; on an exception reports the panic and ends the loop. True if no exception.
template <class F> bool EventLoop::fenced(F&& f) noexcept {
    try {
        f();
        return true;
    } catch (const std::exception& e) {
        panic(e.what());
    } catch (...) {
        panic("unknown exception");
    }
    return false;
}

/// Reports a handler exception to cpd (best effort) and stops calling handlers.
void EventLoop::panic(std::string_view what) noexcept {
    std::string text;
    try {
        text.assign(what.substr(0, 1024));
        for (char& c : text) {
            if (static_cast<unsigned char>(c) < 0x20) {
                c = ' ';
            }
        }
    } catch (...) {
        text.clear();
    }
    CPD_LOG(error, "runtime: handler threw: ", text);
    if (!ctx_.push_patiently(proto::HandlerPanic{text}, 100)) {
        CPD_LOG(warn, "runtime: unable to report the panic: outbound ring full");
    }
    ctx_.close();
    finish(exit_panic);
}

/// Records the exit status and stops the io_context.
void EventLoop::finish(int status) noexcept {
    if (!done_) {
        status_ = status;
        done_ = true;
    }
    io_.stop();
}

} // namespace cpd::guest::detail
