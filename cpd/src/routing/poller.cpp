// SPDX-License-Identifier: MIT
// Poller: the routing loop. pump() is one round: a batch from every ready
// guest, then the round's end (publish and wake-ups), then the spin over the
// recently active rings, then prepare_sleep() and an async_wait on the
// doorbell of each ring that stayed empty. A sleeping guest's shared flag is
// written only if it was active within active_window: with hundreds of idle
// guests the spin costs what it costs with none.
#include "routing/poller.hpp"

#include "cpd/ipc/log.hpp"

#include <algorithm>

#include <sched.h>

#include <boost/asio/post.hpp>

namespace cpd::daemon {
namespace asio = boost::asio;

namespace {

/// How soon a guest whose console output is held looks again: a console that
/// reads at all takes half its output limit (64 KiB) in well under this.
constexpr std::chrono::milliseconds console_hold_recheck{2};

bool is_alive(const Guest& g) noexcept {
    return g.state != GuestState::gone && !g.faulted;
}

/// Spends a doorbell wake-up that found the guest's ring empty.
bool within_wakeup_budget(Guest& g) {
    const BudgetVerdict verdict =
        g.budget.spend(BudgetKind::empty_wakeup, GuestBudget::Clock::now());
    if (verdict.log) {
        log_throttle(g.userid, g.budget, BudgetKind::empty_wakeup);
    }
    return verdict.go;
}

} // namespace

Poller::Poller(asio::io_context& io, FrameDrainer& drainer, RoundObserver& rounds)
    : io_(io), drainer_(drainer), rounds_(rounds) {}

void Poller::attach(const std::shared_ptr<Guest>& guest) {
    enqueue(guest); // the guest may have written before we watched its bell
}

void Poller::detach(Guest& guest) {
    boost::system::error_code ignored;
    guest.bell_watch.cancel(ignored);
    guest.budget_timer.cancel();
    std::erase_if(active_, [&guest](const Active& a) { return a.guest.get() == &guest; });
}

/// Waits for the guest's outbound doorbell, then routes what it wrote at once.
/// The bell is drained later, before the guest's ring is next put to sleep:
/// the read is a system call that need not sit between a wake-up and routing.
void Poller::arm(const std::shared_ptr<Guest>& guest) {
    guest->bell_armed = true;
    guest->bell_watch.async_wait(asio::posix::stream_descriptor::wait_read,
                                 [this, guest](const boost::system::error_code& ec) {
                                     guest->bell_armed = false;
                                     if (ec || guest->state == GuestState::gone) {
                                         return;
                                     }
                                     guest->bell_rung = true;
                                     guest->outbound.cancel_sleep();
                                     ++guest->counters.wakeups;
                                     ++totals_.wakeups;
                                     if (guest->outbound.is_empty() && !within_wakeup_budget(*guest)) {
                                         defer(guest); // rings with nothing to say cost cpd a round each
                                         return;
                                     }
                                     enqueue(guest);
                                     pump_now();
                                 });
}

void Poller::enqueue(const std::shared_ptr<Guest>& guest) {
    if (!guest->in_ready_queue && is_alive(*guest)) {
        guest->in_ready_queue = true;
        ready_.push_back(guest);
        schedule_pump();
    }
}

/// Runs a round now rather than after another reactor poll (asio would run a
/// posted round only after polling epoll again), unless one is queued or running.
void Poller::pump_now() {
    if (!pump_scheduled_ && !in_pump_) {
        pump();
    }
}

void Poller::schedule_pump() {
    if (!pump_scheduled_) {
        pump_scheduled_ = true;
        asio::post(io_, [this] { pump(); });
    }
}

/// One round: a batch from every ready guest, then wake-ups, then spin or sleep.
void Poller::pump() {
    pump_scheduled_ = false;
    in_pump_ = true;
    ++totals_.rounds;
    rounds_.begin_round();
    const auto now = std::chrono::steady_clock::now();
    const std::uint32_t cpu = ipc::this_cpu();
    std::vector<std::shared_ptr<Guest>> idle;
    for (std::size_t n = ready_.size(); n > 0 && !ready_.empty(); --n) {
        std::shared_ptr<Guest> g = std::move(ready_.front());
        ready_.pop_front();
        g->in_ready_queue = false;
        if (!is_alive(*g)) {
            continue;
        }
        g->inbound.mark_present(cpu); // its spin sees cpd run (spin_presence.hpp)
        const DrainResult d = drainer_.drain(*g);
        if (d.frames > 0 && d.state != Drain::dead) {
            note_active(g, now);
        }
        if (d.state == Drain::more) {
            g->in_ready_queue = true;
            ready_.push_back(std::move(g));
        } else if (d.state == Drain::empty) {
            idle.push_back(std::move(g));
        } else if (d.state == Drain::throttled) {
            defer(g);
        }
    }
    rounds_.end_round();
    forget_inactive(now);
    spin_then_sleep(idle);
    in_pump_ = false;
    if (!ready_.empty()) {
        schedule_pump();
    }
}

/// Records that `guest` had frames at `now` (most recent first; the oldest drops out).
void Poller::note_active(const std::shared_ptr<Guest>& guest,
                         std::chrono::steady_clock::time_point now) {
    auto it = std::find_if(active_.begin(), active_.end(),
                           [&guest](const Active& a) { return a.guest == guest; });
    if (it != active_.end()) {
        it->last = now;
        return;
    }
    if (active_.size() == active_max) {
        auto oldest =
            std::min_element(active_.begin(), active_.end(),
                             [](const Active& a, const Active& b) { return a.last < b.last; });
        *oldest = Active{guest, now};
        return;
    }
    active_.push_back(Active{guest, now});
}

void Poller::forget_inactive(std::chrono::steady_clock::time_point now) {
    std::erase_if(active_, [now](const Active& a) {
        return now - a.last > active_window || !is_alive(*a.guest);
    });
}

/// Spins briefly over the active rings when nothing else is ready; sleeps the idle ones.
void Poller::spin_then_sleep(std::vector<std::shared_ptr<Guest>>& idle) {
    if (idle.empty()) {
        return;
    }
    if (ready_.empty()) {
        spin_over_active();
    }
    for (auto& g : idle) {
        if (!is_alive(*g)) {
            continue;
        }
        if (g->bell_rung) { // before prepare_sleep: a ring after it must not be lost
            g->bell_rung = false;
            if (g->outbound_bell.drain() == ipc::Doorbell::peer_closed && !g->bell_closed) {
                // Readable for good: waiting on it would wake cpd round after round.
                g->bell_closed = true;
                CPD_LOG(warn, "router: ", g->userid.str(),
                        ": closed its doorbell; cpd no longer waits on it");
            }
        }
        if (!g->outbound.is_empty() || !g->outbound.prepare_sleep()) {
            ++totals_.spins_won;
            enqueue(g);
        } else if (!g->bell_armed && !g->bell_closed) {
            arm(g);
        }
    }
}

/// The spin before sleeping. Active guests whose doorbells cpd already waits
/// on are told cpd is awake meanwhile: an answer to what was just routed then
/// costs its sender no doorbell write and cpd no epoll round. Afterwards they
/// sleep again, or are queued if they wrote. Each ring is polled and yielded
/// between rounds: with more processes than cores, the guest we wait for may
/// be runnable on this very CPU, and a yield hands it the CPU at once. A
/// yield that gave the CPU away to other work ends the spin after one more
/// look, and the spins of the next while (1 ms, doubling while contention
/// goes on, up to 50 ms) are skipped (SpinPolicy): under
/// load, sleeping gets cpd back sooner. A yield during which an active guest
/// ran on cpd's CPU handed the CPU to it and is no such sign; while every
/// active guest is seen running on another CPU, cpd does not yield at all
/// (Presence, spin_presence.hpp).
void Poller::spin_over_active() {
    std::uint32_t cpu = ipc::this_cpu();
    for (Active& a : active_) {
        if (a.guest->bell_armed) {
            a.guest->outbound.cancel_sleep();
        }
        a.guest->inbound.mark_present(cpu);
        a.seen = a.guest->outbound.producer_presence();
    }
    ipc::SpinBudget budget = spin_policy_.begin(ipc::steady_ns());
    for (;;) {
        // A throttled guest's ring is not empty, and waits for its budget.
        const bool any = std::any_of(active_.begin(), active_.end(), [](const Active& a) {
            return !a.guest->throttled && !a.guest->outbound.is_empty();
        });
        if (any || !budget.spins()) { // contended CPU: no spin, no yield
            break;
        }
        cpu = ipc::this_cpu();
        stamp_active(cpu);
        bool yield = active_.empty(); // nobody to watch: yield as a plain spin does
        look_at_presence(cpu, yield);
        const std::uint64_t before = ipc::steady_ns();
        if (yield) { // an active guest may need this CPU
            ::sched_yield();
        }
        bool ignored = false;
        const bool to_peer = yield && look_at_presence(cpu, ignored);
        const std::uint64_t after = yield ? ipc::steady_ns() : before;
        if (!budget.keep_spinning(before, after, to_peer)) {
            break;
        }
    }
    spin_policy_.end(budget);
    for (const Active& a : active_) {
        Guest& g = *a.guest;
        if (g.bell_armed && is_alive(g) &&
            (!g.outbound.is_empty() || !g.outbound.prepare_sleep())) {
            g.outbound.cancel_sleep();
            enqueue(a.guest);
        }
    }
}

/// Tells every active guest that cpd looks at its rings now, on `cpu` (+ 1).
void Poller::stamp_active(std::uint32_t cpu) noexcept {
    for (const Active& a : active_) {
        a.guest->inbound.mark_present(cpu);
    }
}

/// Reads every active guest's presence stamp: true if one ran on `cpu` since
/// the last look; `yield` set unless each one ran on another CPU meanwhile
/// (one not seen running may be waiting for this CPU).
bool Poller::look_at_presence(std::uint32_t cpu, bool& yield) noexcept {
    bool ran_here = false;
    for (Active& a : active_) {
        const ipc::Presence now = a.guest->outbound.producer_presence();
        ran_here = ran_here || ipc::ran_on(a.seen, now, cpu);
        yield = yield || !ipc::runs_elsewhere(a.seen, now, cpu);
        a.seen = now;
    }
    return ran_here;
}

/// A throttled guest is neither queued, spun over nor put to sleep until the
/// earliest time its budget lets its waiting work go on; then it is queued.
void Poller::defer(const std::shared_ptr<Guest>& guest) {
    if (guest->throttled) {
        return;
    }
    // The nearest future time a waiting kind may go on (a kind whose time
    // has come is not waited for: its work is retried at once).
    const auto now = GuestBudget::Clock::now();
    auto when = GuestBudget::Clock::time_point::max();
    for (const BudgetKind kind :
         {BudgetKind::cp_command, BudgetKind::empty_wakeup, BudgetKind::console_line}) {
        if (guest->budget.is_throttled(kind) && guest->budget.ready_at(kind) > now) {
            when = std::min(when, guest->budget.ready_at(kind));
        }
    }
    if (guest->console_held) { // its console reads slower than it writes: look again soon
        guest->console_held = false; // the next drain sets it again while that lasts
        when = std::min(when, now + console_hold_recheck);
    }
    if (when == GuestBudget::Clock::time_point::max()) {
        enqueue(guest);
        return;
    }
    guest->throttled = true;
    guest->budget_timer.expires_at(when);
    guest->budget_timer.async_wait([this, guest](const boost::system::error_code& ec) {
        guest->throttled = false;
        if (ec || !is_alive(*guest)) {
            return;
        }
        enqueue(guest);
        pump_now();
    });
}

} // namespace cpd::daemon
