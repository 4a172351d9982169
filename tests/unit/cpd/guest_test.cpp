// SPDX-License-Identifier: MIT
// Unit tests of the Guest entry on its own (no process behind it): the state a
// fresh entry starts in, and that a construction asio refuses closes every
// descriptor it was handed instead of leaking them into cpd.
#include "guest.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <stdexcept>
#include <system_error>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <fcntl.h>
#include <sys/eventfd.h>
#include <unistd.h>

using namespace cpd::daemon;
using cpd::ipc::UniqueFd;

namespace {

/// Descriptors open in this process.
int open_descriptors() {
    int n = 0;
    for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator("/proc/self/fd")) {
        ++n;
    }
    return n - 1; // the iterator's own
}

/// A Guest built from fresh resources; the two descriptors asio watches are given.
std::shared_ptr<Guest> make_guest(boost::asio::io_context& io, UniqueFd pidfd,
                                  UniqueFd bell_watch) {
    std::error_code ec;
    auto segment = cpd::ipc::Segment::create(cpd::ipc::SegmentGeometry{65536, 65536}, "TEST", ec);
    REQUIRE_FALSE(ec);
    auto inbound_bell = cpd::ipc::Doorbell::create(ec);
    REQUIRE_FALSE(ec);
    auto outbound_bell = cpd::ipc::Doorbell::create(ec);
    REQUIRE_FALSE(ec);
    return std::make_shared<Guest>(io, *cpd::proto::Userid::parse("TEST"), ::getpid(),
                                   std::move(pidfd), std::move(segment), std::move(inbound_bell),
                                   std::move(outbound_bell), std::move(bell_watch));
}

/// A descriptor asio accepts (an eventfd, as the bells are).
UniqueFd watchable() { return UniqueFd(::eventfd(0, EFD_CLOEXEC)); }

/// An open descriptor epoll refuses with EBADF, so asio's assign() throws.
UniqueFd unwatchable() { return UniqueFd(::open("/", O_PATH | O_CLOEXEC)); }

} // namespace

TEST_SUITE("cpd.guest") {

TEST_CASE("a guest is running as soon as its entry exists") {
    boost::asio::io_context io;
    auto g = make_guest(io, watchable(), watchable());
    CHECK(g->state == GuestState::running);
    CHECK(std::string(to_string(g->state)) == "running");
    CHECK(g->pid_watch.is_open());
    CHECK(g->bell_watch.is_open());
}

TEST_CASE("a guest without a pidfd is built with no pid watch") {
    boost::asio::io_context io;
    auto g = make_guest(io, UniqueFd{}, watchable());
    CHECK_FALSE(g->pid_watch.is_open());
    CHECK(g->bell_watch.is_open());
}

TEST_CASE("a guest asio cannot watch closes every descriptor it was given") {
    boost::asio::io_context io;
    boost::asio::posix::stream_descriptor warm_up(io); // the reactor's own fds exist already
    warm_up.assign(::eventfd(0, EFD_CLOEXEC));
    const int before = open_descriptors();
    SUBCASE("the outbound bell's watch") {
        CHECK_THROWS_AS(make_guest(io, watchable(), unwatchable()), std::exception);
    }
    SUBCASE("the pidfd, after the bell's watch was taken") {
        CHECK_THROWS_AS(make_guest(io, unwatchable(), watchable()), std::exception);
    }
    CHECK(open_descriptors() == before);
}

} // TEST_SUITE
