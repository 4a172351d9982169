// SPDX-License-Identifier: MIT
// SmsgWindow and SmsgCredits: the window's bookkeeping and its credit SMSG.
// A credit is "\x1F" "CREDIT n" (a unit separator first, which no typed text
// starts with); one whose count would credit more than was sent is ignored,
// so a confused or hostile peer cannot open the window wider than `window`.
#include "cpd/guest/smsg_window.hpp"

#include <charconv>
#include <chrono>

namespace cpd::guest {
namespace {

constexpr std::string_view credit_prefix = "\x1F"
                                           "CREDIT ";
/// How soon a credit that found the outbound ring full is sent again.
constexpr std::chrono::microseconds credit_retry{50};

} // namespace

bool is_smsg_credit(std::string_view text) noexcept {
    return text.substr(0, credit_prefix.size()) == credit_prefix;
}

SmsgWindow::SmsgWindow(std::string_view to, std::uint32_t window) noexcept
    : window_(window == 0 ? 1 : window) {
    if (auto id = Userid::parse(to)) {
        to_ = *id;
    }
}

SendStatus SmsgWindow::send(Context& ctx, std::string_view text) noexcept {
    if (!to_) {
        return SendStatus::invalid_userid;
    }
    if (is_window_full()) {
        ++waits_;
        return SendStatus::busy;
    }
    const SendStatus s = ctx.send_smsg(to_->str(), text);
    if (s == SendStatus::ok) {
        ++sent_;
    } else if (s == SendStatus::busy) {
        ++waits_;
    }
    return s;
}

bool SmsgWindow::on_smsg(const Userid& from, std::string_view text) noexcept {
    if (!to_ || from != *to_ || !is_smsg_credit(text)) {
        return false;
    }
    const std::string_view count = text.substr(credit_prefix.size());
    std::uint64_t n = 0;
    const auto [end, ec] = std::from_chars(count.data(), count.data() + count.size(), n);
    if (ec == std::errc{} && end == count.data() + count.size() && n <= in_flight()) {
        credited_ += n;
    }
    return true;
}

SmsgCredits::SmsgCredits(std::uint32_t every) noexcept : every_(every == 0 ? 1 : every) {}

void SmsgCredits::on_smsg(Context& ctx, const Userid& from) noexcept {
    if (from_ && *from_ != from) {
        owed_ = 0; // a new sender: the old one's stream is over
    }
    from_ = from;
    ++received_;
    if (++owed_ >= every_ && !retry_armed_) {
        send_credit(ctx);
    }
}

/// Sends what is owed; on a full ring, tries again shortly rather than waiting.
void SmsgCredits::send_credit(Context& ctx) noexcept {
    if (!from_ || owed_ == 0) {
        return;
    }
    char text[32]; // the prefix and at most 20 digits: no allocation on this path
    const std::size_t n = credit_prefix.copy(text, credit_prefix.size());
    char* const end = std::to_chars(text + n, text + sizeof text, owed_).ptr;
    const SendStatus s = ctx.send_smsg(from_->str(), std::string_view(text, end - text));
    if (s == SendStatus::ok) {
        owed_ = 0;
    } else if (s == SendStatus::busy) {
        retry_armed_ = ctx.call_later(credit_retry, [this](Context& c) {
            retry_armed_ = false;
            send_credit(c);
        });
    }
}

} // namespace cpd::guest
