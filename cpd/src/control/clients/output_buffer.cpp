// SPDX-License-Identifier: MIT
// The bounded output block: compacts in place when the consumed front leaves
// room, grows by doubling (capped at the limit) only when it must, and frees
// itself when drained, so an idle client holds no output memory at all.
#include "control/clients/output_buffer.hpp"

#include <algorithm>
#include <cstring>

namespace cpd::daemon {

namespace {
/// The smallest block worth allocating: most replies fit, growth starts here.
constexpr std::size_t min_block = 4096;
} // namespace

bool OutputBuffer::append(std::span<const std::byte> bytes) {
    const std::size_t n = bytes.size();
    const std::size_t need = size() + n;
    if (need > limit_) {
        return false;
    }
    if (n == 0) {
        return true;
    }
    if (end_ + n > capacity_) {
        if (need <= capacity_) { // room enough once the consumed front is reclaimed
            std::memmove(data_.get(), data_.get() + begin_, size());
        } else {
            const std::size_t grown = std::min(limit_, std::max({need, 2 * capacity_, min_block}));
            auto block = std::make_unique_for_overwrite<std::byte[]>(grown);
            if (!empty()) {
                std::memcpy(block.get(), data_.get() + begin_, size());
            }
            data_ = std::move(block);
            capacity_ = grown;
        }
        end_ = size();
        begin_ = 0;
    }
    std::memcpy(data_.get() + end_, bytes.data(), n);
    end_ += n;
    return true;
}

void OutputBuffer::consume(std::size_t n) noexcept {
    begin_ += std::min(n, size());
    if (begin_ == end_) {
        clear();
    }
}

void OutputBuffer::clear() noexcept {
    data_.reset();
    capacity_ = begin_ = end_ = 0;
}

} // namespace cpd::daemon
