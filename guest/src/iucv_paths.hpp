// SPDX-License-Identifier: MIT
// PathTable: this guest's view of its IUCV paths. It decides locally what
// z/VM would refuse at once (unknown or severed path, pending path, quiesced
// peer, msglimit reached, unknown reply id) so that cpd only sees calls that
// make sense. It sends nothing itself; ContextImpl and the dispatcher drive it.
#pragma once

#include "cpd/guest/context.hpp"

#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <unordered_set>

namespace cpd::guest::detail {

/// Default number of outstanding two-way messages on a path (z/VM's IUCV default).
inline constexpr std::uint16_t default_msglimit = 10;
/// Most received two-way messages remembered per path while awaiting a reply.
inline constexpr std::size_t max_unreplied = 65535;

/// What this guest knows about one path.
struct Path {
    enum class State : std::uint8_t { pending, established };
    State state = State::pending;
    std::uint16_t msglimit = default_msglimit;
    bool peer_quiesced = false;
    std::unordered_set<std::uint32_t> awaiting_reply; ///< two-way msgids we sent
    std::unordered_set<std::uint32_t> unreplied;      ///< two-way msgids we received
};

/// Local path state, keyed by this guest's path id.
class PathTable {
  public:
    /// The id the next CONNECT would use (ids count up from 1 and are never reused).
    PathId peek_connect_id() const noexcept { return next_id_; }
    /// Records a new outgoing pending path under peek_connect_id() and advances it.
    PathId add_outgoing() noexcept;
    /// Records an incoming path (id chosen by cpd) the handler accepted.
    void add_incoming(PathId path) noexcept;
    /// The path, or nullptr if unknown (never existed, severed or failed).
    Path* find(PathId path) noexcept;
    /// Forgets a path.
    void erase(PathId path) noexcept { paths_.erase(path); }
    /// Marks a path established with the msglimit cpd granted (0: default).
    bool complete(PathId path, std::uint16_t msglimit) noexcept;

    /// Checks a SEND of `size` bytes; ok or the rc z/VM would give at once.
    IucvRc check_send(PathId path, std::size_t size, bool two_way) noexcept;
    /// Checks a REPLY to `msgid` on `path`.
    IucvRc check_reply(PathId path, std::uint32_t msgid, std::size_t size) noexcept;
    /// Checks QUIESCE / RESUME / SEVER style calls: ok, invalid_path or pending_path.
    IucvRc check_established(PathId path) noexcept;

    /// Allocates the msgid for a SEND that passed check_send (counts up from 1).
    std::uint32_t next_msgid() noexcept { return next_msgid_++; }
    /// Number of paths known.
    std::size_t size() const noexcept { return paths_.size(); }

  private:
    std::unordered_map<PathId, Path> paths_;
    PathId next_id_ = 1;
    std::uint32_t next_msgid_ = 1;
};

} // namespace cpd::guest::detail
