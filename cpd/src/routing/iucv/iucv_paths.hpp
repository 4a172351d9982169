// SPDX-License-Identifier: MIT
// IucvPaths: cpd's registry of IUCV paths and the state machine behind CONNECT,
// ACCEPT, SEVER, SEND, REPLY, QUIESCE and RESUME. Pure: inputs are decoded
// frames stamped with the sender's userid, outputs go through IucvSink. No I/O,
// no Asio, no logging: the router owns all of that. Guests are untrusted, so
// every rule is enforced here even though the guest runtime checks it too.
#pragma once

#include "config/directory/directory.hpp"

#include "cpd/proto/rc.hpp"
#include "cpd/proto/ring_frame.hpp"
#include "cpd/proto/userid.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <unordered_map>
#include <vector>

namespace cpd::daemon {

/// Where IucvPaths sends frames and learns about guests; the router implements it.
/// Implementations must not call back into IucvPaths from these methods.
class IucvSink {
  public:
    virtual ~IucvSink() = default;
    /// Pushes a frame whose originator is told and may retry (IucvPending, IucvMessage,
    /// IucvReplyIn); false if nothing was queued (ring full, guest gone). Must also fail
    /// while `to` has a notify() backlog, so frames keep their order.
    virtual bool try_deliver(const proto::Userid& to, const proto::CpdFrame& f) = 0;
    /// Pushes a notification that must not be lost (complete, failed, severed, quiesced,
    /// resumed, send failed). On a full ring the router keeps it in a bounded per-guest
    /// backlog (overflow forces the guest off, later); if `to` is gone it is dropped.
    virtual void notify(const proto::Userid& to, const proto::CpdFrame& f) = 0;
    /// True if `id` is logged on (its guest can receive frames).
    virtual bool is_logged_on(const proto::Userid& id) const = 0;
    /// The directory entry of `id`, or nullptr.
    virtual const DirectoryEntry* entry(const proto::Userid& id) const = 0;
};

/// State of a path as QUERY IUCV shows it.
enum class IucvPathState : std::uint8_t { pending, established, quiesced };

/// "PENDING", "ESTABLISHED" or "QUIESCED".
const char* to_string(IucvPathState s) noexcept;

/// One row of QUERY IUCV. "Out" is source->target, "in" is target->source.
struct IucvPathRow {
    std::uint64_t id;          ///< cpd-wide path number, never reused
    proto::Userid source;      ///< the guest that issued CONNECT
    std::uint32_t source_path; ///< the source's local path id
    proto::Userid target;
    std::uint32_t target_path; ///< the target's local path id
    IucvPathState state;
    std::uint16_t msglimit;
    std::uint32_t outstanding; ///< two-way messages awaiting a reply, both directions
    std::uint64_t messages_out, bytes_out;
    std::uint64_t messages_in, bytes_in;
};

/// Counters for QUERY STATS; all monotonic except the two path gauges.
struct IucvTotals {
    std::uint64_t paths_open = 0;       ///< paths now held (pending + established)
    std::uint64_t paths_pending = 0;    ///< of those, not yet answered
    std::uint64_t connects = 0;         ///< CONNECTs that created a pending path
    std::uint64_t completed = 0;        ///< paths accepted
    std::uint64_t refused = 0;          ///< paths refused by the target
    std::uint64_t connect_failures = 0; ///< CONNECTs cpd rejected (rc 1, 11, 13, 14, 15, 61)
    std::uint64_t severed = 0;          ///< paths ended by SEVER or a guest leaving
    std::uint64_t messages = 0;         ///< messages delivered (replies included)
    std::uint64_t bytes = 0;            ///< bytes of those messages
    std::uint64_t replies = 0;          ///< replies delivered
    std::uint64_t send_failures = 0;    ///< SENDs and REPLYs answered by IucvSendFailed
    std::uint64_t ring_full = 0;        ///< try_deliver refusals
};

/// The registry of IUCV paths; the rules where z/VM leaves a choice are listed at the
/// top of iucv_paths.cpp. Thread/process: cpd's one thread only.
class IucvPaths {
  public:
    static constexpr std::uint16_t default_msglimit = 10;          ///< CONNECT with msglimit 0
    static constexpr std::size_t max_data = 65535;                 ///< longest SEND or REPLY
    static constexpr std::uint32_t first_incoming_id = 0xFFFFFFFF; ///< ids cpd picks count down
    static constexpr std::uint32_t default_maxconn = 64; ///< MAXCONN of a guest without entry

    /// A registry that reports to `sink`, which must outlive it.
    explicit IucvPaths(IucvSink& sink) noexcept : sink_(sink) {}
    IucvPaths(const IucvPaths&) = delete;
    IucvPaths& operator=(const IucvPaths&) = delete;

    /// CONNECT from `from`: ok (pending, IucvPending sent) or the rc also sent as IucvFailed.
    proto::IucvRc connect(const proto::Userid& from, const proto::IucvConnect& f);
    /// ACCEPT or refusal by the target of a pending path.
    proto::IucvRc answer(const proto::Userid& from, const proto::IucvAnswer& f);
    /// SEVER by either end; only the peer is told.
    proto::IucvRc sever(const proto::Userid& from, const proto::IucvSever& f);
    /// SEND on an established path; failures also go to `from` as IucvSendFailed.
    proto::IucvRc send(const proto::Userid& from, const proto::IucvSend& f);
    /// REPLY to an outstanding two-way message; failures go to `from` as IucvSendFailed.
    proto::IucvRc reply(const proto::Userid& from, const proto::IucvReply& f);
    /// QUIESCE: `from` stops accepting messages on the path; the peer is told.
    proto::IucvRc quiesce(const proto::Userid& from, const proto::IucvQuiesce& f);
    /// RESUME: `from` accepts messages again; the peer is told.
    proto::IucvRc resume(const proto::Userid& from, const proto::IucvResume& f);
    /// Dispatches an IUCV guest frame to the call above; nullopt if `f` is not IUCV.
    std::optional<proto::IucvRc> handle(const proto::Userid& from, const proto::GuestFrame& f);

    /// Severs every path of a guest that left (logoff, FORCE, crash) and tells each peer;
    /// returns the number of paths removed.
    std::size_t guest_gone(const proto::Userid& who);

    /// QUERY IUCV rows by path number; only the paths of `*only` when given.
    std::vector<IucvPathRow> query(const proto::Userid* only = nullptr) const;
    /// Counters for QUERY STATS.
    IucvTotals totals() const noexcept;
    /// Path ends `who` holds (pending included; a self-path counts twice).
    std::uint32_t paths_held(const proto::Userid& who) const noexcept;

  private:
    struct End {
        proto::Userid user;
        std::uint32_t local;
    };
    struct Path {
        Path(std::uint64_t number, const End& source, const End& target)
            : id(number), ends{source, target} {}
        std::uint64_t id;
        std::array<End, 2> ends; ///< [0] source, [1] target
        bool established = false;
        std::array<bool, 2> quiesced{}; ///< [i]: end i does not accept messages
        std::uint16_t msglimit = 0;
        proto::UserData connect_data{}; ///< the CONNECT's user data, for the target
        std::array<std::vector<std::uint32_t>, 2> awaiting; ///< [i]: msgids sent to end i, sorted
        std::array<std::uint64_t, 2> messages{}, bytes{};   ///< [i]: sent by end i
    };
    struct EndRef {
        Path* path;
        int side; ///< 0 source, 1 target
    };
    struct EndKeyHash {
        std::size_t operator()(const End& e) const noexcept;
    };
    struct EndKeyEq {
        bool operator()(const End& a, const End& b) const noexcept {
            return a.local == b.local && a.user == b.user;
        }
    };
    struct GuestState {
        std::uint32_t next_incoming = first_incoming_id;
        std::uint32_t held = 0;
    };

    const EndRef* find(const proto::Userid& who, std::uint32_t local) const noexcept;
    std::uint32_t next_incoming_id(const proto::Userid& target);
    Path& add_path(const End& source, const End& target, std::uint16_t msglimit,
                   const proto::UserData& data);
    void remove_path(Path& p);
    proto::IucvRc connect_failed(const proto::Userid& from, std::uint32_t path, proto::IucvRc rc);
    proto::IucvRc send_failed(const proto::Userid& from, std::uint32_t path, std::uint32_t msgid,
                              proto::IucvRc rc);
    proto::IucvRc check_connect(const proto::Userid& from, const proto::IucvConnect& f,
                                std::uint32_t& cap) const;
    void count_delivery(Path& p, int side, std::size_t size) noexcept;

    IucvSink& sink_;
    std::uint64_t next_id_ = 1;
    std::map<std::uint64_t, Path> paths_; // node-based: EndRef::path stays valid
    std::unordered_map<End, EndRef, EndKeyHash, EndKeyEq> ends_;
    std::unordered_map<proto::Userid, GuestState> guests_;
    IucvTotals totals_;
};

} // namespace cpd::daemon
