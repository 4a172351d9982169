// SPDX-License-Identifier: MIT
// The replay buffer and the default, buffering-only console hub.
#include "console/console_hub.hpp"

namespace cpd::daemon {

void ReplayBuffer::add(std::string_view line) {
    if (max_lines_ == 0) {
        ++dropped_;
        return;
    }
    if (lines_.size() >= max_lines_) {
        lines_.pop_front();
        ++dropped_;
    }
    lines_.emplace_back(line);
}

void ReplayBuffer::set_limit(std::size_t max_lines) {
    max_lines_ = max_lines;
    while (lines_.size() > max_lines_) {
        lines_.pop_front();
        ++dropped_;
    }
}

void BufferingConsoleHub::reconfigure(std::size_t replay_lines, bool) {
    replay_lines_ = replay_lines;
    for (auto& [userid, buffer] : buffers_) {
        buffer.set_limit(replay_lines);
    }
}

void BufferingConsoleHub::on_guest_logon(const proto::Userid& userid) {
    buffers_.insert_or_assign(userid, ReplayBuffer(replay_lines_));
}

void BufferingConsoleHub::on_console_output(const proto::Userid& userid, std::string_view line) {
    auto it = buffers_.find(userid);
    if (it != buffers_.end()) {
        it->second.add(line);
    }
}

void BufferingConsoleHub::on_console_end(const proto::Userid&, std::int32_t, proto::ConsoleMode) {}

void BufferingConsoleHub::on_guest_gone(const proto::Userid& userid, proto::CloseReason,
                                        std::string_view) {
    buffers_.erase(userid);
}

std::string BufferingConsoleHub::terminal(const proto::Userid&) const { return "DSC"; }

const ReplayBuffer* BufferingConsoleHub::replay(const proto::Userid& userid) const {
    auto it = buffers_.find(userid);
    return it == buffers_.end() ? nullptr : &it->second;
}

} // namespace cpd::daemon
