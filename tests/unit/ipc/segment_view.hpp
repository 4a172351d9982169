// SPDX-License-Identifier: MIT
// SegmentView: a second, read-only mapping of a segment, as the guest has it,
// through which a test watches the inbound consumer's "about to sleep" flag
// (so it can act when the consumer has announced sleep, instead of sleeping).
#pragma once

#include "cpd/ipc/segment.hpp"
#include "cpd/proto/ring_layout.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include <sys/mman.h>
#include <sys/stat.h>

namespace cpd::ipc::test {

/// A second mapping of a segment, as the guest has it: the test watches the
/// inbound consumer's sleep flag through it.
class SegmentView {
  public:
    explicit SegmentView(const Segment& seg) {
        struct stat st {};
        REQUIRE(::fstat(seg.fd(), &st) == 0);
        size_ = static_cast<std::size_t>(st.st_size);
        base_ = ::mmap(nullptr, size_, PROT_READ, MAP_SHARED, seg.fd(), 0);
        REQUIRE(base_ != MAP_FAILED);
    }
    SegmentView(const SegmentView&) = delete;
    SegmentView& operator=(const SegmentView&) = delete;
    ~SegmentView() { ::munmap(base_, size_); }
    /// The inbound consumer's "about to sleep" flag.
    const std::atomic<std::uint32_t>& inbound_sleeping() const {
        const auto* bytes = static_cast<const std::byte*>(base_);
        proto::SegmentHeader header{};
        std::memcpy(&header, bytes, sizeof header);
        const auto* ring = reinterpret_cast<const proto::RingControl*>(
            bytes + header.ring_offset[proto::inbound_ring]);
        return ring->consumer_sleeping;
    }

  private:
    void* base_ = nullptr;
    std::size_t size_ = 0;
};

} // namespace cpd::ipc::test
