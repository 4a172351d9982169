// SPDX-License-Identifier: MIT
// GuestOutputLines: what a guest writes to its stdout and stderr reaches the
// log only through here, one line at a time, as "guest USERID: text" with
// control characters shown as \xNN, so nothing a guest prints can pass for a
// line of cpd's own or move an operator's terminal. A token bucket bounds each
// guest (a burst, then a steady rate); what is over it is dropped and counted,
// and the count is logged when the guest may speak again or ends. The spawn
// helper, which holds every guest's output pipe, feeds it; while the budget is
// spent the helper stops reading, so a flood waits in the guest's own write.
#pragma once

#include "cpd/proto/userid.hpp"

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace cpd::daemon {

/// The log budget of one guest.
struct OutputBudget {
    double lines_per_second = 50;
    double burst = 500;
    std::size_t max_line = 1024; ///< longer lines are logged in pieces ending in "..."
};

/// Turns one guest's raw output into bounded, tagged log lines. Pure; the
/// reader below feeds it. `emit` receives each finished log line.
class GuestOutputLines {
  public:
    GuestOutputLines(proto::Userid userid, OutputBudget budget);
    /// Takes bytes as they arrive at time `now`; calls `emit` for each line.
    template <class Emit>
    void feed(std::string_view bytes, std::chrono::steady_clock::time_point now, Emit&& emit);
    /// Once the budget allows a line again: the count of lines dropped before.
    template <class Emit>
    void report_dropped(std::chrono::steady_clock::time_point now, Emit&& emit);
    /// At the end: the unfinished last line and the dropped count, if any.
    template <class Emit> void finish(std::chrono::steady_clock::time_point now, Emit&& emit);
    std::uint64_t dropped() const noexcept { return dropped_total_; }
    /// True while the budget is spent: the reader pauses, so a flooding guest
    /// fills its pipe and blocks itself instead of costing cpd's thread.
    bool over_budget(std::chrono::steady_clock::time_point now);

  private:
    bool take_token(std::chrono::steady_clock::time_point now);
    std::string tagged(std::string_view text) const;

    proto::Userid userid_;
    OutputBudget budget_;
    std::string partial_;

    double tokens_;
    std::chrono::steady_clock::time_point refilled_{};
    std::uint64_t dropped_since_ = 0;
    std::uint64_t dropped_total_ = 0;
};

// ---- template members --------------------------------------------------

template <class Emit>
void GuestOutputLines::feed(std::string_view bytes, std::chrono::steady_clock::time_point now,
                            Emit&& emit) {
    // A line ends at a newline or at max_line bytes: a flood without
    // newlines spends the budget like any other (its pieces end in "...").
    auto end_line = [&](bool cut) {
        if (take_token(now)) {
            if (dropped_since_ != 0) {
                std::string note = "("; // appended: g++ 12 -O3 -Wrestrict (GCC bug 105651)
                note += std::to_string(dropped_since_);
                emit(tagged(note + " lines dropped: over the guest's log budget)"));
                dropped_since_ = 0;
            }
            emit(tagged(partial_ + (cut ? "..." : "")));
        } else {
            ++dropped_since_;
            ++dropped_total_;
        }
        partial_.clear();
    };
    for (char c : bytes) {
        if (c == '\n') {
            end_line(false);
            continue;
        }
        partial_.push_back(c);
        if (partial_.size() >= budget_.max_line) {
            end_line(true);
        }
    }
}

template <class Emit>
void GuestOutputLines::report_dropped(std::chrono::steady_clock::time_point now, Emit&& emit) {
    if (dropped_since_ != 0 && take_token(now)) {
        std::string note = "("; // appended: g++ 12 -O3 -Wrestrict (GCC bug 105651)
        note += std::to_string(dropped_since_);
        note += " lines dropped: over the guest's log budget)";
        emit(tagged(note));
        dropped_since_ = 0;
    }
}

template <class Emit>
void GuestOutputLines::finish(std::chrono::steady_clock::time_point now, Emit&& emit) {
    if (!partial_.empty()) {
        feed("\n", now, emit);
    }
    if (dropped_since_ != 0) {
        std::string note = "("; // appended: g++ 12 -O3 -Wrestrict (GCC bug 105651)
        note += std::to_string(dropped_since_);
        note += " lines dropped: over the guest's log budget)";
        emit(tagged(note));
        dropped_since_ = 0;
    }
}

} // namespace cpd::daemon
