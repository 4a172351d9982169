// SPDX-License-Identifier: MIT
// Admission counting and the rate-limited refusal/drop log of the control
// socket. 20 lines per 10 seconds get through; the rest become one summary.
#include "clients/client_budget.hpp"

#include "cpd/ipc/log.hpp"

namespace cpd::daemon {

namespace {
constexpr std::size_t log_burst = 20;
constexpr auto log_window = std::chrono::seconds(10);
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

} // namespace cpd::daemon
