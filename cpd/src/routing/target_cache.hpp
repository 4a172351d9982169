// SPDX-License-Identifier: MIT
// TargetCache: the SMSG hot path's routing index. A small direct-mapped table
// from a userid (its eight padded bytes as one integer) to the guest table's
// entry and whether a client listens as that userid, so a stream of SMSGs to
// the same few targets costs one integer compare instead of a walk of the
// guest table and the listener registry (a tenth of cpd's time per SMSG,
// perf, bench_hop). It never decides anything: its owner refills a slot from
// the tables on a miss and drops entries whenever those tables change.
#pragma once

#include "guests/guest.hpp"

#include "cpd/proto/userid.hpp"

#include <array>
#include <cstdint>
#include <cstring>
#include <memory>

namespace cpd::daemon {

/// Cached routing facts about one userid. Thread/process: cpd's one thread only.
class TargetCache {
  public:
    /// One slot: `key` 0 is empty (a userid's first byte is never NUL).
    struct Entry {
        std::uint64_t key = 0;
        std::shared_ptr<Guest> guest; ///< the table's entry when cached (may be null)
        bool listened = false;        ///< a client listened as this userid when cached
    };

    /// The entry for `id`, or nullptr on a miss.
    const Entry* find(const proto::Userid& id) const noexcept {
        const std::uint64_t key = key_of(id);
        const Entry& e = slots_[slot_of(key)];
        return e.key == key ? &e : nullptr;
    }
    /// Caches what the tables say about `id` (replacing whatever shared its slot).
    void put(const proto::Userid& id, std::shared_ptr<Guest> guest, bool listened) {
        const std::uint64_t key = key_of(id);
        slots_[slot_of(key)] = Entry{key, std::move(guest), listened};
    }
    /// Drops `id`'s entry: a guest of that name logged on or went away.
    void forget(const proto::Userid& id) noexcept {
        Entry& e = slots_[slot_of(key_of(id))];
        if (e.key == key_of(id)) {
            e = Entry{};
        }
    }
    /// Drops every entry: the listener registry changed.
    void clear() noexcept { slots_.fill(Entry{}); }

  private:
    static constexpr std::size_t slot_bits = 4;

    static std::uint64_t key_of(const proto::Userid& id) noexcept {
        std::uint64_t key = 0;
        std::memcpy(&key, id.padded().data(), sizeof key); // padded() is always 8 bytes
        return key;
    }
    static std::size_t slot_of(std::uint64_t key) noexcept {
        return static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ull) >> (64 - slot_bits));
    }

    std::array<Entry, std::size_t{1} << slot_bits> slots_{};
};

} // namespace cpd::daemon
