// SPDX-License-Identifier: MIT
// RingWriter / RingReader: the two ends of a single-producer/single-consumer
// ring of variable-length records laid out as proto/ring_layout.hpp says.
// Each side keeps the capacity and its own position privately and treats the
// peer's position and every record header as untrusted: read once into a
// local, bounds-checked, then used. Hot path is noexcept, never allocates,
// never logs, and makes no syscall (the doorbell is rung by the caller).
#pragma once

#include "cpd/ipc/doorbell.hpp"
#include "cpd/ipc/spin_presence.hpp"
#include "cpd/proto/ring_layout.hpp"

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace cpd::ipc {

/// Outcome of a ring operation.
enum class RingStatus : std::uint8_t {
    ok,      ///< done
    empty,   ///< nothing to read
    full,    ///< not enough free space now; retry later
    too_big, ///< the record can never fit this ring (or its type is reserved)
    corrupt, ///< the peer broke the ring's invariants; stop using it
};

/// A record seen by the reader: type and a view of the payload in shared memory.
/// The view is only valid until consume(), and the peer may still change those
/// bytes: copy them out before parsing.
struct RecordView {
    std::uint32_t type = 0;
    std::span<const std::byte> payload;
};

/// The producer end of a ring.
class RingWriter {
public:
    RingWriter() = default;
    /// Binds to a ring whose control block and data area are already mapped.
    /// `capacity` is the trusted size (from our own configuration), not the header's.
    RingWriter(proto::RingControl* control, std::byte* data, std::uint32_t capacity) noexcept;

    /// Largest payload a single record may carry in this ring: capacity / 2 - 8.
    /// (Any record up to half the ring fits once the reader drains, wherever
    /// the wrap point lies; a bigger one could need a pad plus itself > capacity.)
    std::size_t max_payload() const noexcept;
    /// Copies one record in and publishes it. `type` must not be 0 or record_pad
    /// (too_big: such a record can never be written).
    RingStatus push(std::uint32_t type, std::span<const std::byte> payload) noexcept;
    /// Copies one record made of two pieces (fixed fields + data) and publishes it.
    RingStatus push2(std::uint32_t type, std::span<const std::byte> a,
                     std::span<const std::byte> b) noexcept;
    /// Reserves a contiguous payload area; fill it, then commit(). One reservation at a time.
    std::span<std::byte> reserve(std::size_t payload, RingStatus& status) noexcept;
    /// Publishes the reserved record with `type` (with deferred publishing on,
    /// only once publish_batch bytes are pending; publish() does the rest).
    /// too_big, and the reservation dropped, for a reserved type (0 or
    /// record_pad, which the reader would misread); too_big with nothing reserved.
    [[nodiscard]] RingStatus commit(std::uint32_t type) noexcept;
    /// Deferred publishing: commit() stores the producer position only every
    /// publish_batch bytes, so a batch moves the position's cache line once.
    /// The owner must then call publish() or wake_if_sleeping() after each batch.
    void set_deferred_publish(bool on) noexcept;
    /// Makes every committed record visible to the consumer.
    void publish() noexcept;
    /// Publishes, then rings `bell` if (and only if) the consumer said it sleeps.
    /// Returns true if it rang.
    bool wake_if_sleeping(const Doorbell& bell) noexcept;
    /// Stamps the ring with our presence: we look at our rings now, on CPU
    /// `cpu` (+ 1, as this_cpu() gives it). For the consumer's spin only.
    /// Thread/process: the producer only; the consumer reads it any time.
    void mark_present(std::uint32_t cpu) noexcept;
    /// Bytes a deferred-publishing writer lets pile up before it publishes anyway.
    static constexpr std::size_t publish_batch = 4096;
    /// Bytes in use as last observed (for statistics).
    std::size_t used_bytes() const noexcept;
    /// Capacity in bytes.
    std::size_t capacity() const noexcept { return capacity_; }
    /// True once the peer was caught corrupting the ring.
    bool is_corrupt() const noexcept { return corrupt_; }

private:
    bool refresh_head(std::size_t need) noexcept;
    proto::RingControl* control_ = nullptr;
    std::byte* data_ = nullptr;
    std::uint32_t capacity_ = 0;
    std::uint64_t tail_ = 0;        // private copy of our position
    std::uint64_t cached_head_ = 0; // last validated consumer position
    std::uint64_t published_tail_ = 0; // last position stored to shared memory
    bool defer_publish_ = false;
    std::uint64_t looks_ = 0;       // our presence count (we are its only writer)
    std::size_t reserved_ = 0;      // bytes of the outstanding reservation's record
    std::uint32_t reserved_length_ = 0; // payload bytes of that reservation
    bool corrupt_ = false;
};

/// The consumer end of a ring.
class RingReader {
public:
    RingReader() = default;
    RingReader(proto::RingControl* control, const std::byte* data, std::uint32_t capacity) noexcept;

    /// Looks at the next record without consuming it (skips padding).
    RingStatus peek(RecordView& out) noexcept;
    /// Consumes the record returned by the last successful peek(). The position is
    /// published lazily: when everything seen so far is consumed, once an eighth of
    /// the capacity is consumed, and whenever the ring reads empty, so a consumer
    /// working through a backlog does not bounce the head line to the producer per record.
    void consume() noexcept;
    /// peek + copy payload into `out` (resized) + consume.
    RingStatus pop(std::uint32_t& type, std::vector<std::byte>& out) noexcept;
    /// True if no record is visible now.
    bool is_empty() noexcept;
    /// Announces that the consumer is about to sleep; false (and flag cleared)
    /// if data arrived meanwhile, so the caller must not sleep.
    bool prepare_sleep() noexcept;
    /// Clears the sleeping flag after waking.
    void cancel_sleep() noexcept;
    /// The producer's presence stamp now (untrusted: it steers spins only).
    Presence producer_presence() const noexcept;
    /// Blocks until the ring has data: spins up to `spin_ns`, then sleeps on `bell`
    /// (for simple consumers and benchmarks; event loops use prepare_sleep()).
    /// Returns false if the ring is corrupt.
    bool wait(const Doorbell& bell, std::uint64_t spin_ns) noexcept;
    /// Bytes in use as last observed (for statistics).
    std::size_t used_bytes() const noexcept;
    /// True once the peer was caught corrupting the ring.
    bool is_corrupt() const noexcept { return corrupt_; }

private:
    void publish_head() noexcept;
    proto::RingControl* control_ = nullptr;
    const std::byte* data_ = nullptr;
    std::uint32_t capacity_ = 0;
    std::uint64_t head_ = 0;        // private copy of our position
    std::uint64_t cached_tail_ = 0; // last validated producer position
    std::uint64_t peeked_end_ = 0;  // head after the peeked record
    std::uint64_t published_head_ = 0; // last head stored to shared memory
    bool corrupt_ = false;
};

} // namespace cpd::ipc
