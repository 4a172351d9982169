// SPDX-License-Identifier: MIT
// Unit tests of Doorbell: ring/wait/drain on a real eventfd.
#include "cpd/ipc/doorbell.hpp"

#include <doctest/doctest.h>

#include <ostream> // doctest prints std::error_code through it

#include <fcntl.h>
#include <sys/eventfd.h>

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

TEST_CASE("a default doorbell is invalid and harmless") {
    Doorbell bell;
    CHECK_FALSE(bell.valid());
    bell.ring();
    CHECK(bell.drain() == 0);
    CHECK_FALSE(bell.wait(0));
}

} // TEST_SUITE
