// SPDX-License-Identifier: MIT
// From cpd.conf's numbers to ClientLimits, and the fit to RLIMIT_NOFILE that
// keeps idle clients from taking the descriptors guests and the accept loop need.
#include "control/clients/client_limits.hpp"

#include <algorithm>

#include <sys/resource.h>

namespace cpd::daemon {

ClientLimits client_limits(const Options& o) {
    using std::chrono::seconds;
    ClientLimits l;
    l.max_clients = o.max_clients;
    l.max_clients_per_uid = o.max_clients_per_uid;
    l.output_bytes = std::size_t{o.client_output_kib} * 1024;
    l.hello = seconds(o.client_hello_seconds);
    l.frame = seconds(o.client_frame_seconds);
    l.idle = seconds(o.client_idle_seconds);
    l.write = seconds(o.client_write_seconds);
    return l;
}

bool fit_to_descriptors(ClientLimits& limits, std::uint64_t descriptor_limit) {
    if (descriptor_limit == 0) {
        return false;
    }
    const std::size_t fit = std::max<std::uint64_t>(1, descriptor_limit / 2);
    if (limits.max_clients <= fit) {
        return false;
    }
    limits.max_clients = fit;
    limits.max_clients_per_uid = std::min(limits.max_clients_per_uid, fit);
    return true;
}

std::uint64_t descriptor_limit() {
    rlimit r{};
    if (::getrlimit(RLIMIT_NOFILE, &r) != 0 || r.rlim_cur == RLIM_INFINITY) {
        return 0;
    }
    return r.rlim_cur;
}

} // namespace cpd::daemon
