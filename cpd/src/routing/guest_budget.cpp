// SPDX-License-Identifier: MIT
// GuestBudget as GCRA (the generic cell rate algorithm): a unit may go when
// now >= tat - tolerance, where tat advances by one interval per unit spent
// and tolerance is the burst less one interval. One time point per kind and
// no background refill, so an idle guest costs nothing.
#include "routing/guest_budget.hpp"

#include "cpd/ipc/log.hpp"

#include <algorithm>

namespace cpd::daemon {
namespace {

using Clock = GuestBudget::Clock;

Clock::duration interval(const BudgetRate& r) noexcept {
    return std::chrono::duration_cast<Clock::duration>(std::chrono::nanoseconds(1'000'000'000)) /
           r.per_second;
}

Clock::duration tolerance(const BudgetRate& r) noexcept {
    return interval(r) * (std::max<std::uint32_t>(r.burst, 1) - 1);
}

} // namespace

std::string_view describe(BudgetKind kind) noexcept {
    switch (kind) {
    case BudgetKind::cp_command:
        return "CP commands";
    case BudgetKind::empty_wakeup:
        return "doorbell wake-ups with nothing on its ring";
    case BudgetKind::console_line:
        return "console lines";
    }
    return "?";
}

const BudgetRate& BudgetLimits::of(BudgetKind kind) const noexcept {
    switch (kind) {
    case BudgetKind::cp_command:
        return cp_command;
    case BudgetKind::empty_wakeup:
        return empty_wakeup;
    case BudgetKind::console_line:
        break;
    }
    return console_line;
}

BudgetVerdict GuestBudget::spend(BudgetKind kind, Clock::time_point now) noexcept {
    const BudgetRate& rate = limits_.of(kind);
    Lane& l = lane(kind);
    if (rate.per_second == 0) { // unlimited
        ++l.counters.spent;
        return {};
    }
    if (now >= l.tat - tolerance(rate)) {
        l.tat = std::max(l.tat, now) + interval(rate);
        l.waiting = false;
        ++l.counters.spent;
        return {};
    }
    BudgetVerdict v{false, false};
    if (!l.waiting) { // a new unit waits: one deferral, however often it asks
        l.waiting = true;
        ++l.counters.deferred;
        v.log = log_due(l, now);
    }
    return v;
}

/// At most one line per log_interval; the deferrals in between are summed into the next.
bool GuestBudget::log_due(Lane& l, Clock::time_point now) const noexcept {
    if (l.logged && now - l.last_log < limits_.log_interval) {
        return false;
    }
    l.logged = true;
    l.last_log = now;
    l.deferred_for_log = l.counters.deferred - l.deferred_at_log;
    l.deferred_at_log = l.counters.deferred;
    return true;
}

Clock::time_point GuestBudget::ready_at(BudgetKind kind) const noexcept {
    const BudgetRate& rate = limits_.of(kind);
    const Lane& l = lane(kind);
    if (rate.per_second == 0) {
        return Clock::time_point::min();
    }
    return l.tat - tolerance(rate);
}

std::string throttle_text(const proto::Userid& userid, const GuestBudget& budget, BudgetKind kind) {
    const BudgetRate& rate = budget.limits().of(kind);
    const BudgetCounters& c = budget.counters(kind);
    const char* waits = kind == BudgetKind::empty_wakeup ? "its doorbell is not watched"
                                                         : "its frames wait on its ring";
    return "router: " + std::string(userid.str()) + ": throttled: " + std::string(describe(kind)) +
           " over " + std::to_string(rate.per_second) + "/s (burst " + std::to_string(rate.burst) +
           "); " + waits + " (" + std::to_string(budget.deferred_for_log(kind)) +
           " deferred since the last line, " + std::to_string(c.deferred) + " in all, " +
           std::to_string(c.spent) + " allowed)";
}

void log_throttle(const proto::Userid& userid, const GuestBudget& budget, BudgetKind kind) {
    CPD_LOG(warn, throttle_text(userid, budget, kind));
}

} // namespace cpd::daemon
