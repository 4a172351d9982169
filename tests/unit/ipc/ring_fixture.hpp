// SPDX-License-Identifier: MIT
// Test fixture: one ring (control block + data area) in an anonymous mapping
// whose data area is fenced by PROT_NONE guard pages, so any read or write
// outside the ring crashes the test instead of passing silently.
#pragma once

#include "cpd/ipc/ring.hpp"
#include "cpd/proto/version.hpp"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <new>
#include <vector>

#include <sys/mman.h>
#include <unistd.h>

namespace cpd::ipc::test {

/// A guarded ring of `capacity` data bytes (a multiple of the page size).
class GuardedRing {
public:
    explicit GuardedRing(std::uint32_t capacity) : capacity_(capacity) {
        page_ = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
        // layout: guard | control page | data (capacity) | guard
        total_ = page_ + page_ + capacity + page_;
        void* p = ::mmap(nullptr, total_, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) {
            throw std::bad_alloc();
        }
        base_ = static_cast<std::byte*>(p);
        ::mprotect(base_ + page_, page_ + capacity, PROT_READ | PROT_WRITE);
        control_ = new (base_ + page_) proto::RingControl{};
        control_->magic = proto::ring_magic;
        control_->layout_version = proto::ring_layout_version;
        control_->capacity = capacity;
        data_ = base_ + 2 * page_;
    }
    GuardedRing(const GuardedRing&) = delete;
    GuardedRing& operator=(const GuardedRing&) = delete;
    ~GuardedRing() { ::munmap(base_, total_); }

    RingWriter writer() { return RingWriter{control_, data_, capacity_}; }
    RingReader reader() { return RingReader{control_, data_, capacity_}; }
    proto::RingControl& control() { return *control_; }
    std::byte* data() { return data_; }
    std::uint32_t capacity() const { return capacity_; }

    /// Overwrites the record header at data offset `offset`.
    void poke_header(std::size_t offset, std::uint32_t length, std::uint32_t type) {
        proto::RecordHeader h{length, type};
        std::memcpy(data_ + offset, &h, sizeof h);
    }

private:
    std::uint32_t capacity_;
    std::size_t page_ = 0;
    std::size_t total_ = 0;
    std::byte* base_ = nullptr;
    proto::RingControl* control_ = nullptr;
    std::byte* data_ = nullptr;
};

/// A payload of `n` bytes whose content depends on `seed` and the position.
inline std::vector<std::byte> pattern(std::size_t n, std::uint32_t seed) {
    std::vector<std::byte> v(n);
    for (std::size_t i = 0; i < n; ++i) {
        v[i] = static_cast<std::byte>((seed * 131u + i * 7u) & 0xFFu);
    }
    return v;
}

} // namespace cpd::ipc::test
