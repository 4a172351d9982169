// SPDX-License-Identifier: MIT
// SpoolMeter (spool_meter.hpp): the per-turn bound and its log line.
#include "routing/spool_meter.hpp"

#include "cpd/ipc/log.hpp"

namespace cpd::daemon {

bool SpoolMeter::admit(const proto::Userid& userid, std::size_t written, std::size_t bytes,
                       Clock::time_point now) {
    if (written == 0 || written + bytes <= turn_bytes_) {
        return true;
    }
    ++deferred_;
    PerGuest& g = guests_[userid];
    ++g.deferred;
    if (!g.logged || now - g.last_log >= log_interval_) {
        CPD_LOG(info, "router: ", userid.str(), ": throttled: spool writes over ",
                turn_bytes_ / 1024, " KiB in one turn; the rest waits on its ring (",
                g.deferred - g.deferred_at_log, " turns cut short since the last line, ",
                g.deferred, " in all)");
        g.logged = true;
        g.last_log = now;
        g.deferred_at_log = g.deferred;
    }
    return false;
}

} // namespace cpd::daemon
