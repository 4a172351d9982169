// SPDX-License-Identifier: MIT
// RingWriter: the producer end. It owns `tail` (its private position, published
// with a release store on commit) and trusts only its own capacity. The
// consumer's `head` is re-read only when the ring looks full, and checked
// before use: a head that moved backwards, passed the tail or is misaligned
// marks the ring corrupt. Hot path: no allocation, no logging, no syscall.
//
//   data area, capacity bytes:
//   |....consumed....|###### records ######|.... free ....|
//                    ^ head (consumer)     ^ tail (producer)
//   A record that would cross the end is preceded by a record_pad filling the
//   rest of the area, so every record is contiguous.
#include "cpd/ipc/ring.hpp"

#include <atomic>
#include <cstring>

namespace cpd::ipc {

namespace {

constexpr std::size_t header_size = sizeof(proto::RecordHeader);

/// Types a record may not carry: 0 and the padding marker mean something else to the reader.
bool is_reserved_type(std::uint32_t type) noexcept {
    return type == 0 || type == proto::record_pad;
}

bool is_valid_capacity(std::uint32_t capacity) noexcept {
    return capacity >= 64 && (capacity & (capacity - 1)) == 0;
}

} // namespace

RingWriter::RingWriter(proto::RingControl* control, std::byte* data, std::uint32_t capacity) noexcept
    : control_(control), data_(data), capacity_(capacity) {
    if (control_ == nullptr || data_ == nullptr || !is_valid_capacity(capacity_)) {
        corrupt_ = true;
        return;
    }
    // SYNC: acquire pairs with our own earlier release stores (re-binding) and
    // with the consumer's release store of head in RingReader::publish_head().
    tail_ = control_->tail.load(std::memory_order_acquire);
    published_tail_ = tail_;
    if ((tail_ & (proto::record_align - 1)) != 0 || !refresh_head(0)) {
        corrupt_ = true;
    }
}

std::size_t RingWriter::max_payload() const noexcept {
    return capacity_ / 2 - header_size;
}

/// Re-reads and validates the consumer position; true if `need` bytes are free.
bool RingWriter::refresh_head(std::size_t need) noexcept {
    // SYNC: acquire pairs with the release store in RingReader::publish_head(), so
    // the consumer is done reading the bytes we are about to overwrite.
    const std::uint64_t head = control_->head.load(std::memory_order_acquire);
    if (head < cached_head_ || head > published_tail_ || tail_ - head > capacity_ ||
        (head & (proto::record_align - 1)) != 0) {
        corrupt_ = true;
        return false;
    }
    cached_head_ = head;
    return capacity_ - (tail_ - head) >= need;
}

std::span<std::byte> RingWriter::reserve(std::size_t payload, RingStatus& status) noexcept {
    if (corrupt_ || control_ == nullptr) { // unbound writers report corrupt too
        status = RingStatus::corrupt;
        return {};
    }
    if (payload > max_payload()) {
        status = RingStatus::too_big;
        return {};
    }
    const std::size_t need = proto::record_footprint(payload);
    const std::size_t offset = tail_ & (capacity_ - 1);
    const std::size_t to_end = capacity_ - offset;
    const std::size_t pad = need > to_end ? to_end : 0;
    if (capacity_ - (tail_ - cached_head_) < pad + need && !refresh_head(pad + need)) {
        // A deferred writer may hold the whole ring unpublished (a ring no larger
        // than publish_batch): show it to the reader, or full would never clear.
        publish();
        status = corrupt_ ? RingStatus::corrupt : RingStatus::full;
        return {};
    }
    if (pad != 0) {
        const proto::RecordHeader h{static_cast<std::uint32_t>(pad - header_size),
                                    proto::record_pad};
        std::memcpy(data_ + offset, &h, sizeof h);
        tail_ += pad; // published together with the record in commit()
    }
    reserved_ = need;
    reserved_length_ = static_cast<std::uint32_t>(payload);
    status = RingStatus::ok;
    return {data_ + (tail_ & (capacity_ - 1)) + header_size, payload};
}

RingStatus RingWriter::commit(std::uint32_t type) noexcept {
    if (reserved_ == 0) {
        return RingStatus::too_big;
    }
    if (is_reserved_type(type)) {
        reserved_ = 0; // nothing was written at the producer position: it stays free
        return RingStatus::too_big;
    }
    const proto::RecordHeader h{reserved_length_, type};
    std::memcpy(data_ + (tail_ & (capacity_ - 1)), &h, sizeof h);
    tail_ += reserved_;
    reserved_ = 0;
    if (!defer_publish_ || tail_ - published_tail_ >= publish_batch) {
        publish();
    }
    return RingStatus::ok;
}

void RingWriter::set_deferred_publish(bool on) noexcept {
    defer_publish_ = on;
    if (!on) {
        publish();
    }
}

void RingWriter::publish() noexcept {
    if (control_ == nullptr || tail_ == published_tail_) {
        return;
    }
    published_tail_ = tail_;
    // SYNC: release pairs with the acquire load of tail in ring_reader.cpp's load_tail(),
    // making the headers and payloads visible before the new position.
    control_->tail.store(tail_, std::memory_order_release);
}

RingStatus RingWriter::push(std::uint32_t type, std::span<const std::byte> payload) noexcept {
    return push2(type, payload, {});
}

RingStatus RingWriter::push2(std::uint32_t type, std::span<const std::byte> a,
                             std::span<const std::byte> b) noexcept {
    if (is_reserved_type(type)) { // before reserving: on a full ring "full" would mislead
        return corrupt_ ? RingStatus::corrupt : RingStatus::too_big;
    }
    RingStatus status;
    std::span<std::byte> area = reserve(a.size() + b.size(), status);
    if (status != RingStatus::ok) {
        return status;
    }
    if (!a.empty()) {
        std::memcpy(area.data(), a.data(), a.size());
    }
    if (!b.empty()) {
        std::memcpy(area.data() + a.size(), b.data(), b.size());
    }
    return commit(type);
}

bool RingWriter::wake_if_sleeping(const Doorbell& bell) noexcept {
    if (control_ == nullptr) {
        return false;
    }
    publish();
    // SYNC: this seq_cst fence orders our release store of tail (publish) before
    // the load of consumer_sleeping; it pairs with the seq_cst store of the flag
    // and the fence in RingReader::prepare_sleep() (Dekker: one side sees the other).
    std::atomic_thread_fence(std::memory_order_seq_cst);
    auto& flag = control_->consumer_sleeping;
    // SYNC: relaxed check first so a busy stream never writes the shared line;
    // the exchange pairs with the store in prepare_sleep() so only one waker rings.
    if (flag.load(std::memory_order_relaxed) != 0 &&
        flag.exchange(0, std::memory_order_acq_rel) != 0) {
        bell.ring();
        return true;
    }
    return false;
}

void RingWriter::mark_present(std::uint32_t cpu) noexcept {
    if (control_ == nullptr) {
        return;
    }
    // SYNC: relaxed; a hint for the consumer's spin (RingReader::producer_presence),
    // ordered with nothing. Plain stores: this process is the fields' only writer.
    if (control_->producer_cpu.load(std::memory_order_relaxed) != cpu) {
        control_->producer_cpu.store(cpu, std::memory_order_relaxed);
    }
    control_->producer_looks.store(++looks_, std::memory_order_relaxed);
}

std::size_t RingWriter::used_bytes() const noexcept {
    return static_cast<std::size_t>(tail_ - cached_head_);
}

} // namespace cpd::ipc
