// SPDX-License-Identifier: MIT
// SpinBudget: when a consumer that found its ring empty stops spinning and
// goes to sleep on its doorbell. Shared by the guest runtime's and cpd's spin
// loops, which poll, then sched_yield(), round after round.
//
// A spin pays only while its CPU has nothing else to run: then the yield
// returns at once, and data that arrives is seen within a round, with no
// wake-up at all. When the yield gives the CPU away (another task was
// runnable and ran), the spinner is back only after that task's turn, which
// under load (more runnable tasks than CPUs) is often far longer than a
// wake-up from sleep: the scheduler places a waking task ahead, a yielded
// one behind. So the spin also ends once a yield has given the CPU away for
// longer than `gave_way_ns`, after one more look at the ring (the task that
// ran may have been the producer). With the CPU to itself, a spin still ends
// at its time limit, so an idle system sleeps as before.
// A yield that handed the CPU to the peer we wait for (it ran on our CPU
// meanwhile, spin_presence.hpp) gave nothing away, however long it took: with
// three spinners on two CPUs one is always off-CPU, and the hand-over is how
// a "busy" round trip avoids sleeping. Only a stranger's turn is contention.
// SpinPolicy remembers it: a yield that gave the CPU away means the CPU is
// contended, and then even a yield is a trap (the spinner is runnable, not
// asleep, when the data comes, so nothing wakes it: it waits out the other
// task's turn). After such a spin the next ones skip spinning, one look and
// then sleep, for a quiet period; then spinning is tried again. The period
// starts at `first_quiet_ns` and doubles with each contended spin in a row,
// up to `contended_ns`; a spin whose yield came back at once (the CPU had
// nothing else to run) starts it over. A CPU taken by other work for good
// keeps the consumer asleep as before, while a stray task's turn (a kworker,
// a compiler passing by) costs a millisecond of sleeping hops, not fifty.
// Pure arithmetic on times the caller measures, so it can be tested with
// invented clocks.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>

namespace cpd::ipc {

class SpinBudget {
  public:
    /// A yield that returns later than this gave the CPU away: an idle CPU's
    /// yield takes about a microsecond, a task's time slice milliseconds.
    static constexpr std::uint64_t gave_way_ns = 20'000;

    /// A spin that began at `start_ns` and may last `limit_ns`.
    constexpr SpinBudget(std::uint64_t start_ns, std::uint64_t limit_ns) noexcept
        : deadline_ns_(start_ns + limit_ns) {}

    /// After a round that found nothing: `before_ns` just before the yield,
    /// `after_ns` just after it (the same time for a round without a yield);
    /// `to_peer` if a peer we wait for ran on our CPU during the yield.
    /// True to poll another round.
    constexpr bool keep_spinning(std::uint64_t before_ns, std::uint64_t after_ns,
                                 bool to_peer = false) noexcept {
        if (gave_way_) {
            return false; // the one more look after giving way found nothing
        }
        if (after_ns - before_ns > gave_way_ns && !to_peer) {
            gave_way_ = true;
            gave_way_at_ns_ = after_ns;
            return true;
        }
        quick_yield_ = quick_yield_ || (after_ns != before_ns && after_ns - before_ns <= gave_way_ns);
        return after_ns < deadline_ns_;
    }

    /// True if the spin ended (or is ending) because its CPU was wanted elsewhere.
    constexpr bool gave_way() const noexcept { return gave_way_; }
    /// False for a spin of no time: look once and sleep, without yielding.
    constexpr bool spins() const noexcept { return spins_; }
    /// True if a yield of this spin came back at once: its CPU had nothing else to run.
    constexpr bool had_quick_yield() const noexcept { return quick_yield_; }

  private:
    friend class SpinPolicy;
    constexpr SpinBudget(std::uint64_t start_ns, std::uint64_t limit_ns, bool spins) noexcept
        : deadline_ns_(start_ns + limit_ns), spins_(spins) {}

    std::uint64_t deadline_ns_;
    std::uint64_t gave_way_at_ns_ = 0;
    bool gave_way_ = false;
    bool quick_yield_ = false;
    bool spins_ = true;
};

/// The spins of one consumer: each as long as `limit_ns`, none while the CPU
/// was recently contended.
class SpinPolicy {
  public:
    /// The longest a spin that gave way stops the next ones from spinning.
    static constexpr std::uint64_t contended_ns = 50'000'000;
    /// How long the first of a run of contended spins stops the next ones.
    static constexpr std::uint64_t first_quiet_ns = 1'000'000;

    explicit constexpr SpinPolicy(std::uint64_t limit_ns) noexcept : limit_ns_(limit_ns) {}

    /// The budget of a spin starting at `now_ns`.
    constexpr SpinBudget begin(std::uint64_t now_ns) const noexcept {
        const bool spin = now_ns >= quiet_until_ns_;
        return SpinBudget(now_ns, spin ? limit_ns_ : 0, spin);
    }
    /// Notes how the spin of `budget` went (call it however the spin ended).
    constexpr void end(const SpinBudget& budget) noexcept {
        if (budget.gave_way()) {
            quiet_ns_ = quiet_ns_ == 0 ? first_quiet_ns : std::min(2 * quiet_ns_, contended_ns);
            quiet_until_ns_ = budget.gave_way_at_ns_ + quiet_ns_;
            ++contended_;
        } else if (budget.had_quick_yield()) {
            quiet_ns_ = 0; // a yield came back at once: the next contention starts short
        }
    }
    /// How long the last contended spin stopped spinning (0: none since a clean spin).
    constexpr std::uint64_t quiet_ns() const noexcept { return quiet_ns_; }
    /// Spins that gave way so far (each stopped spinning for a while).
    constexpr std::uint64_t contended() const noexcept { return contended_; }

  private:
    std::uint64_t limit_ns_;
    std::uint64_t quiet_ns_ = 0;
    std::uint64_t quiet_until_ns_ = 0;
    std::uint64_t contended_ = 0;
};

/// The clock the spin loops measure with: steady time in nanoseconds.
inline std::uint64_t steady_ns() noexcept {
    return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                          std::chrono::steady_clock::now().time_since_epoch())
                                          .count());
}

} // namespace cpd::ipc
