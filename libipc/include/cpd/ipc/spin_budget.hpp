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
// Pure arithmetic on times the caller measures, so it can be tested with
// invented clocks.
#pragma once

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
    /// `after_ns` just after it. True to poll another round.
    constexpr bool keep_spinning(std::uint64_t before_ns, std::uint64_t after_ns) noexcept {
        if (gave_way_) {
            return false; // the one more look after giving way found nothing
        }
        if (after_ns - before_ns > gave_way_ns) {
            gave_way_ = true;
            return true;
        }
        return after_ns < deadline_ns_;
    }

    /// True if the spin ended (or is ending) because its CPU was wanted elsewhere.
    constexpr bool gave_way() const noexcept { return gave_way_; }

  private:
    std::uint64_t deadline_ns_;
    bool gave_way_ = false;
};

} // namespace cpd::ipc
