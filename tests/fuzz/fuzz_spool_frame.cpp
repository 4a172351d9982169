// SPDX-License-Identifier: MIT
// libFuzzer target: the spool frames (what cpd reads from a guest's ring and
// from vmur, and a guest and vmur from cpd) and the SENDFILE record format.
// The first input byte picks the decoder, the rest is its payload.
// Properties: no crash or sanitizer report; an accepted frame re-encodes to
// exactly its bytes; an accepted record stream unpacks without reading past it.
#include "fuzz_check.hpp"

#include "cpd/proto/sendfile_format.hpp"
#include "cpd/proto/spool_frame.hpp"

#include <cstdint>
#include <cstring>
#include <vector>

namespace {

namespace proto = cpd::proto;

void same(const std::vector<std::byte>& again, std::span<const std::byte> in) {
    cpd::fuzz::require(again.size() == in.size() &&
                           std::memcmp(again.data(), in.data(), in.size()) == 0,
                       "an accepted spool frame does not re-encode to its bytes");
}

void unpack(std::span<const std::byte> stream) {
    proto::RecordUnpacker u;
    std::string out;
    proto::for_each_record(stream, [&](std::span<const std::byte> r) { u.feed(r, out); });
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) {
        return 0;
    }
    const std::span<const std::byte> in(reinterpret_cast<const std::byte*>(data) + 1, size - 1);
    switch (data[0] % 4) {
    case 0:
        if (const auto f = proto::decode_spool_write(in)) {
            same(proto::encode(*f), in);
            unpack(f->records);
        }
        break;
    case 1:
        if (const auto f = proto::decode_spool_read(in)) {
            same(proto::encode(*f), in);
        }
        break;
    case 2:
        if (const auto f = proto::decode_spool_data(in)) {
            same(proto::encode(*f), in);
        }
        break;
    default:
        if (const auto f = proto::decode_reader_file(in)) {
            same(proto::encode(*f), in);
        }
        break;
    }
    return 0;
}
