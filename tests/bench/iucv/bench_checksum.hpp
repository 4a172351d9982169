// SPDX-License-Identifier: MIT
// The work both bench_iucv receivers do per message: read every byte once
// (a sum of 64-bit words), so neither transport is credited for data nobody reads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace cpd::bench {

/// Sum of the data as little-endian 64-bit words (the tail byte-wise).
inline std::uint64_t checksum(const std::byte* data, std::size_t size) noexcept {
    std::uint64_t sum = 0;
    std::size_t i = 0;
    for (; i + 8 <= size; i += 8) {
        std::uint64_t w;
        std::memcpy(&w, data + i, sizeof w);
        sum += w;
    }
    for (; i < size; ++i) {
        sum += static_cast<std::uint64_t>(data[i]);
    }
    return sum;
}

} // namespace cpd::bench
