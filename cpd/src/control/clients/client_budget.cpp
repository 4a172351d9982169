// SPDX-License-Identifier: MIT
// Admission counting and the rate-limited refusal/drop log of the control
// socket (20 lines per 10 seconds get through; the rest become one summary),
// and the queue that closes dropped sessions' sockets 16 per loop turn.
#include "control/clients/client_budget.hpp"

#include "control/control_session.hpp"

#include "cpd/ipc/log.hpp"

#include <boost/asio/post.hpp>

namespace cpd::daemon {

namespace {
constexpr std::size_t log_burst = 20;
constexpr auto log_window = std::chrono::seconds(10);
/// Sockets closed per turn of the loop.
constexpr std::size_t closes_per_turn = 16;
} // namespace

ClientBudget::ClientBudget(ClientLimits limits) : limits_(limits), log_(log_burst, log_window) {}

std::string ClientBudget::refusal(uid_t uid) const {
    if (total_ >= limits_.max_clients) {
        return "cpd has " + std::to_string(total_) + " clients, its max_clients";
    }
    if (clients_of(uid) >= limits_.max_clients_per_uid) {
        return "uid " + std::to_string(uid) + " has " + std::to_string(clients_of(uid)) +
               " clients, its max_clients_per_uid";
    }
    return {};
}

void ClientBudget::admit(uid_t uid) {
    ++total_;
    ++per_uid_[uid];
}

void ClientBudget::release(uid_t uid) noexcept {
    auto it = per_uid_.find(uid);
    if (it == per_uid_.end()) {
        return;
    }
    --total_;
    if (--it->second == 0) {
        per_uid_.erase(it);
    }
}

std::size_t ClientBudget::clients_of(uid_t uid) const noexcept {
    auto it = per_uid_.find(uid);
    return it == per_uid_.end() ? 0 : it->second;
}

void ClientBudget::log(std::string_view line) {
    if (log_.allow(RateLimitedLog::Clock::now())) {
        CPD_LOG(warn, line);
    }
}

void ClientBudget::log_suppressed() {
    if (const auto n = log_.take_suppressed(RateLimitedLog::Clock::now()); n > 0) {
        CPD_LOG(warn, "control: ", n, " more refusals and drops of clients not logged (", log_burst,
                " lines per ", log_window.count(), " s)");
    }
}

void ClientBudget::close_later(std::shared_ptr<ControlSession> session) {
    auto executor = session->executor();
    closing_.push_back(std::move(session));
    if (!closing_posted_) {
        closing_posted_ = true;
        boost::asio::post(executor, [self = shared_from_this()] { self->close_some(); });
    }
}

void ClientBudget::close_pending() noexcept {
    for (auto& s : closing_) {
        s->close_socket();
    }
    closing_.clear(); // the sessions hold this budget: no cycle may outlive shutdown
}

/// Closes a batch, then lets the loop poll before the next one.
void ClientBudget::close_some() {
    for (std::size_t i = 0; i < closes_per_turn && !closing_.empty(); ++i) {
        closing_.front()->close_socket();
        closing_.pop_front();
    }
    if (closing_.empty()) {
        closing_posted_ = false;
        return;
    }
    auto executor = closing_.front()->executor();
    boost::asio::post(executor, [self = shared_from_this()] { self->close_some(); });
}

} // namespace cpd::daemon
