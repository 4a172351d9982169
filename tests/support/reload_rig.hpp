// SPDX-License-Identifier: MIT
// What the reload test and bench_reload share: a user directory of nothing but
// bad lines, a client that pings ECHO (SMSG there and ECHO's answer back), and
// cpd's resident set size. Header-only, on top of CpdHarness.
#pragma once

#include "cpd_harness.hpp"

#include <chrono>
#include <cstddef>
#include <string>

namespace cpd::test {

/// At least `bytes` of directory lines that are all errors or warnings, in the
/// mix an attacker would use: short lines, each a diagnostic.
inline std::string bad_directory_text(std::size_t bytes) {
    static const char* const lines[] = {"USER\n",  " IPL\n",  " MDISK\n",
                                        "BOGUS\n", " IUCV\n", "USER A!\n"};
    std::string text;
    text.reserve(bytes + 16);
    for (std::size_t i = 0; text.size() < bytes; ++i) {
        text += lines[i % std::size(lines)];
    }
    return text;
}

/// cpd's VmRSS in KiB (0 if unreadable).
inline long rss_kib(pid_t pid) {
    const std::string status = read_file("/proc/" + std::to_string(pid) + "/status");
    const auto at = status.find("VmRSS:");
    return at == std::string::npos ? 0 : std::stol(status.substr(at + 6));
}

/// A listening client that sends SMSGs to ECHO and waits for each answer.
class EchoPinger {
  public:
    /// Connects to `cpd` and listens for SMSGs (the test runs as root: OPERATOR).
    explicit EchoPinger(const CpdHarness& cpd) : client_(cpd.connect()) {
        ok_ = client_.ok() && client_.listen().rc == proto::CpRc::ok;
    }
    /// True if connected and listening.
    bool ok() const noexcept { return ok_; }
    /// One round trip; its time, or nothing if the answer took over `timeout`.
    std::optional<std::chrono::nanoseconds> ping(std::chrono::milliseconds timeout) {
        const std::string text = "ping " + std::to_string(++count_);
        const auto start = std::chrono::steady_clock::now();
        const auto deadline = start + timeout;
        if (!client_.send(proto::ClientSmsgSend{*proto::Userid::parse("ECHO"), text})) {
            return std::nullopt;
        }
        for (auto now = start; now < deadline; now = std::chrono::steady_clock::now()) {
            const Reply r = client_.read(
                std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now) + 1ms);
            if (r.type == 0) {
                return std::nullopt;
            }
            if (r.is_event() && r.text == "ECHO: " + text) {
                return std::chrono::steady_clock::now() - start;
            }
        }
        return std::nullopt;
    }

  private:
    Client client_;
    bool ok_ = false;
    unsigned long count_ = 0;
};

} // namespace cpd::test
