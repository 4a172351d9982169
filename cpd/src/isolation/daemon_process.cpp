// SPDX-License-Identifier: MIT
#include "isolation/daemon_process.hpp"

#include "isolation/capabilities.hpp"

#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/resource.h>

namespace cpd::daemon {

void prepare_daemon_process() noexcept {
    ::prctl(PR_SET_DUMPABLE, 0);
    ::prctl(PR_SET_CHILD_SUBREAPER, 1);
    rlimit nofile{};
    if (::getrlimit(RLIMIT_NOFILE, &nofile) == 0 && nofile.rlim_cur < nofile.rlim_max) {
        nofile.rlim_cur = nofile.rlim_max; // guests get 1024 back before exec
        ::setrlimit(RLIMIT_NOFILE, &nofile);
    }
}

std::string drop_unneeded_capabilities() {
    constexpr std::uint64_t keep = capability_bit(CAP_SETUID) | capability_bit(CAP_SETGID) |
                                   capability_bit(CAP_KILL) | capability_bit(CAP_CHOWN) |
                                   capability_bit(CAP_FOWNER) | capability_bit(CAP_DAC_READ_SEARCH);
    return restrict_capabilities(keep);
}

} // namespace cpd::daemon
