// SPDX-License-Identifier: MIT
#include "spawner/guest_output_lines.hpp"

#include "service/log_text.hpp"

#include <algorithm>

namespace cpd::daemon {

GuestOutputLines::GuestOutputLines(proto::Userid userid, OutputBudget budget)
    : userid_(userid), budget_(budget), tokens_(budget.burst) {}

bool GuestOutputLines::take_token(std::chrono::steady_clock::time_point now) {
    if (refilled_ != std::chrono::steady_clock::time_point{}) {
        const double seconds = std::chrono::duration<double>(now - refilled_).count();
        tokens_ = std::min(budget_.burst, tokens_ + seconds * budget_.lines_per_second);
    }
    refilled_ = now;
    if (tokens_ < 1) {
        return false;
    }
    tokens_ -= 1;
    return true;
}

bool GuestOutputLines::over_budget(std::chrono::steady_clock::time_point now) {
    if (refilled_ != std::chrono::steady_clock::time_point{}) {
        const double seconds = std::chrono::duration<double>(now - refilled_).count();
        tokens_ = std::min(budget_.burst, tokens_ + seconds * budget_.lines_per_second);
        refilled_ = now;
    }
    return tokens_ < 1;
}

std::string GuestOutputLines::tagged(std::string_view text) const {
    return "guest " + std::string(userid_.str()) + ": " + loggable_text(text);
}

} // namespace cpd::daemon
