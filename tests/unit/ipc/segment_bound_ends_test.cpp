// SPDX-License-Identifier: MIT
// Unit tests of the ring ends Segment::create binds before the segment is
// shared: cpd's positions come from its own memory, so a guest that writes
// the shared positions before cpd first pushes or reads moves nothing of cpd's.
#include "cpd/ipc/segment.hpp"

#include <doctest/doctest.h>

#include <cstring>
#include <span>
#include <vector>

#include <sys/mman.h>
#include <unistd.h>

using namespace cpd::ipc;
namespace proto = cpd::proto;

namespace {

/// The control line of ring `index`, through a mapping of our own (as a guest has).
class RawRing {
  public:
    RawRing(const Segment& seg, std::size_t index) {
        size_ = static_cast<std::size_t>(::lseek(seg.fd(), 0, SEEK_END));
        base_ = static_cast<std::byte*>(
            ::mmap(nullptr, size_, PROT_READ | PROT_WRITE, MAP_SHARED, seg.fd(), 0));
        REQUIRE(base_ != MAP_FAILED);
        proto::SegmentHeader h{};
        std::memcpy(&h, base_, sizeof h);
        control_ = reinterpret_cast<proto::RingControl*>(base_ + h.ring_offset[index]);
    }
    ~RawRing() { ::munmap(base_, size_); }
    RawRing(const RawRing&) = delete;
    RawRing& operator=(const RawRing&) = delete;
    proto::RingControl& control() { return *control_; }

  private:
    std::byte* base_ = nullptr;
    std::size_t size_ = 0;
    proto::RingControl* control_ = nullptr;
};

const std::byte payload[8] = {};

} // namespace

TEST_SUITE("ipc.segment") {

    TEST_CASE("the creator's producer end ignores a tail the guest wrote before the first push") {
        std::error_code ec;
        auto seg = Segment::create(SegmentGeometry{4096, 4096}, "bound", ec);
        REQUIRE_FALSE(ec);
        RawRing raw(seg, proto::inbound_ring);
        raw.control().tail.store(512); // the guest, between fork and cpd's first push
        RingWriter w = seg.bound_writer(proto::inbound_ring);
        REQUIRE(w.push(5, payload) == RingStatus::ok);
        CHECK(raw.control().tail.load() == proto::record_footprint(sizeof payload));
    }

    TEST_CASE("the creator's consumer end ignores a head the guest wrote before the first read") {
        std::error_code ec;
        auto seg = Segment::create(SegmentGeometry{4096, 4096}, "bound", ec);
        REQUIRE_FALSE(ec);
        auto mine = Segment::adopt(::dup(seg.fd()), ec);
        REQUIRE_FALSE(ec);
        RingWriter guest = mine.writer(proto::outbound_ring);
        RawRing raw(seg, proto::outbound_ring);
        raw.control().head.store(3); // misaligned: a reader bound from it is corrupt
        REQUIRE(guest.push(9, payload) == RingStatus::ok);
        RingReader r = seg.bound_reader(proto::outbound_ring);
        RecordView v;
        REQUIRE(r.peek(v) == RingStatus::ok);
        CHECK(v.type == 9);
        CHECK(seg.reader(proto::outbound_ring).is_corrupt());
    }

    TEST_CASE("an adopted segment has no bound ends") {
        std::error_code ec;
        auto seg = Segment::create(SegmentGeometry{4096, 4096}, "bound", ec);
        REQUIRE_FALSE(ec);
        auto mine = Segment::adopt(::dup(seg.fd()), ec);
        REQUIRE_FALSE(ec);
        CHECK(mine.bound_writer(proto::inbound_ring).push(5, payload) == RingStatus::corrupt);
    }

} // TEST_SUITE
