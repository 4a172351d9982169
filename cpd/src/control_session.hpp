// SPDX-License-Identifier: MIT
// ControlSession: one client connection. Reads whole frames (header, then a
// bounded payload), authorizes every request as the caller SO_PEERCRED maps to
// (resolved once, again only after a directory reload), runs it, and queues
// replies; a malformed frame earns a ServerError and the connection is closed,
// and a client that stops reading is dropped once its queue is full.
#pragma once

#include "cp_outcome.hpp"
#include "commands/cp_services.hpp"
#include "identity.hpp"
#include "router.hpp"

#include "cpd/proto/socket_frame.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/steady_timer.hpp>

namespace cpd::daemon {

class ControlSession;

/// What sessions need from the daemon.
class ControlBackend {
public:
    virtual ~ControlBackend() = default;
    /// The caller a host uid acts as, or nullopt if it may not use cpd.
    virtual std::optional<Caller> identify(uid_t uid) = 0;
    /// Changes whenever the directory is reloaded; sessions re-identify their
    /// client when it differs from what they saw (default: never changes).
    virtual std::uint64_t directory_generation() const { return 0; }
    /// Runs a CP command line as `caller`.
    virtual CpOutcome command(const Caller& caller, std::string_view line) = 0;
    /// Sends an SMSG as `caller`.
    virtual CpOutcome smsg(const Caller& caller, const proto::Userid& to, std::string_view text) = 0;
    /// Starts delivering SMSGs for `userid` to `listener`.
    virtual void listen(const proto::Userid& userid, SmsgListener* listener) = 0;
    /// Stops delivering to `listener`.
    virtual void unlisten(SmsgListener* listener) = 0;
    /// Console frames (attach, input, ...); false if not handled (the session answers).
    virtual bool console_frame(ControlSession& session, const Caller& caller,
                               const proto::ClientFrame& frame) = 0;
};

/// One accepted client connection.
class ControlSession : public SmsgListener, public std::enable_shared_from_this<ControlSession> {
public:
    using Socket = boost::asio::local::stream_protocol::socket;

    ControlSession(Socket socket, ControlBackend& backend);
    /// Checks the peer's identity and starts reading.
    void start();
    /// Queues a frame to the client (dropped if the session is closed).
    void send(const proto::ServerFrame& frame);
    /// Closes the connection now; idempotent.
    void close();
    /// Sends a ServerError, then closes once it is written.
    void fail(proto::CpRc rc, std::string_view text);
    /// True until close().
    bool is_open() const noexcept { return open_; }

    void on_smsg_event(const proto::Userid& from, std::string_view text) override;
    void on_directory_reloaded() override;

    /// Bytes of unsent replies after which a client is dropped.
    static constexpr std::size_t max_queued_bytes = 4u << 20;

private:
    void do_read_header();
    void do_read_payload(std::uint16_t type, std::uint32_t length);
    void on_frame(std::uint16_t type);
    const Caller* current_caller();
    void refuse();
    bool listens_as_current_caller();
    void handle(const Caller& caller, const proto::ClientFrame& frame);
    void do_write();
    void linger_then_close();
    void do_drain();

    Socket socket_;
    ControlBackend& backend_;
    uid_t uid_ = 0;
    std::optional<Caller> caller_; ///< identify(uid_) as of caller_generation_
    std::uint64_t caller_generation_ = 0;
    std::array<std::byte, proto::socket_header_size> header_{};
    std::vector<std::byte> payload_;
    std::deque<std::vector<std::byte>> queue_;
    std::size_t queued_bytes_ = 0;
    bool writing_ = false;
    bool close_after_write_ = false;
    bool open_ = true;
    std::optional<proto::Userid> listening_as_; ///< SMSGs for this userid come to us
    bool lingering_ = false;
    boost::asio::steady_timer linger_timer_;
    std::size_t drained_ = 0;
    static constexpr std::size_t max_drain_bytes = 1u << 20;
};

} // namespace cpd::daemon
