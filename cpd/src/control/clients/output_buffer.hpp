// SPDX-License-Identifier: MIT
// OutputBuffer: the bytes cpd still owes one client, in one contiguous block
// that never grows past a fixed limit and is freed as soon as it drains. One
// allocation per client, whatever the number of frames queued, so a client's
// backlog costs exactly the bytes counted and dropping it is one free().
#pragma once

#include <cstddef>
#include <memory>
#include <span>

namespace cpd::daemon {

/// A bounded FIFO of bytes (see the file comment).
class OutputBuffer {
  public:
    /// At most `limit` bytes are ever allocated.
    explicit OutputBuffer(std::size_t limit) noexcept : limit_(limit) {}

    /// Appends all of `bytes`; false (and nothing appended) if the result would pass the limit.
    bool append(std::span<const std::byte> bytes);
    /// The bytes not yet consumed, oldest first.
    std::span<const std::byte> pending() const noexcept {
        return {data_.get() + begin_, end_ - begin_};
    }
    /// Drops the first `n` pending bytes; frees the block once nothing is left.
    void consume(std::size_t n) noexcept;
    /// Frees everything.
    void clear() noexcept;
    /// True if nothing is pending.
    bool empty() const noexcept { return begin_ == end_; }
    /// Pending bytes.
    std::size_t size() const noexcept { return end_ - begin_; }
    /// Bytes allocated (what the client costs cpd right now).
    std::size_t memory() const noexcept { return capacity_; }
    /// The bound on memory().
    std::size_t limit() const noexcept { return limit_; }

  private:
    std::unique_ptr<std::byte[]> data_;
    std::size_t capacity_ = 0;
    std::size_t begin_ = 0;
    std::size_t end_ = 0;
    std::size_t limit_;
};

} // namespace cpd::daemon
