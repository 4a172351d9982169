// SPDX-License-Identifier: MIT
// ControlSession: one client connection. Reads frames as their bytes arrive
// (a request at most ClientLimits::max_request), authorizes every request as
// the caller SO_PEERCRED maps to (resolved once, again only after a directory
// reload), runs it, and writes replies through a bounded OutputBuffer; a
// malformed frame earns a ServerError and the connection is closed. It stops
// reading requests while replies are unsent, and is dropped when its output
// passes its byte limit or its deadlines (ClientBudget) pass.
#pragma once

#include "control/clients/client_budget.hpp"
#include "control/clients/frame_reader.hpp"
#include "control/clients/output_buffer.hpp"
#include "control/cp_outcome.hpp"
#include "control/commands/cp_services.hpp"
#include "control/identity.hpp"
#include "routing/router.hpp"

#include "cpd/proto/socket_frame.hpp"

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

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
    /// Spool data frames (spool_frame.hpp: vmur's writes and reads); false if
    /// not handled (the session answers).
    virtual bool spool_frame(ControlSession& /*session*/, const Caller& /*caller*/,
                             std::uint16_t /*type*/, std::span<const std::byte> /*payload*/) {
        return false;
    }
    /// A session ends: what it left open (an unclosed spool file) is dropped.
    virtual void session_ended(ControlSession& /*session*/) {}
};

/// One accepted client connection.
class ControlSession : public SmsgListener, public std::enable_shared_from_this<ControlSession> {
public:
    using Socket = boost::asio::local::stream_protocol::socket;
    using Clock = std::chrono::steady_clock;

    /// A session under `budget`'s limits (default: a budget of its own with the
    /// default limits, for tests that need no server).
    ControlSession(Socket socket, ControlBackend& backend,
                   std::shared_ptr<ClientBudget> budget = nullptr);
    /// Checks the peer's identity and starts reading.
    void start();
    /// Counts the session against the uid that start() reads; the server calls
    /// it for the sessions it admitted, so close() gives the place back.
    void set_admitted(uid_t uid) noexcept;
    /// Queues a frame to the client (dropped if the session is closed); a
    /// client whose unsent output would pass its limit is disconnected.
    void send(const proto::ServerFrame& frame);
    /// Queues a frame of another contract (spool_frame.hpp) by type and payload, as send().
    void send_raw(std::uint16_t type, std::span<const std::byte> payload);
    /// Closes the connection now; idempotent.
    void close();
    /// Sends a ServerError, then closes once it is written.
    void fail(proto::CpRc rc, std::string_view text);
    /// True until close() or a drop.
    bool is_open() const noexcept { return open_; }
    /// The host uid of the peer, as start() read it (SO_PEERCRED).
    uid_t peer_uid() const noexcept { return uid_; }
    /// Shuts and closes the socket: the deferred half of a drop (ClientBudget::close_later).
    void close_socket() noexcept;
    /// The executor the session's handlers run on.
    boost::asio::any_io_executor executor() { return socket_.get_executor(); }
    /// Marks the session as attached to a console (by the console hub): it
    /// is then legitimately idle and no idle timeout applies.
    void set_attached(bool attached) noexcept { attached_ = attached; }
    /// Applies the hello, frame, idle and write deadlines as of `now`
    /// (from the server's periodic sweep); a session past one is ended.
    void check_deadlines(Clock::time_point now);
    /// The most unsent output the session may hold, in bytes.
    std::size_t output_limit() const noexcept { return out_.limit(); }
    /// The output queued for the client and not yet taken by its socket.
    std::size_t unsent_bytes() const noexcept { return out_.size(); }

    void on_smsg_event(const proto::Userid& from, std::string_view text) override;
    void on_directory_reloaded() override;

private:
    void send_bytes(std::span<const std::byte> bytes);
    void do_read();
    void on_readable();
    bool take_bytes(std::span<const std::byte> bytes);
    void on_frame();
    const Caller* current_caller();
    void refuse();
    bool listens_as_current_caller();
    void handle(const Caller& caller, const proto::ClientFrame& frame);
    void flush();
    void do_wait_writable();
    void drop(std::string_view reason);
    void end_session();
    void time_out(std::string_view what);
    std::string who() const;
    void linger_then_close();
    void do_drain();

    Socket socket_;
    ControlBackend& backend_;
    std::shared_ptr<ClientBudget> budget_;
    uid_t uid_ = 0;
    pid_t pid_ = 0;
    std::optional<uid_t> admitted_; ///< counted in budget_ as this uid
    std::optional<Caller> caller_;  ///< identify(uid_) as of caller_generation_
    std::uint64_t caller_generation_ = 0;
    FrameReader reader_;
    OutputBuffer out_;
    bool reading_ = false;        ///< an async wait for readable is pending
    bool writing_ = false;        ///< an async wait for writable is pending
    bool close_after_write_ = false;
    bool open_ = true;
    bool attached_ = false;
    std::optional<proto::Userid> listening_as_; ///< SMSGs for this userid come to us
    std::uint64_t frames_ = 0;                  ///< requests received
    Clock::time_point connected_at_;
    Clock::time_point frame_started_at_;  ///< first byte of the request being read
    Clock::time_point last_request_at_;   ///< last complete request
    Clock::time_point last_written_at_;   ///< last byte the client took, or output queued
    bool lingering_ = false;
    boost::asio::steady_timer linger_timer_;
    std::array<std::byte, 256> drain_{};
    std::size_t drained_ = 0;
    static constexpr std::size_t max_drain_bytes = 1u << 20;
};

} // namespace cpd::daemon
