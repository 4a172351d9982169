// SPDX-License-Identifier: MIT
// Unit tests of the Guest entry on its own (no process behind it): its ring
// and bell are the ones the guest maps, its wake-up rings only a guest that
// announced sleep, and a construction asio refuses closes every descriptor it
// was handed instead of leaking them into cpd. (What a fresh entry's members
// default to is not tested: such a test cannot fail for a reason that matters.)
#include "guests/guest.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <stdexcept>
#include <system_error>
#include <variant>
#include <vector>

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

/// A Guest built from fresh resources; the descriptor asio watches (the
/// outbound bell's own) is given.
std::shared_ptr<Guest> make_guest(boost::asio::io_context& io, UniqueFd outbound_bell) {
    std::error_code ec;
    auto segment = cpd::ipc::Segment::create(cpd::ipc::SegmentGeometry{65536, 65536}, "TEST", ec);
    REQUIRE_FALSE(ec);
    auto inbound_bell = cpd::ipc::Doorbell::create(ec);
    REQUIRE_FALSE(ec);
    return std::make_shared<Guest>(io, *cpd::proto::Userid::parse("TEST"), ::getpid(),
                                   std::move(segment), std::move(inbound_bell),
                                   cpd::ipc::Doorbell::adopt(outbound_bell.release()));
}

/// A descriptor asio accepts (an eventfd, as the bells are).
UniqueFd watchable() { return UniqueFd(::eventfd(0, EFD_CLOEXEC)); }

/// An open descriptor epoll refuses with EBADF, so asio's assign() throws.
UniqueFd unwatchable() { return UniqueFd(::open("/", O_PATH | O_CLOEXEC)); }

} // namespace

TEST_SUITE("cpd.guest") {

TEST_CASE("a frame pushed to a guest entry reaches the guest's end of its segment") {
    boost::asio::io_context io;
    auto g = make_guest(io, watchable());
    std::error_code ec;
    // The guest's view: the same memfd, mapped and validated as the runtime does after exec.
    auto theirs = cpd::ipc::Segment::adopt(::dup(g->segment.fd()), ec);
    REQUIRE_FALSE(ec);
    auto reader = theirs.reader(cpd::proto::inbound_ring);
    REQUIRE(g->push(cpd::proto::SmsgDeliver{*cpd::proto::Userid::parse("ALICE"), "hello"}) ==
            cpd::ipc::RingStatus::ok);
    g->wake();
    std::uint32_t type = 0;
    std::vector<std::byte> bytes;
    REQUIRE(reader.pop(type, bytes) == cpd::ipc::RingStatus::ok);
    auto frame = cpd::proto::decode_cpd_frame(type, bytes);
    REQUIRE(frame.has_value());
    const auto* smsg = std::get_if<cpd::proto::SmsgDeliver>(&*frame);
    REQUIRE(smsg != nullptr);
    CHECK(smsg->from.str() == "ALICE");
    CHECK(smsg->text == "hello");
    CHECK(g->inbound_bell.drain() == 0); // the guest had not said it sleeps: no ring
    CHECK(g->counters.bells_rung == 0);
}

TEST_CASE("waking a guest rings its bell once, and only after it announced sleep") {
    boost::asio::io_context io;
    auto g = make_guest(io, watchable());
    std::error_code ec;
    auto theirs = cpd::ipc::Segment::adopt(::dup(g->segment.fd()), ec);
    REQUIRE_FALSE(ec);
    auto reader = theirs.reader(cpd::proto::inbound_ring);
    REQUIRE(reader.prepare_sleep());
    REQUIRE(g->push(cpd::proto::CpMessage{"HCPMSG045E BOB not logged on"}) ==
            cpd::ipc::RingStatus::ok);
    g->wake();
    g->wake(); // the first wake-up took the sleep flag: a second one rings nothing
    CHECK(g->inbound_bell.drain() == 1);
    CHECK(g->counters.bells_rung == 1);
    CHECK_FALSE(reader.is_empty());
}

TEST_CASE("a guest asio cannot watch closes every descriptor it was given") {
    boost::asio::io_context io;
    boost::asio::posix::stream_descriptor warm_up(io); // the reactor's own fds exist already
    warm_up.assign(::eventfd(0, EFD_CLOEXEC));
    const int before = open_descriptors();
    // the outbound bell, watched on its own descriptor
    CHECK_THROWS_AS(make_guest(io, unwatchable()), std::exception);
    CHECK(open_descriptors() == before);
}

TEST_CASE("a guest entry closes each of its descriptors once, the watched bell included") {
    boost::asio::io_context io;
    boost::asio::posix::stream_descriptor warm_up(io);
    warm_up.assign(::eventfd(0, EFD_CLOEXEC));
    const int before = open_descriptors();
    {
        auto g = make_guest(io, watchable());
        // Both bells and the segment's memfd (spawn_guest closes that one).
        CHECK(open_descriptors() == before + 3);
        g->segment.close_fd();
        CHECK(open_descriptors() == before + 2);
        CHECK(g->bell_watch.native_handle() == g->outbound_bell.fd()); // no duplicate
    }
    CHECK(open_descriptors() == before);
    // Had anything closed a descriptor twice, this one (the lowest free) would be gone too.
    UniqueFd probe(::eventfd(0, EFD_CLOEXEC));
    CHECK(::fcntl(probe.get(), F_GETFD) >= 0);
}

} // TEST_SUITE
