// SPDX-License-Identifier: MIT
// RingReader: the consumer end. It owns `head` (published with a release store
// on consume) and trusts only its own capacity. Everything the producer wrote
// is untrusted: tail is read once (acquire) and checked, each record header is
// copied once into a local and checked before any byte of the payload is
// touched. A violation marks the ring corrupt for good. No allocation (except
// growing pop()'s output vector), no logging, no syscall except in wait().
#include "cpd/ipc/ring.hpp"
#include "cpd/ipc/spin_budget.hpp"

#include <atomic>
#include <chrono>
#include <cstring>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace cpd::ipc {
namespace {

constexpr std::size_t header_size = sizeof(proto::RecordHeader);

inline void cpu_relax() noexcept {
#if defined(__x86_64__) || defined(__i386__)
    _mm_pause();
#elif defined(__aarch64__)
    asm volatile("yield" ::: "memory");
#endif
}

} // namespace

RingReader::RingReader(proto::RingControl* control, const std::byte* data,
                       std::uint32_t capacity) noexcept
    : control_(control), data_(data), capacity_(capacity) {
    if (control_ == nullptr || data_ == nullptr || capacity_ < 64 ||
        (capacity_ & (capacity_ - 1)) != 0) {
        corrupt_ = true;
        return;
    }
    // SYNC: acquire pairs with our own earlier release stores (re-binding).
    head_ = control_->head.load(std::memory_order_acquire);
    cached_tail_ = head_;
    peeked_end_ = head_;
    published_head_ = head_;
    if ((head_ & (proto::record_align - 1)) != 0) {
        corrupt_ = true;
    }
}

/// Reads and validates the producer position; false (and corrupt) if it is impossible.
static bool load_tail(proto::RingControl* control, std::uint64_t head, std::uint64_t& cached_tail,
                      std::uint32_t capacity) noexcept {
    // SYNC: acquire pairs with the release store in RingWriter::publish(), so the
    // records up to this tail are fully written before we read them.
    const std::uint64_t tail = control->tail.load(std::memory_order_acquire);
    if (tail < cached_tail || tail - head > capacity || (tail & (proto::record_align - 1)) != 0) {
        return false;
    }
    cached_tail = tail;
    return true;
}

RingStatus RingReader::peek(RecordView& out) noexcept {
    for (;;) {
        if (corrupt_ || control_ == nullptr) {
            return RingStatus::corrupt;
        }
        if (head_ == cached_tail_) {
            if (!load_tail(control_, head_, cached_tail_, capacity_)) {
                corrupt_ = true;
                continue;
            }
            if (head_ == cached_tail_) {
                publish_head();
                return RingStatus::empty;
            }
        }
        const std::size_t offset = head_ & (capacity_ - 1);
        const std::uint64_t to_end = capacity_ - offset;
        const std::uint64_t available = cached_tail_ - head_; // >= 8: both are 8-aligned
        proto::RecordHeader h;
        std::memcpy(&h, data_ + offset, sizeof h); // the one read of this header
        if (h.type == proto::record_pad) {
            if (h.length + header_size != to_end || to_end > available) {
                corrupt_ = true;
                continue;
            }
            head_ += to_end; // skip the pad
            peeked_end_ = head_;
            continue;
        }
        const std::uint64_t footprint = proto::record_footprint(h.length);
        if (h.type == 0 || footprint > to_end || footprint > available) {
            corrupt_ = true;
            continue;
        }
        out.type = h.type;
        out.payload = {data_ + offset + header_size, h.length};
        peeked_end_ = head_ + footprint;
        return RingStatus::ok;
    }
}

void RingReader::consume() noexcept {
    if (corrupt_ || peeked_end_ <= head_) {
        return;
    }
    head_ = peeked_end_;
    if (head_ == cached_tail_ || head_ - published_head_ >= capacity_ / 8) {
        publish_head();
    }
}

/// Stores our position for the producer, if it moved since the last store.
void RingReader::publish_head() noexcept {
    if (head_ != published_head_) {
        published_head_ = head_;
        // SYNC: release pairs with the acquire load in RingWriter::refresh_head():
        // our reads of the records before head_ happen before the producer reuses them.
        control_->head.store(head_, std::memory_order_release);
    }
}

RingStatus RingReader::pop(std::uint32_t& type, std::vector<std::byte>& out) noexcept {
    RecordView view;
    RingStatus status = peek(view);
    if (status != RingStatus::ok) {
        return status;
    }
    try {
        out.assign(view.payload.begin(), view.payload.end());
    } catch (...) {
        return RingStatus::full; // no memory to copy into: leave the record, retry later
    }
    type = view.type;
    consume();
    return RingStatus::ok;
}

bool RingReader::is_empty() noexcept {
    if (corrupt_ || control_ == nullptr) {
        return false; // let the caller peek() and see corrupt
    }
    if (head_ != cached_tail_) {
        return false;
    }
    if (!load_tail(control_, head_, cached_tail_, capacity_)) {
        corrupt_ = true;
        return false;
    }
    if (head_ != cached_tail_) {
        return false;
    }
    publish_head();
    return true;
}

bool RingReader::prepare_sleep() noexcept {
    if (control_ == nullptr) {
        return false;
    }
    // SYNC: seq_cst store + fence pair with the fence in RingWriter::wake_if_sleeping():
    // either the producer sees the flag and rings, or we see its new tail below.
    control_->consumer_sleeping.store(1, std::memory_order_seq_cst);
    std::atomic_thread_fence(std::memory_order_seq_cst);
    if (!is_empty()) {
        cancel_sleep();
        return false;
    }
    return true;
}

void RingReader::cancel_sleep() noexcept {
    if (control_ != nullptr) {
        // SYNC: relaxed; a racing producer exchange only causes one spurious ring.
        control_->consumer_sleeping.store(0, std::memory_order_relaxed);
    }
}

Presence RingReader::producer_presence() const noexcept {
    if (control_ == nullptr) {
        return {};
    }
    // SYNC: relaxed; pairs with the relaxed stores of RingWriter::mark_present (a hint).
    return {control_->producer_cpu.load(std::memory_order_relaxed),
            control_->producer_looks.load(std::memory_order_relaxed)};
}

/// Spins (bounded by time) until data is visible; true if it is.
static bool spin_for_data(RingReader& r, std::uint64_t spin_ns) noexcept {
    if (spin_ns == 0) {
        return !r.is_empty();
    }
    const std::uint64_t deadline = steady_ns() + spin_ns;
    for (;;) {
        for (int i = 0; i < 64; ++i) {
            if (!r.is_empty()) {
                return true;
            }
            cpu_relax();
        }
        if (steady_ns() >= deadline) {
            return false;
        }
    }
}

bool RingReader::wait(const Doorbell& bell, std::uint64_t spin_ns) noexcept {
    if (spin_for_data(*this, spin_ns)) {
        return !corrupt_;
    }
    for (;;) {
        if (!prepare_sleep()) {
            return !corrupt_;
        }
        bell.wait(-1);
        cancel_sleep();
        bell.drain();
        if (!is_empty()) {
            return !corrupt_;
        }
    }
}

std::size_t RingReader::used_bytes() const noexcept {
    return static_cast<std::size_t>(cached_tail_ - head_);
}

} // namespace cpd::ipc
