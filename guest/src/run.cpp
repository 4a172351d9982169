// SPDX-License-Identifier: MIT
// cpd::guest::run: the start-up contract of proto/guest_launch.hpp seen from
// the guest. Adopts the segment (fd 3) and the two doorbells (fds 4 and 5),
// reads CPD_GUEST_* from the environment, names the process after the userid
// and hands over to the EventLoop. Anything missing means we were not started
// by cpd: say so on stderr and exit with exit_not_a_guest.
#include "cpd/guest/run.hpp"

#include "context_impl.hpp"
#include "cpd/ipc/log.hpp"
#include "cpd/ipc/segment.hpp"
#include "cpd/proto/guest_launch.hpp"
#include "cpd/proto/ring_layout.hpp"
#include "event_loop.hpp"

#include <csignal>
#include <cstdlib>
#include <exception>
#include <optional>
#include <string>

#include <fcntl.h>
#include <sys/prctl.h>
#include <unistd.h>

namespace cpd::guest {
namespace {

/// What start-up collected from the environment and the inherited fds.
struct Launch {
    Userid userid;
    std::string parm;
    ipc::Segment segment;
    ipc::Doorbell inbound_bell;
    ipc::Doorbell outbound_bell;
};

/// Prints a start-up complaint; there is no userid prefix yet.
void complain(std::string_view what) noexcept {
    CPD_LOG(error, "cpd guest runtime: ", what, " (not started by cpd?)");
}

/// True if `fd` is open; marks it close-on-exec so programs we run never inherit it.
bool claim_fd(int fd) noexcept {
    const int flags = ::fcntl(fd, F_GETFD);
    if (flags < 0) {
        return false;
    }
    ::fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
    return true;
}

/// Applies CPD_GUEST_LOG_LEVEL; an unknown name keeps the default and warns.
void apply_log_level() noexcept {
    const char* level = std::getenv(proto::guest_log_level_env);
    ipc::LogLevel parsed{};
    if (level == nullptr || *level == '\0') {
        return;
    }
    if (ipc::parse_log_level(level, parsed)) {
        ipc::set_log_level(parsed);
    } else {
        CPD_LOG(warn, "cpd guest runtime: unknown log level '", level, "', using default");
    }
}

/// Collects the launch contract; std::nullopt (after a message) if anything is wrong.
std::optional<Launch> adopt_launch() noexcept {
    const char* name = std::getenv(proto::guest_userid_env);
    if (name == nullptr) {
        complain(std::string(proto::guest_userid_env) + " is not set");
        return std::nullopt;
    }
    auto userid = Userid::parse(name);
    if (!userid) {
        complain(std::string(proto::guest_userid_env) + "='" + name + "' is not a valid userid");
        return std::nullopt;
    }
    for (int fd :
         {proto::guest_segment_fd, proto::guest_inbound_bell_fd, proto::guest_outbound_bell_fd}) {
        if (!claim_fd(fd)) {
            complain("descriptor " + std::to_string(fd) + " is not open");
            return std::nullopt;
        }
    }
    std::error_code ec;
    ipc::Segment segment = ipc::Segment::adopt(proto::guest_segment_fd, ec);
    if (ec || !segment.valid()) {
        complain("unable to map the segment on fd 3: " +
                 (ec ? ec.message() : std::string("invalid")));
        return std::nullopt;
    }
    const char* parm = std::getenv(proto::guest_parm_env);
    return Launch{*userid, parm != nullptr ? parm : "", std::move(segment),
                  ipc::Doorbell::adopt(proto::guest_inbound_bell_fd),
                  ipc::Doorbell::adopt(proto::guest_outbound_bell_fd)};
}

/// Names the process after the userid; dies with cpd.
void become(const Userid& userid) {
        const std::string name = "cpd:" + std::string(userid.str());
    // Our stderr is a pipe to cpd, which stamps and tags each line
    // ("guest ECHO: ..."): no second time stamp, no second userid.
    ipc::set_log_timestamps(false);
    ::prctl(PR_SET_NAME, name.c_str(), 0, 0, 0); // at most 12 of the 15 allowed bytes
    ::prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0); // cpd set it before exec too
}

} // namespace

int run(Handler& handler) noexcept {
    // exec made this process dumpable again: no other process of this uid
    // (a helper it forks) may read its memory or open its descriptors.
    ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    try {
        apply_log_level();
        std::optional<Launch> launch = adopt_launch();
        if (!launch) {
            return exit_not_a_guest;
        }
        become(launch->userid);
        detail::ContextImpl ctx(launch->userid, launch->parm,
                                launch->segment.writer(proto::outbound_ring),
                                launch->outbound_bell);
        detail::EventLoop loop(handler, ctx, launch->segment.reader(proto::inbound_ring),
                               launch->inbound_bell);
        CPD_LOG(debug, "runtime: started, parm '", launch->parm, "'");
        const int status = loop.run();
        CPD_LOG(debug, "runtime: exiting with status ", status);
        return status;
    } catch (const std::exception& e) {
        CPD_LOG(error, "cpd guest runtime: unable to start: ", e.what());
        return exit_ipc_failure;
    }
}

} // namespace cpd::guest
