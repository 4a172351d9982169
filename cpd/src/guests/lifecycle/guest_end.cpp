// SPDX-License-Identifier: MIT
// The wording and the classification of guest ends. The texts are what
// `QUERY userid` shows after "last session ended:", so they stay short.
#include "guests/lifecycle/guest_end.hpp"

namespace cpd::daemon {

std::string describe(const GuestEnd& end) {
    switch (end.kind) {
    case EndKind::logoff:
        return "clean logoff";
    case EndKind::force:
        return "FORCE" + (end.detail.empty() ? "" : " by " + end.detail);
    case EndKind::shutdown:
        return "shutdown";
    case EndKind::crash:
        return "crash: " + end.detail;
    case EndKind::storage:
        return "storage exceeded (" + end.detail + ")";
    case EndKind::corrupt_ring:
        return "corrupt ring: " + end.detail;
    case EndKind::cp_force:
        return "forced by CP: " + end.detail;
    case EndKind::not_started:
        return "could not be started: " + end.detail;
    }
    return end.detail;
}

bool is_restartable(EndKind kind) noexcept {
    switch (kind) {
    case EndKind::crash:
    case EndKind::storage:
    case EndKind::corrupt_ring:
    case EndKind::cp_force:
        return true;
    case EndKind::logoff:
    case EndKind::force:
    case EndKind::shutdown:
    case EndKind::not_started:
        return false; // the same program would fail the same way
    }
    return false;
}

EndKind kind_of_cp_kill(const std::string& reason) noexcept {
    if (reason.rfind("corrupt", 0) == 0) {
        return EndKind::corrupt_ring;
    }
    if (reason.rfind("shutdown", 0) == 0) {
        return EndKind::shutdown;
    }
    return EndKind::cp_force;
}

} // namespace cpd::daemon
