// SPDX-License-Identifier: MIT
// Unit tests of Segment: creation (sealed memfd, initialised header), adoption
// in a forked child through the inherited fd, and rejection of every kind of
// bad descriptor or header.
#include "cpd/ipc/segment.hpp"
#include "cpd/proto/version.hpp"

#include <doctest/doctest.h>

#include <ostream> // doctest prints std::error_code through it

#include <cctype>
#include <cstdio>
#include <cstring>
#include <vector>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using cpd::ipc::RingStatus;
using cpd::ipc::Segment;
using cpd::ipc::SegmentGeometry;

namespace {

/// A copy of a fresh segment's bytes in a new memfd (sealed unless told not to),
/// after `edit` changed them.
template <class Edit> int forged_segment(Edit edit, bool seal = true) {
    std::error_code ec;
    auto good = Segment::create(SegmentGeometry{4096, 8192}, "forge", ec);
    REQUIRE_FALSE(ec);
    struct stat st{};
    ::fstat(good.fd(), &st);
    std::vector<std::byte> bytes(static_cast<std::size_t>(st.st_size));
    REQUIRE(::pread(good.fd(), bytes.data(), bytes.size(), 0) == st.st_size);
    edit(bytes);
    int fd = ::memfd_create("forged", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    REQUIRE(fd >= 0);
    REQUIRE(::write(fd, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size()));
    if (seal) {
        REQUIRE(::fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW) == 0);
    }
    return fd;
}

template <class T> void put(std::vector<std::byte>& b, std::size_t offset, T value) {
    std::memcpy(b.data() + offset, &value, sizeof value);
}

} // namespace

TEST_SUITE("ipc.segment") {

TEST_CASE("a created segment is a sealed memfd with an initialised header") {
    std::error_code ec;
    auto seg = Segment::create(SegmentGeometry{1u << 16, 1u << 12}, "cpd:MAINT", ec);
    REQUIRE_FALSE(ec);
    REQUIRE(seg.valid());
    const int seals = ::fcntl(seg.fd(), F_GET_SEALS);
    CHECK((seals & F_SEAL_SHRINK) != 0);
    CHECK((seals & F_SEAL_GROW) != 0);
    CHECK((seals & F_SEAL_SEAL) != 0);
    CHECK(::ftruncate(seg.fd(), 0) != 0);
    CHECK((::fcntl(seg.fd(), F_GETFD) & FD_CLOEXEC) != 0);
    cpd::proto::SegmentHeader h;
    REQUIRE(::pread(seg.fd(), &h, sizeof h, 0) == sizeof h);
    CHECK(h.magic == cpd::proto::segment_magic);
    CHECK(h.ring_count == 2);
    CHECK(h.segment_size == cpd::proto::segment_size(1u << 16, 1u << 12));
    char link[128] = {};
    std::string path = "/proc/self/fd/" + std::to_string(seg.fd());
    REQUIRE(::readlink(path.c_str(), link, sizeof link - 1) > 0);
    CHECK(std::string(link).find("memfd:cpd:MAINT") != std::string::npos);
}

TEST_CASE("an invalid geometry is refused") {
    std::error_code ec;
    CHECK_FALSE(Segment::create(SegmentGeometry{1000, 4096}, "x", ec).valid());
    CHECK(ec == std::errc::invalid_argument);
    CHECK_FALSE(Segment::create(SegmentGeometry{4096, 2048}, "x", ec).valid());
    CHECK(ec == std::errc::invalid_argument);
}

TEST_CASE("a forked child adopts the segment and talks over both rings") {
    std::error_code ec;
    auto seg = Segment::create(SegmentGeometry{1u << 14, 1u << 13}, "roundtrip", ec);
    REQUIRE_FALSE(ec);
    auto in = seg.writer(cpd::proto::inbound_ring);
    auto out = seg.reader(cpd::proto::outbound_ring);
    const char hello[] = "hello guest";
    REQUIRE(in.push(5, std::as_bytes(std::span(hello))) == RingStatus::ok);
    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        // child: adopt a dup of the inherited fd, echo one record back upper-cased
        std::error_code cec;
        auto mine = Segment::adopt(::dup(seg.fd()), cec);
        if (cec || mine.geometry().inbound_capacity != (1u << 14) ||
            mine.geometry().outbound_capacity != (1u << 13)) {
            ::_exit(2);
        }
        auto r = mine.reader(cpd::proto::inbound_ring);
        auto w = mine.writer(cpd::proto::outbound_ring);
        std::uint32_t type = 0;
        std::vector<std::byte> bytes;
        if (r.pop(type, bytes) != RingStatus::ok || type != 5) {
            ::_exit(3);
        }
        for (auto& b : bytes) {
            b = static_cast<std::byte>(std::toupper(static_cast<int>(b)));
        }
        ::_exit(w.push(6, bytes) == RingStatus::ok ? 0 : 4);
    }
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    REQUIRE(WIFEXITED(status));
    REQUIRE(WEXITSTATUS(status) == 0);
    std::uint32_t type = 0;
    std::vector<std::byte> bytes;
    REQUIRE(out.pop(type, bytes) == RingStatus::ok);
    CHECK(type == 6);
    CHECK(std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size() - 1) ==
          "HELLO GUEST");
}

TEST_CASE("adopt refuses anything that is not a valid segment") {
    std::error_code ec;
    SUBCASE("a negative descriptor") {
        CHECK_FALSE(Segment::adopt(-1, ec).valid());
        CHECK(ec == std::errc::bad_file_descriptor);
    }
    SUBCASE("a closed descriptor") {
        int fd = ::memfd_create("gone", MFD_CLOEXEC);
        ::close(fd);
        CHECK_FALSE(Segment::adopt(fd, ec).valid());
        CHECK(ec);
    }
    SUBCASE("a pipe") {
        int p[2];
        REQUIRE(::pipe(p) == 0);
        ::close(p[1]);
        CHECK_FALSE(Segment::adopt(p[0], ec).valid());
        CHECK(ec == std::errc::invalid_argument);
    }
    SUBCASE("an unsealed copy of a good segment") {
        int fd = forged_segment([](auto&) {}, false);
        CHECK_FALSE(Segment::adopt(fd, ec).valid());
        CHECK(ec == std::errc::invalid_argument);
    }
    SUBCASE("a sealed but empty memfd") {
        int fd = ::memfd_create("empty", MFD_CLOEXEC | MFD_ALLOW_SEALING);
        ::fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW);
        CHECK_FALSE(Segment::adopt(fd, ec).valid());
        CHECK(ec == std::errc::invalid_argument);
    }
    using B = std::vector<std::byte>;
    const std::size_t ring0 = sizeof(cpd::proto::SegmentHeader);
    const std::size_t ring1 = ring0 + cpd::proto::ring_footprint(4096);
    SUBCASE("wrong magic") { ec.clear(); CHECK_FALSE(Segment::adopt(forged_segment([](B& b) { b[0] = std::byte{0}; }), ec).valid()); }
    SUBCASE("wrong layout version") { CHECK_FALSE(Segment::adopt(forged_segment([](B& b) { put<std::uint32_t>(b, 8, 99); }), ec).valid()); }
    SUBCASE("wrong segment size") { CHECK_FALSE(Segment::adopt(forged_segment([](B& b) { put<std::uint64_t>(b, 16, 1u << 20); }), ec).valid()); }
    SUBCASE("ring offset beyond the segment") { CHECK_FALSE(Segment::adopt(forged_segment([](B& b) { put<std::uint64_t>(b, 32, 1u << 30); }), ec).valid()); }
    SUBCASE("overlapping rings") { CHECK_FALSE(Segment::adopt(forged_segment([](B& b) { put<std::uint64_t>(b, 32, 128); }), ec).valid()); }
    SUBCASE("wrong ring magic") { CHECK_FALSE(Segment::adopt(forged_segment([=](B& b) { put<std::uint64_t>(b, ring1, 1); }), ec).valid()); }
    SUBCASE("capacity not a power of two") { CHECK_FALSE(Segment::adopt(forged_segment([=](B& b) { put<std::uint32_t>(b, ring0 + 12, 4000); }), ec).valid()); }
    SUBCASE("capacity below 4 KiB") { CHECK_FALSE(Segment::adopt(forged_segment([=](B& b) { put<std::uint32_t>(b, ring0 + 12, 2048); }), ec).valid()); }
    SUBCASE("capacity beyond the segment") { CHECK_FALSE(Segment::adopt(forged_segment([=](B& b) { put<std::uint32_t>(b, ring1 + 12, 1u << 16); }), ec).valid()); }
    SUBCASE("data offset elsewhere") { CHECK_FALSE(Segment::adopt(forged_segment([=](B& b) { put<std::uint64_t>(b, ring0 + 16, 0); }), ec).valid()); }
    CHECK(ec);
}

TEST_CASE("an untouched forged copy is accepted, so the rejections above are real") {
    std::error_code ec;
    auto seg = Segment::adopt(forged_segment([](auto&) {}), ec);
    CHECK_FALSE(ec);
    CHECK(seg.valid());
    CHECK(seg.geometry().outbound_capacity == 8192);
}

} // TEST_SUITE
