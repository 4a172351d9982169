// SPDX-License-Identifier: MIT
// Segment: creates a sealed memfd (no name in any filesystem, so a SIGKILL of
// anyone leaves nothing behind), maps it with a Boost.Interprocess
// mapped_region, and lays out the header and both ring control blocks. adopt()
// maps an inherited fd and checks every header field before trusting the
// geometry. Setup code: errors come back in `ec`, never as exceptions.
#include "cpd/ipc/segment.hpp"

#include "cpd/proto/version.hpp"

#include <cerrno>
#include <cstddef>
#include <cstring>
#include <new>

#include <boost/interprocess/detail/os_file_functions.hpp>
#include <boost/interprocess/exceptions.hpp>
#include <boost/interprocess/mapped_region.hpp>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace cpd::ipc {
namespace bip = boost::interprocess;

namespace {

/// The minimal "memory mappable" object mapped_region needs: an fd and a mode.
class MemfdMappable {
public:
    explicit MemfdMappable(int fd) noexcept : fd_(fd) {}
    bip::mapping_handle_t get_mapping_handle() const noexcept {
        return bip::ipcdetail::mapping_handle_from_file_handle(fd_);
    }
    bip::mode_t get_mode() const noexcept { return bip::read_write; }

private:
    int fd_;
};

constexpr std::uint32_t min_capacity = 4096;
constexpr std::uint32_t max_capacity = 1u << 30;
constexpr int required_seals = F_SEAL_SHRINK | F_SEAL_GROW;

bool is_valid_capacity(std::uint64_t c) noexcept {
    return c >= min_capacity && c <= max_capacity && (c & (c - 1)) == 0;
}

/// The constant first line of a RingControl, as plain bytes we can copy.
struct RingConstants {
    std::uint64_t magic;
    std::uint32_t layout_version;
    std::uint32_t capacity;
    std::uint64_t data_offset;
};
static_assert(offsetof(proto::RingControl, layout_version) == offsetof(RingConstants, layout_version));
static_assert(offsetof(proto::RingControl, capacity) == offsetof(RingConstants, capacity));
static_assert(offsetof(proto::RingControl, data_offset) == offsetof(RingConstants, data_offset));

std::error_code errno_code(int e) noexcept { return {e, std::system_category()}; }

} // namespace

/// What a mapped segment holds; Segment::Impl is exactly this.
struct SegmentState {
    UniqueFd fd;
    bip::mapped_region region;
    SegmentGeometry geometry;
    std::byte* base = nullptr;
    std::size_t ring_offset[2] = {0, 0};
    // The creator's ends, bound by create() before any other process could
    // write the positions (adopted segments leave them unbound).
    RingWriter bound_writer[2];
    RingReader bound_reader[2];

    proto::RingControl* control(std::size_t i) noexcept {
        return reinterpret_cast<proto::RingControl*>(base + ring_offset[i]);
    }
    std::uint32_t capacity(std::size_t i) const noexcept {
        return i == proto::inbound_ring ? geometry.inbound_capacity : geometry.outbound_capacity;
    }
    std::byte* data(std::size_t i) noexcept {
        return base + ring_offset[i] + sizeof(proto::RingControl);
    }
};

struct Segment::Impl : SegmentState {};

/// Maps the whole of `fd` read-write; false with `ec` on failure.
static bool map_fd(SegmentState& impl, int fd, std::size_t size, std::error_code& ec) noexcept {
    try {
        bip::mapped_region region(MemfdMappable(fd), bip::read_write, 0, size);
        impl.region.swap(region);
    } catch (const bip::interprocess_exception& e) {
        int native = e.get_native_error();
        ec = errno_code(native != 0 ? native : ENOMEM);
        return false;
    } catch (...) {
        ec = errno_code(ENOMEM);
        return false;
    }
    impl.base = static_cast<std::byte*>(impl.region.get_address());
    return true;
}

/// Writes the constant line and zeroes the positions of one ring.
static void init_ring(SegmentState& impl, std::size_t i) noexcept {
    auto* c = new (impl.control(i)) proto::RingControl{};
    c->magic = proto::ring_magic;
    c->layout_version = proto::ring_layout_version;
    c->capacity = impl.capacity(i);
    c->data_offset = impl.ring_offset[i] + sizeof(proto::RingControl);
    c->tail.store(0, std::memory_order_relaxed);
    c->head.store(0, std::memory_order_relaxed);
    c->consumer_sleeping.store(0, std::memory_order_relaxed);
    c->producer_cpu.store(0, std::memory_order_relaxed);
    c->producer_looks.store(0, std::memory_order_relaxed);
}

Segment Segment::create(const SegmentGeometry& geometry, std::string_view debug_name,
                        std::error_code& ec) noexcept {
    Segment s;
    ec.clear();
    if (!is_valid_capacity(geometry.inbound_capacity) ||
        !is_valid_capacity(geometry.outbound_capacity)) {
        ec = std::make_error_code(std::errc::invalid_argument);
        return s;
    }
    auto impl = std::unique_ptr<Impl>(new (std::nothrow) Impl);
    if (!impl) {
        ec = std::make_error_code(std::errc::not_enough_memory);
        return s;
    }
    char name[64] = "cpd-segment";
    if (!debug_name.empty()) {
        std::size_t n = debug_name.size() < sizeof name - 1 ? debug_name.size() : sizeof name - 1;
        std::memcpy(name, debug_name.data(), n);
        name[n] = '\0';
    }
    impl->fd.reset(::memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING));
    const std::size_t size = proto::segment_size(geometry.inbound_capacity,
                                                 geometry.outbound_capacity);
    if (!impl->fd || ::ftruncate(impl->fd.get(), static_cast<off_t>(size)) != 0 ||
        ::fcntl(impl->fd.get(), F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) != 0) {
        ec = errno_code(errno);
        return s;
    }
    if (!map_fd(*impl, impl->fd.get(), size, ec)) {
        return s;
    }
    impl->geometry = geometry;
    impl->ring_offset[0] = sizeof(proto::SegmentHeader);
    impl->ring_offset[1] = impl->ring_offset[0] + proto::ring_footprint(geometry.inbound_capacity);
    auto* h = new (impl->base) proto::SegmentHeader{};
    h->magic = proto::segment_magic;
    h->layout_version = proto::ring_layout_version;
    h->ring_count = 2;
    h->segment_size = size;
    h->ring_offset[0] = impl->ring_offset[0];
    h->ring_offset[1] = impl->ring_offset[1];
    init_ring(*impl, 0);
    init_ring(*impl, 1);
    for (std::size_t i = 0; i < 2; ++i) {
        impl->bound_writer[i] = RingWriter{impl->control(i), impl->data(i), impl->capacity(i)};
        impl->bound_reader[i] = RingReader{impl->control(i), impl->data(i), impl->capacity(i)};
    }
    s.impl_ = std::move(impl);
    return s;
}

/// Checks one ring's constant line against the segment; its capacity on success.
static bool check_ring(const std::byte* base, std::uint64_t size, std::uint64_t offset,
                       std::uint32_t& capacity) noexcept {
    if (offset < sizeof(proto::SegmentHeader) || offset % proto::cache_line != 0 ||
        offset > size || size - offset < sizeof(proto::RingControl)) {
        return false;
    }
    RingConstants c; // copy the constant line once, then check the copy
    std::memcpy(&c, base + offset, sizeof c);
    if (c.magic != proto::ring_magic || c.layout_version != proto::ring_layout_version ||
        !is_valid_capacity(c.capacity) ||
        c.data_offset != offset + sizeof(proto::RingControl) ||
        size - c.data_offset < c.capacity) {
        return false;
    }
    capacity = c.capacity;
    return true;
}

/// Validates a mapped segment header; fills geometry and offsets.
static bool check_segment(SegmentState& impl, std::uint64_t size) noexcept {
    proto::SegmentHeader h;
    std::memcpy(static_cast<void*>(&h), impl.base, sizeof h);
    if (h.magic != proto::segment_magic || h.layout_version != proto::ring_layout_version ||
        h.ring_count != 2 || h.segment_size != size) {
        return false;
    }
    std::uint32_t cap[2];
    for (std::size_t i = 0; i < 2; ++i) {
        if (!check_ring(impl.base, size, h.ring_offset[i], cap[i])) {
            return false;
        }
    }
    // The rings must not overlap: inbound first, outbound after its data.
    if (h.ring_offset[1] < h.ring_offset[0] + proto::ring_footprint(cap[0])) {
        return false;
    }
    impl.ring_offset[0] = h.ring_offset[0];
    impl.ring_offset[1] = h.ring_offset[1];
    impl.geometry = SegmentGeometry{cap[0], cap[1]};
    return true;
}

Segment Segment::adopt(int fd, std::error_code& ec) noexcept {
    Segment s;
    ec.clear();
    auto impl = std::unique_ptr<Impl>(new (std::nothrow) Impl);
    if (!impl) {
        ::close(fd);
        ec = std::make_error_code(std::errc::not_enough_memory);
        return s;
    }
    impl->fd.reset(fd);
    struct stat st{};
    if (fd < 0 || ::fstat(fd, &st) != 0) {
        ec = errno_code(fd < 0 ? EBADF : errno);
        return s;
    }
    const int seals = ::fcntl(fd, F_GET_SEALS);
    const auto size = static_cast<std::uint64_t>(st.st_size);
    if (!S_ISREG(st.st_mode) || seals < 0 || (seals & required_seals) != required_seals ||
        size < sizeof(proto::SegmentHeader) ||
        size > proto::segment_size(max_capacity, max_capacity)) {
        ec = std::make_error_code(std::errc::invalid_argument);
        return s;
    }
    if (!map_fd(*impl, fd, static_cast<std::size_t>(size), ec)) {
        return s;
    }
    if (!check_segment(*impl, size)) {
        ec = std::make_error_code(std::errc::invalid_argument);
        return s;
    }
    s.impl_ = std::move(impl);
    return s;
}

Segment::Segment() = default;
Segment::Segment(Segment&&) noexcept = default;
Segment& Segment::operator=(Segment&&) noexcept = default;
Segment::~Segment() = default;

bool Segment::valid() const noexcept { return impl_ != nullptr && impl_->base != nullptr; }

int Segment::fd() const noexcept { return impl_ ? impl_->fd.get() : -1; }

void Segment::skip_on_fork() noexcept {
    if (valid()) {
        ::madvise(impl_->region.get_address(), impl_->region.get_size(), MADV_DONTFORK);
    }
}

void Segment::close_fd() noexcept {
    if (impl_) {
        impl_->fd.reset();
    }
}

const SegmentGeometry& Segment::geometry() const noexcept {
    static const SegmentGeometry none{0, 0};
    return impl_ ? impl_->geometry : none;
}

RingWriter Segment::writer(std::size_t index) noexcept {
    if (!valid() || index > 1) {
        return RingWriter{};
    }
    return RingWriter{impl_->control(index), impl_->data(index), impl_->capacity(index)};
}

RingWriter Segment::bound_writer(std::size_t index) const noexcept {
    return valid() && index <= 1 ? impl_->bound_writer[index] : RingWriter{};
}

RingReader Segment::bound_reader(std::size_t index) const noexcept {
    return valid() && index <= 1 ? impl_->bound_reader[index] : RingReader{};
}

RingReader Segment::reader(std::size_t index) noexcept {
    if (!valid() || index > 1) {
        return RingReader{};
    }
    return RingReader{impl_->control(index), impl_->data(index), impl_->capacity(index)};
}

} // namespace cpd::ipc
