// SPDX-License-Identifier: MIT
// The text layouts of QUERY NAMES, USERS, userid and STATS.
#include "control/commands/query_format.hpp"

#include <cstdio>

namespace cpd::daemon {
namespace {

/// "used/capacity (pct%)".
std::string occupancy(std::size_t used, std::size_t capacity) {
    char buf[64];
    unsigned pct = capacity == 0 ? 0 : static_cast<unsigned>(used * 100 / capacity);
    std::snprintf(buf, sizeof buf, "%zu/%zu(%u%%)", used, capacity, pct);
    return buf;
}

} // namespace

std::string format_name(const GuestInfo& g) {
    return std::string(g.userid.padded()) + " - " + g.terminal;
}

std::string format_names(const std::vector<GuestInfo>& guests) {
    std::string out;
    for (std::size_t i = 0; i < guests.size(); ++i) {
        if (i > 0) {
            out += i % 4 == 0 ? "\n" : " , ";
        }
        out += format_name(guests[i]);
    }
    return out;
}

std::string format_users(std::size_t logged_on) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%6zu USERS, %6d DIALED, %6d NET", logged_on, 0, 0);
    return buf;
}

std::string format_stats(const std::vector<GuestInfo>& guests, const StatsTotals& t) {
    char line[384];
    std::snprintf(line, sizeof line, "%-8s %-11s %10s %10s %9s %9s %9s %-22s %-22s %9s %10s %10s",
                  "USERID", "STATE", "ROUTED-IN", "ROUTED-OUT", "DROP-IN", "DROP-OUT", "REFUSED",
                  "INBOUND-RING", "OUTBOUND-RING", "WAKEUPS", "FRAMES-OUT", "BELLS-RUNG");
    std::string out = line;
    for (const GuestInfo& g : guests) {
        const GuestCounters& c = g.counters;
        std::snprintf(
            line, sizeof line,
            "\n%-8s %-11s %10llu %10llu %9llu %9llu %9llu %-22s %-22s %9llu %10llu %10llu",
            std::string(g.userid.str()).c_str(), to_string(g.state),
            static_cast<unsigned long long>(c.routed_in),
            static_cast<unsigned long long>(c.routed_out),
            static_cast<unsigned long long>(c.dropped_in),
            static_cast<unsigned long long>(c.dropped_out),
            static_cast<unsigned long long>(c.refused_out),
            occupancy(g.inbound_used, g.inbound_capacity).c_str(),
            occupancy(g.outbound_used, g.outbound_capacity).c_str(),
            static_cast<unsigned long long>(c.wakeups),
            static_cast<unsigned long long>(c.frames_out),
            static_cast<unsigned long long>(c.bells_rung));
        out += line;
    }
    std::snprintf(
        line, sizeof line,
        "\nTOTAL    routed %llu, to listeners %llu, dropped %llu, refused %llu, "
        "frames %llu, wakeups %llu, spins won %llu, backlogged %llu, "
        "backlog overflows %llu",
        static_cast<unsigned long long>(t.routed), static_cast<unsigned long long>(t.to_listeners),
        static_cast<unsigned long long>(t.dropped), static_cast<unsigned long long>(t.refused),
        static_cast<unsigned long long>(t.frames), static_cast<unsigned long long>(t.wakeups),
        static_cast<unsigned long long>(t.spins_won), static_cast<unsigned long long>(t.backlogged),
        static_cast<unsigned long long>(t.backlog_overflows));
    out += line;
    out += "\nLATENCY  " + t.latency_hold;
    out += "\nISOLATION " + t.isolation;
    for (const auto& [userid, how] : t.last_ends) {
        out += "\nENDED    " + std::string(userid.padded()) + " " + how;
    }
    return out;
}

} // namespace cpd::daemon
