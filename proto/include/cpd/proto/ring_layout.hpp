// SPDX-License-Identifier: MIT
// The shared-memory layout of a guest's segment: one header and two
// single-producer/single-consumer rings of variable-length records (cpd->guest
// "inbound", guest->cpd "outbound"). Plain standard-layout structs, offsets
// not pointers, lock-free atomics only; every size and offset is pinned below.
// This file describes bytes; libipc owns the code that reads and writes them.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <type_traits>

namespace cpd::proto {

inline constexpr std::uint64_t segment_magic = 0x3147455344504321ull; // "!CPDSEG1"
inline constexpr std::uint64_t ring_magic = 0x31474E4952445043ull;    // "CPDRING1"
inline constexpr std::size_t cache_line = 64;

/// Record header inside a ring's data area; the payload follows, padded to 8 bytes.
struct RecordHeader {
    std::uint32_t length; ///< payload bytes (not counting this header or padding)
    std::uint32_t type;   ///< frame type (ring_frame.hpp) or record_pad
};
static_assert(sizeof(RecordHeader) == 8);
static_assert(std::is_standard_layout_v<RecordHeader> && std::is_trivially_copyable_v<RecordHeader>);

/// A record type that only fills the end of the data area before a wrap.
inline constexpr std::uint32_t record_pad = 0xFFFFFFFFu;
/// Records start on this alignment.
inline constexpr std::size_t record_align = 8;

/// Control block of one ring. Each line has exactly one writer:
///   line 0: written once by cpd at creation (magic, version, capacity)
///   line 1: producer position, written only by the producer
///   line 2: consumer position, written only by the consumer
///   line 3: consumer's "about to sleep" flag, set by the consumer, cleared by
///           whichever side wakes it (producer exchange, consumer on wake);
///           and the producer's presence (the CPU it last looked at its rings
///           on, and a count bumped at each look), written only by the
///           producer, read by a spinning consumer to tell a peer that runs
///           from one that waits for a CPU (ipc/spin_presence.hpp). A peer
///           that leaves them 0 reads as "not known to run": the consumer
///           yields as it always did.
/// Positions are byte counts that only grow (64-bit, never wrap in practice);
/// offset = position & (capacity - 1).
struct RingControl {
    alignas(cache_line) std::uint64_t magic;
    std::uint32_t layout_version;
    std::uint32_t capacity; ///< data bytes, a power of two
    std::uint64_t data_offset; ///< from the start of the segment
    alignas(cache_line) std::atomic<std::uint64_t> tail; ///< producer position
    alignas(cache_line) std::atomic<std::uint64_t> head; ///< consumer position
    alignas(cache_line) std::atomic<std::uint32_t> consumer_sleeping;
    std::atomic<std::uint32_t> producer_cpu;   ///< CPU number + 1 (0: not known)
    std::atomic<std::uint64_t> producer_looks; ///< bumped each time the producer looks
    std::uint8_t pad_[cache_line - 2 * sizeof(std::atomic<std::uint32_t>) -
                      sizeof(std::atomic<std::uint64_t>)];
};
static_assert(std::atomic<std::uint64_t>::is_always_lock_free);
static_assert(std::atomic<std::uint32_t>::is_always_lock_free);
static_assert(std::is_standard_layout_v<RingControl>);
static_assert(sizeof(RingControl) == 4 * cache_line);
static_assert(offsetof(RingControl, tail) == 1 * cache_line);
static_assert(offsetof(RingControl, head) == 2 * cache_line);
static_assert(offsetof(RingControl, consumer_sleeping) == 3 * cache_line);
static_assert(offsetof(RingControl, producer_cpu) == 3 * cache_line + 4);
static_assert(offsetof(RingControl, producer_looks) == 3 * cache_line + 8);

/// Header at offset 0 of a guest's segment.
struct SegmentHeader {
    alignas(cache_line) std::uint64_t magic;
    std::uint32_t layout_version;
    std::uint32_t ring_count; ///< always 2
    std::uint64_t segment_size;
    std::uint64_t ring_offset[2]; ///< [0] inbound (cpd->guest), [1] outbound (guest->cpd)
    std::uint8_t pad_[cache_line - 40];
};
static_assert(std::is_standard_layout_v<SegmentHeader>);
static_assert(sizeof(SegmentHeader) == cache_line);

/// Index of the inbound ring (cpd produces, guest consumes).
inline constexpr std::size_t inbound_ring = 0;
/// Index of the outbound ring (guest produces, cpd consumes).
inline constexpr std::size_t outbound_ring = 1;

/// Bytes a ring of `capacity` data bytes occupies (control block + data).
constexpr std::size_t ring_footprint(std::size_t capacity) noexcept {
    return sizeof(RingControl) + capacity;
}

/// Total segment size for two rings of the given capacities.
constexpr std::size_t segment_size(std::size_t inbound_capacity,
                                   std::size_t outbound_capacity) noexcept {
    return sizeof(SegmentHeader) + ring_footprint(inbound_capacity) +
           ring_footprint(outbound_capacity);
}

/// Bytes a record with `payload` bytes occupies in the data area.
constexpr std::size_t record_footprint(std::size_t payload) noexcept {
    return sizeof(RecordHeader) + ((payload + record_align - 1) & ~(record_align - 1));
}

} // namespace cpd::proto
