// SPDX-License-Identifier: MIT
#include "guest_output.hpp"

#include "cpd/ipc/log.hpp"

#include <algorithm>
#include <cerrno>

#include <unistd.h>

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

namespace {

/// The length of the UTF-8 sequence at the start of `s` if it is valid and
/// encodes a printable code point (not a C1 control, U+0080 to U+009F), else 0.
std::size_t printable_utf8_length(std::string_view s) {
    const auto b = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
    const auto continuation = [&](std::size_t i) { return i < s.size() && (b(i) & 0xC0) == 0x80; };
    const unsigned char lead = b(0);
    std::size_t n = 0;
    std::uint32_t cp = 0;
    if (lead >= 0xC2 && lead <= 0xDF) {
        n = 2;
        cp = lead & 0x1Fu;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        n = 3;
        cp = lead & 0x0Fu;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        n = 4;
        cp = lead & 0x07u;
    } else {
        return 0;
    }
    for (std::size_t i = 1; i < n; ++i) {
        if (!continuation(i)) {
            return 0;
        }
        cp = (cp << 6) | (b(i) & 0x3Fu);
    }
    const std::uint32_t min[] = {0, 0, 0x80, 0x800, 0x10000};
    const bool valid = cp >= min[n] && cp <= 0x10FFFF && (cp < 0xD800 || cp > 0xDFFF);
    return valid && !(cp >= 0x80 && cp <= 0x9F) ? n : 0;
}

} // namespace

std::string GuestOutputLines::tagged(std::string_view text) const {
    static constexpr char hex[] = "0123456789abcdef";
    std::string out = "guest " + std::string(userid_.str()) + ": ";
    for (std::size_t i = 0; i < text.size();) {
        const auto u = static_cast<unsigned char>(text[i]);
        if (u >= 0x20 && u < 0x7f) {
            out += text[i++];
        } else if (const std::size_t n = u >= 0x80 ? printable_utf8_length(text.substr(i)) : 0) {
            out += text.substr(i, n);
            i += n;
        } else { // C0, DEL, C1 and anything that is not UTF-8, a byte at a time
            out += "\\x";
            out += hex[u >> 4];
            out += hex[u & 0xf];
            ++i;
        }
    }
    return out;
}

GuestOutput::GuestOutput(boost::asio::io_context& io, proto::Userid userid, ipc::UniqueFd pipe)
    : pipe_(io), pause_(io), lines_(userid, OutputBudget{}) {
    pipe_.assign(pipe.get());
    pipe.release();
}

GuestOutput::~GuestOutput() {
    *alive_ = false;
}

void GuestOutput::start() {
    do_read();
}

void GuestOutput::log(std::string_view bytes) {
    lines_.feed(bytes, std::chrono::steady_clock::now(),
                [](const std::string& line) { CPD_LOG(info, line); });
}

void GuestOutput::do_read() {
    pipe_.async_read_some(
        boost::asio::buffer(buffer_),
        [this, alive = alive_](const boost::system::error_code& ec, std::size_t n) {
            if (!*alive || ec) {
                return; // cancelled, or end of file: finish() logs the rest
            }
            log(std::string_view(buffer_.data(), n));
            if (!lines_.over_budget(std::chrono::steady_clock::now())) {
                do_read();
                return;
            }
            // Over budget: read again only when lines may be logged again, so
            // a flood fills the pipe and waits in the guest's own write.
            pause_.expires_after(std::chrono::milliseconds(100));
            pause_.async_wait([this, alive](const boost::system::error_code& wait_ec) {
                if (!*alive || wait_ec) {
                    return;
                }
                lines_.report_dropped(std::chrono::steady_clock::now(),
                                      [](const std::string& line) { CPD_LOG(info, line); });
                do_read();
            });
        });
}

void GuestOutput::finish() {
    if (!pipe_.is_open()) {
        return;
    }
    boost::system::error_code ignored;
    pipe_.cancel(ignored);
    pause_.cancel();
    // What the guest wrote before it died is still in the pipe: read it
    // without blocking (the descriptor is non-blocking; at most 64 KiB).
    for (int round = 0; round < 64; ++round) {
        const ssize_t n = ::read(pipe_.native_handle(), buffer_.data(), buffer_.size());
        if (n <= 0) {
            break;
        }
        log(std::string_view(buffer_.data(), static_cast<std::size_t>(n)));
    }
    lines_.finish(std::chrono::steady_clock::now(),
                  [](const std::string& line) { CPD_LOG(info, line); });
    pipe_.close(ignored);
}

} // namespace cpd::daemon
