// SPDX-License-Identifier: MIT
// libFuzzer target: cpd's writer of a guest's inbound ring, whose consumer
// head lives in memory the guest controls. The input is a script: pushes,
// reserve/commit, publishes and deferred publishing interleaved with an honest
// reader consuming and with the guest writing any head value (far, near the
// tail, backwards, misaligned). The data area is fenced by inaccessible pages.
// Properties: the writer writes only at its own producer position and never
// into space no valid head ever freed; a head it reads and cannot trust is
// reported as corrupt, and corrupt stays corrupt with nothing written after;
// while the guest only consumes honestly, the reader gets every record intact.
#include "fuzz_check.hpp"

#include "cpd/ipc/ring.hpp"
#include "cpd/proto/ring_layout.hpp"
#include "cpd/proto/version.hpp"

#include <array>
#include <cstdint>
#include <cstring>
#include <deque>
#include <new>
#include <span>
#include <vector>

#include <sys/mman.h>
#include <unistd.h>

namespace {

using cpd::fuzz::require;
using cpd::ipc::RingStatus;

constexpr std::uint32_t capacity = 4096;
constexpr std::size_t max_steps = 256;

/// guard page | control page | data area | guard page, mapped once.
struct FencedRing {
    std::size_t page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    std::byte* base = nullptr;
    cpd::proto::RingControl* control = nullptr;
    std::byte* data = nullptr;
    FencedRing() {
        const std::size_t total = 3 * page + capacity;
        void* p = ::mmap(nullptr, total, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        require(p != MAP_FAILED, "mmap");
        base = static_cast<std::byte*>(p);
        require(::mprotect(base + page, page + capacity, PROT_READ | PROT_WRITE) == 0, "mprotect");
        control = new (base + page) cpd::proto::RingControl{};
        data = base + 2 * page;
    }
};

/// Reads the script: bytes and integers, zero once it is used up.
struct Script {
    const std::uint8_t* p;
    std::size_t left;
    bool done() const { return left == 0; }
    std::uint8_t byte() {
        if (left == 0) {
            return 0;
        }
        --left;
        return *p++;
    }
    std::uint64_t bytes(int n) {
        std::uint64_t v = 0;
        for (int i = 0; i < n; ++i) {
            v = (v << 8) | byte();
        }
        return v;
    }
};

/// Payload byte `i` of record `seq`: the reader checks every byte.
std::byte pattern(std::uint64_t seq, std::size_t i) {
    return static_cast<std::byte>((seq * 31 + i * 7 + 1) & 0xFF);
}

/// A record the writer accepted and the honest reader must get back.
struct Expected {
    std::uint64_t seq;
    std::uint32_t type;
    std::size_t size;
};

/// The writer under test, its model, and the honest reader sharing the ring.
class Run {
  public:
    Run(FencedRing& ring, std::uint64_t start) : ring_(ring) {
        ring.control = new (ring.control) cpd::proto::RingControl{}; // atomics: no assignment
        ring.control->magic = cpd::proto::ring_magic;
        ring.control->layout_version = cpd::proto::ring_layout_version;
        ring.control->capacity = capacity;
        ring.control->head.store(start);
        ring.control->tail.store(start);
        std::memset(ring.data, 0, capacity);
        writer_ = cpd::ipc::RingWriter(ring.control, ring.data, capacity);
        reader_ = cpd::ipc::RingReader(ring.control, ring.data, capacity);
        tail_ = start;
        entitled_ = start;
        require(!writer_.is_corrupt(), "a clean ring is bound as corrupt");
    }

    void step(Script& in) {
        const std::uint64_t published = ring_.control->tail.load();
        std::memcpy(before_.data(), ring_.data, capacity);
        switch (in.byte() % 8) {
        case 0:
            push(in, published);
            break;
        case 1:
            reserve_commit(in);
            break;
        case 2:
            writer_.publish();
            break;
        case 3:
            writer_.set_deferred_publish((in.byte() & 1) != 0);
            break;
        case 4:
            consume(in.byte() % 16);
            break;
        case 5:
            scribble(in.bytes(8));
            break; // anything at all
        case 6:
            scribble(published + static_cast<std::int16_t>(in.bytes(2)));
            break; // near the tail
        default:
            scribble(ring_.control->head.load() - 8 * (in.byte() % 4 + 1));
            break; // backwards
        }
        check_writes();
        note_head();
        require(tail_ - entitled_ <= capacity, "the writer used space no valid head freed");
    }

  private:
    /// push(): ok moves the producer position by exactly the record (and a pad).
    void push(Script& in, std::uint64_t published) {
        const std::size_t size = in.bytes(2) % (capacity / 2 + 16); // some too big
        const std::uint8_t t = in.byte();
        const std::uint32_t type = t == 0 ? 0 : t == 255 ? cpd::proto::record_pad : t;
        std::vector<std::byte> payload(size);
        for (std::size_t i = 0; i < size; ++i) {
            payload[i] = pattern(seq_, i);
        }
        const bool was_corrupt = writer_.is_corrupt();
        const RingStatus s = writer_.push(type, payload);
        if (was_corrupt) {
            require(s == RingStatus::corrupt, "a corrupt writer pushed again");
        }
        if (s == RingStatus::full) {
            require_trustworthy_head(published);
        }
        if (s == RingStatus::ok) {
            accepted(type, size);
        }
        require(s != RingStatus::corrupt || writer_.is_corrupt(), "corrupt without is_corrupt");
        require(s != RingStatus::too_big || size > writer_.max_payload() || type == 0 ||
                    type == cpd::proto::record_pad,
                "too_big for a record that fits");
    }

    /// reserve() + commit(): the area given out is where the model expects it.
    void reserve_commit(Script& in) {
        const std::size_t size = in.bytes(2) % (capacity / 2);
        RingStatus s;
        const std::span<std::byte> area = writer_.reserve(size, s);
        if (s != RingStatus::ok) {
            require(area.empty(), "a refused reservation with an area");
            return;
        }
        const std::size_t pad = pad_before(size);
        const std::size_t offset = (tail_ + pad) & (capacity - 1);
        require(area.data() == ring_.data + offset + sizeof(cpd::proto::RecordHeader) &&
                    area.size() == size && offset + cpd::proto::record_footprint(size) <= capacity,
                "a reservation outside the producer position");
        for (std::size_t i = 0; i < size; ++i) {
            area[i] = pattern(seq_, i);
        }
        const std::uint32_t type = 1 + in.byte() % 8;
        require(writer_.commit(type) == RingStatus::ok, "commit of a reservation failed");
        accepted(type, size);
    }

    /// The honest guest: consumes up to `n` records and checks each one.
    void consume(int n) {
        for (int i = 0; i < n; ++i) {
            cpd::ipc::RecordView v;
            const RingStatus s = reader_.peek(v);
            if (s == RingStatus::empty || (s == RingStatus::corrupt && scribbled_)) {
                return;
            }
            require(s == RingStatus::ok, "the honest reader found the ring corrupt");
            if (!scribbled_) { // a forward scribble lets the writer reuse unread space
                require(!expected_.empty(), "the reader got a record nobody pushed");
                const Expected e = expected_.front();
                require(v.type == e.type && v.payload.size() == e.size, "a record changed");
                for (std::size_t k = 0; k < e.size; ++k) {
                    require(v.payload[k] == pattern(e.seq, k), "a record's bytes changed");
                }
            }
            if (!expected_.empty()) {
                expected_.pop_front();
            }
            reader_.consume();
        }
    }

    /// The hostile guest writes its head.
    void scribble(std::uint64_t head) {
        ring_.control->head.store(head);
        scribbled_ = true;
    }

    /// After `full` the writer has read the head: it must have been one it can trust.
    void require_trustworthy_head(std::uint64_t published) {
        const std::uint64_t head = ring_.control->head.load();
        require((head & (cpd::proto::record_align - 1)) == 0 && head <= published &&
                    tail_ - head <= capacity,
                "an untrustworthy head read without reporting corrupt");
    }

    /// Bytes the writer may pad with before a record of `size` bytes.
    std::size_t pad_before(std::size_t size) const {
        const std::size_t need = cpd::proto::record_footprint(size);
        const std::size_t to_end = capacity - (tail_ & (capacity - 1));
        return need > to_end ? to_end : 0;
    }

    void accepted(std::uint32_t type, std::size_t size) {
        const std::uint64_t start = tail_;
        tail_ += pad_before(size) + cpd::proto::record_footprint(size);
        written_from_ = start;
        expected_.push_back({seq_++, type, size});
    }

    /// Every changed byte lies between the producer position before and after.
    void check_writes() {
        const std::uint64_t from = written_from_ == no_write ? tail_ : written_from_;
        written_from_ = no_write;
        for (std::size_t i = 0; i < capacity; ++i) {
            if (before_[i] != ring_.data[i]) {
                const std::uint64_t pos_offset = (i - (from & (capacity - 1))) & (capacity - 1);
                require(!writer_.is_corrupt() || from == tail_, "a corrupt writer wrote");
                require(pos_offset < tail_ - from, "a write outside the producer position");
            }
        }
    }

    /// Raises the most generous head the writer could have been entitled to.
    void note_head() {
        const std::uint64_t head = ring_.control->head.load();
        const std::uint64_t published = ring_.control->tail.load();
        if ((head & (cpd::proto::record_align - 1)) == 0 && head <= published && head > entitled_ &&
            published - head <= capacity) {
            entitled_ = head;
        }
    }

    static constexpr std::uint64_t no_write = ~std::uint64_t{0};
    FencedRing& ring_;
    cpd::ipc::RingWriter writer_;
    cpd::ipc::RingReader reader_;
    std::array<std::byte, capacity> before_{};
    std::deque<Expected> expected_;
    std::uint64_t tail_ = 0;     // the model's producer position
    std::uint64_t entitled_ = 0; // the highest valid head the guest ever showed
    std::uint64_t written_from_ = no_write;
    std::uint64_t seq_ = 0;
    bool scribbled_ = false;
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* input, std::size_t size) {
    static FencedRing ring;
    Script in{input, size};
    // Positions start anywhere below 2^62 (they are byte counts that never wrap
    // in practice), aligned, so wrap-around of the data area starts anywhere.
    const std::uint64_t start = (in.bytes(8) & ((std::uint64_t{1} << 62) - 1)) & ~std::uint64_t{7};
    Run run(ring, start);
    for (std::size_t i = 0; i < max_steps && !in.done(); ++i) {
        run.step(in);
    }
    return 0;
}
