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
#include "cpd/ipc/spin_budget.hpp"
#include "cpd/ipc/spin_presence.hpp"
#include "dispatch.hpp"
#include "cpd/proto/spool_frame.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstring>
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
      bell_wait_(io_, ::dup(inbound_bell.fd())),
      spin_policy_(static_cast<std::uint64_t>(std::chrono::nanoseconds(spin_time).count())) {
    ctx_.set_scheduler([this](std::chrono::microseconds delay, std::function<void(Context&)> fn) {
        return schedule(delay, std::move(fn));
    });
    ctx_.set_waiter(this);
}

EventLoop::~EventLoop() {
    ctx_.set_scheduler({});
    ctx_.set_waiter(nullptr);
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

/// Calls on_ipl once (it may wait_for: a PROFILE EXEC), then starts
/// serving the inbound ring.
void EventLoop::do_ipl() {
    may_wait_ = true;
    const bool survived = fenced([this] { handler_.on_ipl(ctx_); });
    may_wait_ = false;
    if (!survived || done_) {
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

/// Decodes and dispatches up to batch_limit frames, the held ones first.
/// Frames are decoded where they lie in the inbound ring and consumed after
/// their callback: only cpd writes that ring, and the guest trusts cpd, so
/// IUCV data reaches the handler without a copy. A console line is the
/// exception: it is copied and consumed first, because its callback may
/// wait_for the frames behind it (a CMS EXEC asking for input).
EventLoop::Batch EventLoop::drain_batch() {
    if (dispatch_held() == Batch::stopped) {
        return Batch::stopped;
    }
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
        Batch b = Batch::more;
        if (record.type == static_cast<std::uint32_t>(proto::RingFrameType::console_input)) {
            Frame f{record.type, {record.payload.begin(), record.payload.end()}};
            reader_.consume();
            may_wait_ = true;
            b = dispatch_one(f.type, f.payload);
            may_wait_ = false;
        } else {
            b = dispatch_one(record.type, record.payload);
            reader_.consume();
        }
        if (b == Batch::stopped) {
            return b;
        }
        if (dispatch_held() == Batch::stopped) {
            return Batch::stopped;
        }
    }
    return Batch::more;
}

/// Delivers the frames a wait_for held back, oldest first (each is taken off
/// the list before its callback, which may wait and hold more).
EventLoop::Batch EventLoop::dispatch_held() {
    unstash();
    while (!held_.empty() && !done_) {
        Frame f = std::move(held_.front());
        held_.pop_front();
        const bool console =
            f.type == static_cast<std::uint32_t>(proto::RingFrameType::console_input);
        may_wait_ = console;
        const Batch b = dispatch_one(f.type, f.payload);
        may_wait_ = false;
        if (b == Batch::stopped) {
            return b;
        }
    }
    return done_ ? Batch::stopped : Batch::more;
}

/// One frame to its callback behind the fence; stopped on logoff, a bad
/// frame or a handler exception.
EventLoop::Batch EventLoop::dispatch_one(std::uint32_t type, proto::Bytes payload) {
    Outcome outcome = Outcome::carry_on;
    proto::errc bad_frame = proto::errc::ok;
    const bool survived = fenced([&] {
        const auto r = decode_and_dispatch(handler_, ctx_, type, payload);
        if (r) {
            outcome = *r;
        } else {
            bad_frame = r.error();
        }
    });
    if (bad_frame != proto::errc::ok) {
        CPD_LOG(error, "runtime: inbound ring: bad frame type 0x", std::hex, type, std::dec,
                ": ", proto::describe(bad_frame));
        finish(exit_ipc_failure);
        return Batch::stopped;
    }
    if (!survived || done_) {
        return Batch::stopped;
    }
    if (outcome == Outcome::logged_off) {
        ctx_.flush();
        ctx_.close();
        finish(exit_logoff);
        return Batch::stopped;
    }
    return Batch::more;
}

namespace {

constexpr auto type_of(proto::RingFrameType t) {
    return static_cast<std::uint32_t>(t);
}

// The event a frame is for a waiter that wants `kinds`, if any.
std::optional<WaitEvent> wanted(std::uint32_t type, proto::Bytes payload, unsigned kinds) {
    using T = proto::RingFrameType;
    WaitEvent ev;
    if (type == type_of(T::console_input) && (kinds & wait_console_input) != 0) {
        const auto f = proto::decode_as<proto::ConsoleInput>(payload);
        if (f) {
            ev.kind = WaitEvent::Kind::console_input;
            ev.text.assign(f->line);
            return ev;
        }
    } else if (type == type_of(T::cp_response) && (kinds & wait_cp_response) != 0) {
        const auto f = proto::decode_as<proto::CpResponse>(payload);
        if (f) {
            ev.kind = WaitEvent::Kind::cp_response;
            ev.tag = f->tag;
            ev.rc = f->rc;
            ev.text.assign(f->text);
            return ev;
        }
    } else if (type == type_of(T::smsg_deliver) && (kinds & wait_smsg) != 0) {
        const auto f = proto::decode_as<proto::SmsgDeliver>(payload);
        if (f) {
            ev.kind = WaitEvent::Kind::smsg;
            ev.from.assign(f->from.str());
            ev.text.assign(f->text);
            return ev;
        }
    } else if (type == type_of(T::message_deliver) && (kinds & wait_message) != 0) {
        const auto f = proto::decode_as<proto::MessageDeliver>(payload);
        const bool from_user = f && (f->kind == proto::MessageKind::msg ||
                                     f->kind == proto::MessageKind::msgnoh ||
                                     f->kind == proto::MessageKind::warning);
        if (from_user) { // CP's own EMSG and IMSG are shown as usual
            ev.kind = WaitEvent::Kind::message;
            ev.from.assign(f->from.str());
            ev.text.assign(f->text);
            ev.message_kind = f->kind;
            return ev;
        }
    } else if (type == static_cast<std::uint32_t>(proto::SpoolFrameType::ring_reader_file) &&
               (kinds & wait_reader_file) != 0) {
        const auto f = proto::decode_reader_file(payload);
        if (f) {
            ev.kind = WaitEvent::Kind::reader_file;
            ev.from.assign(f->from.str());
            ev.tag = f->spoolid;
            return ev;
        }
    }
    return std::nullopt; // not wanted, or malformed: held, and the normal path reports it
}

// Blanks trimmed, compared without case.
bool same_word(std::string_view line, std::string_view word) {
    while (!line.empty() && line.front() == ' ') {
        line.remove_prefix(1);
    }
    while (!line.empty() && line.back() == ' ') {
        line.remove_suffix(1);
    }
    if (line.size() != word.size()) {
        return false;
    }
    for (std::size_t i = 0; i < line.size(); ++i) {
        const auto up = [](char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c; };
        if (up(line[i]) != up(word[i])) {
            return false;
        }
    }
    return true;
}

} // namespace

/// The nested read behind Context::wait_for: the held frames first, then the
/// ring; what is not wanted is copied to held_ in order; sleeps on the
/// doorbell (bounded by the deadline) when the ring is empty.
WaitEvent EventLoop::wait_for(unsigned kinds, WaitDeadline deadline) noexcept {
    if (!may_wait_ || done_) {
        return {};
    }
    try {
        ctx_.flush();
        unstash();
        for (;;) {
            for (auto it = held_.begin(); it != held_.end(); ++it) {
                if (it->type == type_of(proto::RingFrameType::logoff)) {
                    return WaitEvent{WaitEvent::Kind::logoff, {}, {}, 0, {}};
                }
                if (auto ev = wanted(it->type, it->payload, kinds)) {
                    held_.erase(it);
                    return std::move(*ev);
                }
            }
            ipc::RecordView record;
            const ipc::RingStatus s = reader_.peek(record);
            if (s == ipc::RingStatus::ok) {
                std::optional<WaitEvent> ev = wanted(record.type, record.payload, kinds);
                if (!ev) {
                    held_.push_back(Frame{record.type, {record.payload.begin(), record.payload.end()}});
                }
                reader_.consume();
                if (ev) {
                    return std::move(*ev);
                }
                continue; // a held logoff ends the wait at the top
            }
            if (s != ipc::RingStatus::empty) {
                CPD_LOG(error, "runtime: inbound ring: unable to read: ring corrupt");
                finish(exit_ipc_failure);
                return WaitEvent{WaitEvent::Kind::logoff, {}, {}, 0, {}};
            }
            const auto now = std::chrono::steady_clock::now();
            if (deadline && now >= *deadline) {
                return WaitEvent{WaitEvent::Kind::timeout, {}, {}, 0, {}};
            }
            ctx_.flush();
            if (!reader_.prepare_sleep()) {
                continue;
            }
            int ms = -1;
            if (deadline) {
                const auto left = std::chrono::ceil<std::chrono::milliseconds>(*deadline - now);
                ms = static_cast<int>(std::min<std::int64_t>(left.count(), 60'000));
            }
            inbound_bell_.wait(ms);
            reader_.cancel_sleep();
            inbound_bell_.drain();
        }
    } catch (const std::exception& e) { // held_ could not grow: out of memory
        CPD_LOG(error, "runtime: wait_for failed: ", e.what());
        return WaitEvent{WaitEvent::Kind::logoff, {}, {}, 0, {}};
    }
}

/// From a signal handler on this thread, while the program computes: the
/// output so far is flushed, and the unread frames are looked at, oldest
/// first, for the console line `word`, which is consumed. The frames before
/// it (an SMSG, a line typed ahead) are copied to the stash and consumed,
/// so that they keep their order; a logoff, a full stash or the end of the
/// ring stops the search. Only atomics, memcpy and plain memory: peek and
/// consume are lock-free and the handler interrupts code that is not using
/// the reader or the stash (may_wait_ says so).
bool EventLoop::take_immediate(std::string_view word) noexcept {
    if (!may_wait_ || done_) {
        return false;
    }
    // The program computes and will not return to the loop soon: what it
    // wrote meanwhile goes out now (publish and, if cpd sleeps, its bell:
    // atomics and one write()).
    ctx_.flush();
    for (;;) {
        ipc::RecordView record;
        if (reader_.peek(record) != ipc::RingStatus::ok ||
            record.type == type_of(proto::RingFrameType::logoff)) {
            return false;
        }
        if (record.type == type_of(proto::RingFrameType::console_input)) {
            const auto f = proto::decode_as<proto::ConsoleInput>(record.payload);
            if (f && same_word(f->line, word)) {
                reader_.consume();
                return true;
            }
        }
        const std::uint32_t head[2] = {record.type,
                                       static_cast<std::uint32_t>(record.payload.size())};
        const std::size_t need = sizeof head + record.payload.size();
        if (need > stash_.size() - stash_used_) {
            return false; // seen at the program's next command instead
        }
        std::memcpy(stash_.data() + stash_used_, head, sizeof head);
        std::memcpy(stash_.data() + stash_used_ + sizeof head, record.payload.data(),
                    record.payload.size());
        stash_used_ += need;
        reader_.consume();
    }
}

/// Moves the frames take_immediate stashed to the end of held_, in order.
void EventLoop::unstash() {
    std::size_t at = 0;
    while (at < stash_used_) {
        std::uint32_t head[2];
        std::memcpy(head, stash_.data() + at, sizeof head);
        const std::byte* payload = stash_.data() + at + sizeof head;
        held_.push_back(Frame{head[0], {payload, payload + head[1]}});
        at += sizeof head + head[1];
    }
    stash_used_ = 0;
}

/// Spins for a short, bounded time, yielding the CPU after each round (a cpd
/// or peer runnable on this CPU gets it at once), until a frame is visible,
/// call_later work without delay is queued, the time is up, or a yield gave
/// the CPU away to other work (SpinBudget: under load a sleeper is woken
/// sooner than a yielded spinner gets its turn back). Queued work
/// ends the spin after one round: it should not wait out the spin, and a
/// handler that retries a busy send through call_later(0) still gives cpd a
/// turn to make room. (A timer falling due meanwhile runs at most spin_time
/// late.)
///
/// cpd stamps the inbound ring when it looks at its rings (Presence): while
/// it is seen running on another CPU the spin does not yield (the yield
/// cannot help it), and a long yield during which cpd ran on this CPU handed
/// the CPU to cpd, which is no sign of contention.
EventLoop::Spin EventLoop::spin_for_data() noexcept {
    ipc::SpinBudget budget = spin_policy_.begin(ipc::steady_ns());
    std::uint32_t cpu = ipc::this_cpu();
    ctx_.mark_present(cpu);
    ipc::Presence seen = reader_.producer_presence();
    for (;;) {
        for (int i = 0; i < 64; ++i) {
            if (!reader_.is_empty()) {
                spin_policy_.end(budget);
                return Spin::data;
            }
        }
        if (!budget.spins()) { // the CPU is contended: no yield, but due work first
            return later_ready_ > 0 ? Spin::later_ready : Spin::timed_out;
        }
        cpu = ipc::this_cpu();
        ctx_.mark_present(cpu);
        const ipc::Presence before_yield = reader_.producer_presence();
        const std::uint64_t before = ipc::steady_ns();
        const bool yield = !ipc::runs_elsewhere(seen, before_yield, cpu);
        if (yield) {
            ::sched_yield();
        }
        if (later_ready_ > 0) {
            spin_policy_.end(budget);
            return Spin::later_ready;
        }
        seen = reader_.producer_presence();
        const std::uint64_t after = yield ? ipc::steady_ns() : before;
        if (!budget.keep_spinning(before, after, ipc::ran_on(before_yield, seen, cpu))) {
            spin_policy_.end(budget);
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
