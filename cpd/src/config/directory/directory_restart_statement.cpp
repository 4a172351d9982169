// SPDX-License-Identifier: MIT
// RESTART [LIMIT n] [WITHIN time] [BACKOFF time] [MAXBACKOFF time]: bounds
// chosen so that a typing slip cannot make a restart loop spin (BACKOFF at
// least 10 ms) or make cpd forget a crash loop (WITHIN at most a day).
#include "config/directory/directory_restart_statement.hpp"

#include <optional>

namespace cpd::daemon {
namespace {

using directory_words::quoted;
using directory_words::Token;
using directory_words::upper;
using std::chrono::milliseconds;

constexpr milliseconds min_backoff{10};
constexpr milliseconds max_backoff_bound{std::chrono::hours(1)};
constexpr milliseconds min_window{std::chrono::seconds(1)};
constexpr milliseconds max_window{std::chrono::hours(24)};

/// "250MS", "5S", "5" (seconds) or "2M" as milliseconds, or nothing.
std::optional<milliseconds> parse_time(std::string_view text) {
    const std::string u = upper(text);
    std::size_t digits = 0;
    while (digits < u.size() && u[digits] >= '0' && u[digits] <= '9') {
        ++digits;
    }
    const std::string_view unit = std::string_view(u).substr(digits);
    auto n = directory_words::parse_number(std::string_view(u).substr(0, digits), 0, 86400000);
    if (!n) {
        return std::nullopt;
    }
    if (unit == "MS") {
        return milliseconds(*n);
    }
    if (unit.empty() || unit == "S") {
        return milliseconds(*n * 1000);
    }
    if (unit == "M") {
        return milliseconds(*n * 60000);
    }
    return std::nullopt;
}

/// The time operand after keyword `t[i]` within [lo, hi], into `out`; "" or the error.
std::string time_operand(const std::vector<Token>& t, std::size_t i, milliseconds lo,
                         milliseconds hi, const char* range, milliseconds& out) {
    const std::string keyword = upper(t[i].text);
    if (i + 1 >= t.size()) {
        return "RESTART: " + keyword + " needs a time (" + range + ")";
    }
    auto value = parse_time(t[i + 1].text);
    if (!value || *value < lo || *value > hi) {
        return "RESTART: " + keyword + " needs a time " + range + ", got " + quoted(t[i + 1].text);
    }
    out = *value;
    return {};
}

} // namespace

std::string parse_restart_statement(const std::vector<Token>& t, RestartPolicy& policy) {
    RestartPolicy p;
    bool seen[4] = {false, false, false, false}; // LIMIT WITHIN BACKOFF MAXBACKOFF
    static const char* const keywords[4] = {"LIMIT", "WITHIN", "BACKOFF", "MAXBACKOFF"};
    for (std::size_t i = 1; i < t.size(); i += 2) {
        const std::string keyword = upper(t[i].text);
        int k = 0;
        while (k < 4 && keyword != keywords[k]) {
            ++k;
        }
        if (k == 4) {
            return "RESTART: unexpected operand " + quoted(t[i].text) +
                   " (RESTART [LIMIT n] [WITHIN time] [BACKOFF time] [MAXBACKOFF time])";
        }
        if (seen[k]) {
            return "RESTART: " + keyword + " given twice";
        }
        seen[k] = true;
        std::string problem;
        switch (k) {
        case 0: {
            auto n = i + 1 < t.size() ? directory_words::parse_number(t[i + 1].text, 1, 1000)
                                      : std::nullopt;
            if (!n) {
                return "RESTART: LIMIT needs a number 1-1000" +
                       (i + 1 < t.size() ? ", got " + quoted(t[i + 1].text) : std::string());
            }
            p.limit = static_cast<std::uint32_t>(*n);
            break;
        }
        case 1:
            problem = time_operand(t, i, min_window, max_window, "1S-24H", p.window);
            break;
        case 2:
            problem = time_operand(t, i, min_backoff, max_backoff_bound, "10MS-60M", p.backoff);
            break;
        case 3:
            problem = time_operand(t, i, min_backoff, max_backoff_bound, "10MS-60M", p.max_backoff);
            break;
        }
        if (!problem.empty()) {
            return problem;
        }
    }
    if (seen[3] && p.max_backoff < p.backoff) {
        return "RESTART: MAXBACKOFF is shorter than BACKOFF";
    }
    if (!seen[3] && p.max_backoff < p.backoff) {
        p.max_backoff = p.backoff;
    }
    policy = p;
    return {};
}

} // namespace cpd::daemon
