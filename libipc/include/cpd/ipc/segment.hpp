// SPDX-License-Identifier: MIT
// Segment: one guest's shared memory, a sealed memfd mapped with
// Boost.Interprocess, holding a SegmentHeader and two rings. cpd creates it
// before fork and the guest adopts the inherited fd after exec; having no
// name, it leaves nothing in /dev/shm whoever is killed.
#pragma once

#include "cpd/ipc/ring.hpp"
#include "cpd/ipc/unique_fd.hpp"

#include <cstdint>
#include <memory>
#include <string_view>
#include <system_error>

namespace cpd::ipc {

/// Data bytes of each ring (powers of two, at least 4 KiB).
struct SegmentGeometry {
    std::uint32_t inbound_capacity = 1u << 20;
    std::uint32_t outbound_capacity = 1u << 20;
};

/// A mapped guest segment.
class Segment {
public:
    /// Creates, sizes, seals, maps and initialises a new segment (cpd side).
    static Segment create(const SegmentGeometry& geometry, std::string_view debug_name,
                          std::error_code& ec) noexcept;
    /// Maps an inherited segment fd and validates its header (guest side).
    static Segment adopt(int fd, std::error_code& ec) noexcept;

    Segment();
    Segment(Segment&&) noexcept;
    Segment& operator=(Segment&&) noexcept;
    ~Segment();

    /// True once mapped.
    bool valid() const noexcept;
    /// The memfd (to hand to a child); -1 once close_fd() ran.
    int fd() const noexcept;
    /// Closes the memfd and keeps the mapping: once the child holds its copy,
    /// cpd needs no descriptor per guest for its memory (nothing re-maps or
    /// re-checks the seals on cpd's side).
    void close_fd() noexcept;
    /// Leaves the mapping out of every child this process forks from now on
    /// (MADV_DONTFORK): fork then copies no page table or mapping of it, and a
    /// child cannot touch the rings. Only for a creator that never forks a
    /// child meant to use them.
    void skip_on_fork() noexcept;
    /// Geometry this side trusts (cpd: its own; guest: validated from the header).
    const SegmentGeometry& geometry() const noexcept;
    /// Producer end of ring `index` (proto::inbound_ring or proto::outbound_ring).
    RingWriter writer(std::size_t index) noexcept;
    /// Consumer end of ring `index`.
    RingReader reader(std::size_t index) noexcept;
    /// The producer end of ring `index` as create() bound it, before the segment
    /// was shared: its position is the creator's own, never re-read from the
    /// header a guest can write. Unbound (reports corrupt) for an adopted segment.
    /// Take it once: a copy taken after pushes through another copy is stale.
    RingWriter bound_writer(std::size_t index) const noexcept;
    /// The consumer end of ring `index` as create() bound it (see bound_writer).
    RingReader bound_reader(std::size_t index) const noexcept;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace cpd::ipc
