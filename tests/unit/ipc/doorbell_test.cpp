// SPDX-License-Identifier: MIT
// Unit tests of Doorbell: ring/wait/drain on a real eventfd and on the two
// ends of a real socket pair.
#include "cpd/ipc/doorbell.hpp"

#include <doctest/doctest.h>

#include <ostream> // doctest prints std::error_code through it

#include <cerrno>
#include <csignal>
#include <sys/wait.h>
#include <unistd.h>

#include <fcntl.h>
#include <sys/eventfd.h>
#include <sys/socket.h>

using cpd::ipc::Doorbell;

TEST_SUITE("ipc.doorbell") {

TEST_CASE("a fresh doorbell is non-blocking, close-on-exec and silent") {
    std::error_code ec;
    auto bell = Doorbell::create(ec);
    REQUIRE_FALSE(ec);
    REQUIRE(bell.valid());
    CHECK((::fcntl(bell.fd(), F_GETFL) & O_NONBLOCK) != 0);
    CHECK((::fcntl(bell.fd(), F_GETFD) & FD_CLOEXEC) != 0);
    CHECK_FALSE(bell.wait(0));
    CHECK(bell.drain() == 0);
}

TEST_CASE("rings accumulate until drained") {
    std::error_code ec;
    auto bell = Doorbell::create(ec);
    REQUIRE_FALSE(ec);
    bell.ring();
    bell.ring();
    bell.ring();
    CHECK(bell.wait(-1));
    CHECK(bell.drain() == 3);
    CHECK_FALSE(bell.wait(10));
}

TEST_CASE("an adopted descriptor works and is closed on destruction") {
    int fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    REQUIRE(fd >= 0);
    {
        auto bell = Doorbell::adopt(fd);
        bell.ring();
        CHECK(bell.drain() == 1);
    }
    CHECK(::fcntl(fd, F_GETFD) == -1);
}

TEST_CASE("each end of a pair wakes on what the other rang, in both directions") {
    std::error_code ec;
    Doorbell cpd_end, guest_end;
    REQUIRE(Doorbell::create_pair(cpd_end, guest_end, ec));
    REQUIRE_FALSE(ec);
    CHECK(cpd_end.is_pair_end());
    CHECK(guest_end.is_pair_end());
    CHECK((::fcntl(cpd_end.fd(), F_GETFL) & O_NONBLOCK) != 0);
    CHECK((::fcntl(guest_end.fd(), F_GETFD) & FD_CLOEXEC) != 0);
    CHECK_FALSE(cpd_end.wait(0));
    CHECK_FALSE(guest_end.wait(0));
    cpd_end.ring(); // wakes the guest, not cpd itself
    CHECK_FALSE(cpd_end.wait(0));
    CHECK(guest_end.wait(-1));
    CHECK(guest_end.drain() == 1);
    CHECK_FALSE(guest_end.wait(0));
    guest_end.ring();
    guest_end.ring();
    CHECK_FALSE(guest_end.wait(0));
    CHECK(cpd_end.wait(-1));
    CHECK(cpd_end.drain() == 2);
    CHECK_FALSE(cpd_end.wait(10));
}

TEST_CASE("a pair end adopted by another process rings back, and a closed peer is no signal") {
    std::error_code ec;
    Doorbell cpd_end, guest_end;
    REQUIRE(Doorbell::create_pair(cpd_end, guest_end, ec));
    const pid_t child = ::fork();
    if (child == 0) { // the guest: adopts its end as a launched guest does
        const Doorbell mine = Doorbell::adopt(::dup(guest_end.fd()));
        const bool ok = mine.is_pair_end() && mine.wait(5000) && mine.drain() == 1;
        mine.ring();
        ::_exit(ok ? 0 : 1);
    }
    guest_end = {}; // cpd keeps only its own end
    cpd_end.ring();
    CHECK(cpd_end.wait(5000));
    CHECK(cpd_end.drain() == 1);
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    CHECK((WIFEXITED(status) && WEXITSTATUS(status) == 0));
    // The peer is gone: ringing must neither raise SIGPIPE nor block.
    const auto old = ::signal(SIGPIPE, SIG_DFL);
    cpd_end.ring();
    ::signal(SIGPIPE, old);
    CHECK(cpd_end.wait(0)); // end of stream: readable for good, and said so
    CHECK(cpd_end.drain() == Doorbell::peer_closed);
}

TEST_CASE("a peer that rings and never reads fills only the smallest send buffer") {
    std::error_code ec;
    Doorbell cpd_end, guest_end;
    REQUIRE(Doorbell::create_pair(cpd_end, guest_end, ec));
    int rings = 0;
    const char byte = 1;
    while (::send(guest_end.fd(), &byte, 1, MSG_DONTWAIT) == 1 && rings < 100000) {
        ++rings;
    }
    CHECK(errno == EAGAIN);
    MESSAGE(rings << " rings before the send buffer was full");
    CHECK(rings >= 1);
    CHECK(rings <= 64); // each ring is a buffer of its own: a few fill the smallest
    guest_end.ring();   // full: a ring neither blocks nor fails loudly
    CHECK(cpd_end.drain() == static_cast<std::uint64_t>(rings));
    CHECK_FALSE(cpd_end.wait(0));
}

TEST_CASE("a default doorbell is invalid and harmless") {
    Doorbell bell;
    CHECK_FALSE(bell.valid());
    bell.ring();
    CHECK(bell.drain() == 0);
    CHECK_FALSE(bell.wait(0));
}

} // TEST_SUITE
