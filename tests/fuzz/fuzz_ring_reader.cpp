// SPDX-License-Identifier: MIT
// libFuzzer target: cpd's reader of a guest's ring, over memory the guest
// controls completely. The input gives the consumer and producer indexes and
// the bytes of a 4 KiB data area fenced by inaccessible pages (a static image:
// a guest changing bytes while cpd reads them is not exercised here).
// Properties: no crash or sanitizer report (a read outside the area hits a
// guard page), every record handed out lies inside the area, and once the
// reader says corrupt it keeps saying so.
#include "fuzz_check.hpp"

#include "cpd/ipc/ring.hpp"
#include "cpd/proto/ring_layout.hpp"
#include "cpd/proto/version.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <new>

#include <sys/mman.h>
#include <unistd.h>

namespace {

constexpr std::uint32_t capacity = 4096;

/// guard page | control page | data area | guard page, mapped once.
struct FencedRing {
    std::size_t page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    std::byte* base = nullptr;
    cpd::proto::RingControl* control = nullptr;
    std::byte* data = nullptr;
    FencedRing() {
        const std::size_t total = 3 * page + capacity;
        void* p = ::mmap(nullptr, total, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        cpd::fuzz::require(p != MAP_FAILED, "mmap");
        base = static_cast<std::byte*>(p);
        cpd::fuzz::require(::mprotect(base + page, page + capacity, PROT_READ | PROT_WRITE) == 0,
                           "mprotect");
        control = new (base + page) cpd::proto::RingControl{};
        data = base + 2 * page;
    }
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* input, std::size_t size) {
    static FencedRing ring;
    if (size < 16) {
        return 0;
    }
    std::uint64_t head = 0, tail = 0;
    std::memcpy(&head, input, 8);
    std::memcpy(&tail, input + 8, 8);
    head %= 4 * capacity;
    if ((tail & 1) == 0) { // half the cases: a producer index near the consumer's,
        tail = head + (tail >> 1) % (2 * capacity); // so that records get parsed
    } // the other half: any value, backward or far ahead included
    std::memset(ring.data, 0, capacity);
    std::memcpy(ring.data, input + 16, std::min<std::size_t>(size - 16, capacity));
    ring.control = new (ring.control) cpd::proto::RingControl{}; // atomics: no assignment
    ring.control->magic = cpd::proto::ring_magic;
    ring.control->layout_version = cpd::proto::ring_layout_version;
    ring.control->capacity = capacity;
    ring.control->head.store(head);
    ring.control->tail.store(tail);

    cpd::ipc::RingReader reader(ring.control, ring.data, capacity);
    cpd::ipc::RecordView record;
    for (int step = 0; step < 64; ++step) {
        const cpd::ipc::RingStatus s = reader.peek(record);
        if (s == cpd::ipc::RingStatus::corrupt) {
            cpd::fuzz::require(reader.peek(record) == cpd::ipc::RingStatus::corrupt,
                               "a corrupt ring reads as healthy again");
            break;
        }
        if (s != cpd::ipc::RingStatus::ok) {
            break;
        }
        cpd::fuzz::require(record.payload.data() >= ring.data &&
                               record.payload.data() + record.payload.size() <=
                                   ring.data + capacity,
                           "a record outside the data area");
        reader.consume();
    }
    return 0;
}
