// SPDX-License-Identifier: MIT
// SCRIBBLER: a test guest that breaks the rules of its own rings on command,
// the way a buggy or hostile guest could. An SMSG naming a fault of its
// outbound ring ("BADFRAME", "BADTEXT", "BADIUCV", "BADLENGTH", "BADTAIL",
// "BACKWARDS") makes it map its segment a second time, write that fault behind
// the runtime's back and ring cpd. A fault of its inbound ring's consumer head
// ("HEADPAST": beyond the tail, "HEADODD": misaligned, "HEADFAR": out of any
// range) is written once the runtime has consumed the SMSG, and kept: the
// guest then never reads again, so nothing of the runtime's repairs it.
// "BADHEAD" keeps rewriting that head beyond cpd's position, for ever.
#include "cpd/guest/run.hpp"
#include "cpd/proto/guest_launch.hpp"
#include "cpd/proto/ring_frame.hpp"
#include "cpd/proto/ring_layout.hpp"

#include <chrono>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace {

using namespace cpd;

// Writes one record header at the producer position and publishes `advance` bytes.
void put_header(proto::RingControl& ring, std::byte* data, std::uint32_t length,
                std::uint32_t type, std::uint64_t advance) {
    const std::uint64_t tail = ring.tail.load(std::memory_order_relaxed);
    const std::uint64_t offset = tail & (ring.capacity - 1);
    proto::RecordHeader header{length, type};
    std::memcpy(data + offset, &header, sizeof header);
    std::memset(data + offset + sizeof header, 0xEE, advance - sizeof header);
    ring.tail.store(tail + advance, std::memory_order_release);
}

// Writes one whole record (header, then `payload`) at the producer position and publishes it.
void put_record(proto::RingControl& ring, std::byte* data, std::uint32_t type,
                const std::vector<std::byte>& payload) {
    const std::uint64_t tail = ring.tail.load(std::memory_order_relaxed);
    const std::uint64_t offset = tail & (ring.capacity - 1);
    proto::RecordHeader header{static_cast<std::uint32_t>(payload.size()), type};
    std::memcpy(data + offset, &header, sizeof header);
    std::memcpy(data + offset + sizeof header, payload.data(), payload.size());
    ring.tail.store(tail + proto::record_footprint(payload.size()), std::memory_order_release);
}

// Keeps the inbound ring's consumer position far beyond the producer's, for
// ever: the runtime never runs again to publish a sane one.
[[noreturn]] void keep_head_corrupt(proto::RingControl& ring) {
    const std::uint64_t bad = ring.tail.load() + 4ull * ring.capacity;
    for (;;) {
        ring.head.store(bad, std::memory_order_release);
        ::usleep(1000);
    }
}

// The encoding of `frame` (a guest frame struct).
template <class Frame> std::vector<std::byte> encoded(const Frame& frame) {
    std::vector<std::byte> bytes(proto::encoded_size(frame));
    proto::encode(frame, bytes);
    return bytes;
}

// Applies the named fault to the outbound ring; false if the name is unknown.
bool scribble(std::string_view fault) {
    struct stat st {};
    if (::fstat(proto::guest_segment_fd, &st) != 0) {
        return false;
    }
    const auto size = static_cast<std::size_t>(st.st_size);
    void* base = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED,
                        proto::guest_segment_fd, 0);
    if (base == MAP_FAILED) {
        return false;
    }
    auto* bytes = static_cast<std::byte*>(base);
    proto::SegmentHeader header{};
    std::memcpy(&header, bytes, sizeof header);
    if (fault == "BADHEAD") {
        keep_head_corrupt(
            *reinterpret_cast<proto::RingControl*>(bytes + header.ring_offset[proto::inbound_ring]));
    }
    auto& ring = *reinterpret_cast<proto::RingControl*>(bytes + header.ring_offset[proto::outbound_ring]);
    std::byte* data = bytes + ring.data_offset;
    const std::uint32_t smsg = static_cast<std::uint32_t>(proto::RingFrameType::smsg_send);
    bool known = true;
    if (fault == "BADFRAME") { // a well-formed record whose payload does not decode
        put_header(ring, data, 3, smsg, 16);
    } else if (fault == "BADTEXT") { // an SMSG whose text holds a newline
        put_record(ring, data, smsg, encoded(proto::SmsgSend{*proto::Userid::parse("ALICE"), "a\nb"}));
    } else if (fault == "BADIUCV") { // an IUCV SEND whose length field claims more than follows
        const std::vector<std::byte> four(4, std::byte{0x41});
        auto send = encoded(proto::IucvSend{1, 1, false, four});
        send[9] = std::byte{0xFF}; // the u32 length after path, msgid and the two-way flag
        put_record(ring, data, static_cast<std::uint32_t>(proto::RingFrameType::iucv_send), send);
    } else if (fault == "BADLENGTH") { // a record longer than the ring
        put_header(ring, data, ring.capacity * 2, smsg, 16);
    } else if (fault == "BADTAIL") { // a producer position far beyond the consumer's
        ring.tail.store(ring.tail.load() + 4ull * ring.capacity, std::memory_order_release);
    } else if (fault == "BACKWARDS") { // a producer position that moves back
        ring.tail.store(ring.tail.load() - 8, std::memory_order_release);
    } else {
        known = false;
    }
    ::munmap(base, size);
    const std::uint64_t one = 1;
    [[maybe_unused]] auto n = ::write(proto::guest_outbound_bell_fd, &one, sizeof one);
    return known;
}

// The inbound ring's control block in a second mapping of the segment (never unmapped).
proto::RingControl* inbound_control() {
    struct stat st {};
    if (::fstat(proto::guest_segment_fd, &st) != 0) {
        return nullptr;
    }
    void* base = ::mmap(nullptr, static_cast<std::size_t>(st.st_size), PROT_READ | PROT_WRITE,
                        MAP_SHARED, proto::guest_segment_fd, 0);
    if (base == MAP_FAILED) {
        return nullptr;
    }
    proto::SegmentHeader header{};
    std::memcpy(&header, base, sizeof header);
    return reinterpret_cast<proto::RingControl*>(static_cast<std::byte*>(base) +
                                                 header.ring_offset[proto::inbound_ring]);
}

// Writes the named fault into the inbound ring's head and stops reading for
// good. A head just past the tail is rewritten as cpd's tail moves: written
// once, cpd's next pushes would overtake it and make it a plausible position
// (a reader that consumed some and stopped), which is no corruption at all.
[[noreturn]] void corrupt_inbound_head(std::string_view fault) {
    proto::RingControl* ring = inbound_control();
    if (ring != nullptr && fault != "HEADPAST") {
        const std::uint64_t head = ring->head.load(std::memory_order_relaxed);
        ring->head.store(fault == "HEADODD" ? head + 4 : ~std::uint64_t{7},
                         std::memory_order_release);
    }
    for (;;) {
        if (ring != nullptr && fault == "HEADPAST") {
            ring->head.store(ring->tail.load(std::memory_order_acquire) + 64,
                             std::memory_order_release);
            ::usleep(200);
        } else {
            ::pause();
        }
    }
}

bool is_head_fault(std::string_view text) {
    return text == "HEADPAST" || text == "HEADODD" || text == "HEADFAR";
}

class Scribbler : public guest::Handler {
public:
    void on_smsg(guest::Context& ctx, const proto::Userid& from, std::string_view text) override {
        if (is_head_fault(text)) { // after this frame is consumed (and its head published)
            const std::string fault(text);
            ctx.call_later(std::chrono::microseconds(0),
                           [fault](guest::Context&) { corrupt_inbound_head(fault); });
            return;
        }
        if (!scribble(text)) {
            ctx.send_smsg(from.str(), "SCRIBBLER: unknown fault");
        }
    }
};

} // namespace

int main() { return cpd::guest::run_guest<Scribbler>(); }
