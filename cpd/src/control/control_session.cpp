// SPDX-License-Identifier: MIT
// A client connection: the read loop (bytes as they come, decode, dispatch),
// the bounded write path (straight to the socket while it keeps up, then one
// OutputBuffer) and the deadlines the server's sweep applies. Every error path
// ends in close(); no exception leaves a handler and no client can make cpd
// block or grow without bound.
#include "control/control_session.hpp"

#include "cpd/ipc/log.hpp"
#include "cpd/proto/spool_frame.hpp"

#include <algorithm>
#include <cerrno>
#include <vector>

#include <boost/asio/buffer.hpp>
#include <sys/socket.h>

namespace cpd::daemon {
namespace asio = boost::asio;

namespace {

/// Requests handled per readiness event before other clients get a turn.
constexpr int max_requests_per_turn = 4;

/// Whole seconds of a limit, for messages.
std::string seconds_text(std::chrono::milliseconds d) {
    return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(d).count()) + " s";
}

/// True if errno says "try again later" on a non-blocking socket.
bool would_block(int e) noexcept { return e == EAGAIN || e == EWOULDBLOCK || e == EINTR; }

} // namespace

ControlSession::ControlSession(Socket socket, ControlBackend& backend,
                               std::shared_ptr<ClientBudget> budget)
    : socket_(std::move(socket)), backend_(backend),
      budget_(budget ? std::move(budget) : std::make_shared<ClientBudget>()),
      reader_(budget_->limits().max_request), out_(budget_->limits().output_bytes),
      linger_timer_(socket_.get_executor()) {}

void ControlSession::set_admitted(uid_t uid) noexcept { admitted_ = uid; }

void ControlSession::start() {
    connected_at_ = last_request_at_ = last_written_at_ = Clock::now();
    auto cred = peer_credentials(socket_.native_handle());
    if (!cred) {
        close();
        return;
    }
    uid_ = cred->uid;
    pid_ = cred->pid;
    if (current_caller() == nullptr) {
        budget_->log("control: " + who() + ": refused: no directory entry");
        refuse();
        return;
    }
    do_read();
}

/// "uid 1000 (pid 4242)", the subject of the session's log lines.
std::string ControlSession::who() const {
    return "uid " + std::to_string(uid_) + " (pid " + std::to_string(pid_) + ")";
}

/// The caller this client acts as. Resolving it costs a passwd lookup and two
/// directory scans, so it is done once and again only after a directory reload
/// (a reload may drop the client's POSIXINFO mapping or change its classes).
const Caller* ControlSession::current_caller() {
    const std::uint64_t generation = backend_.directory_generation();
    if (!caller_ || generation != caller_generation_) {
        caller_ = backend_.identify(uid_);
        caller_generation_ = generation;
    }
    return caller_ ? &*caller_ : nullptr;
}

/// Ends the session of a client the directory does not (or no longer) map.
void ControlSession::refuse() {
    fail(proto::CpRc::not_authorized,
         "HCPCMD002E Host user uid " + std::to_string(uid_) + " not authorized");
}

/// Waits until the client has sent something, unless reading is paused: while
/// replies are unsent, further requests stay in the socket (flush resumes).
void ControlSession::do_read() {
    if (reading_ || !open_ || close_after_write_ || lingering_ || !out_.empty()) {
        return;
    }
    reading_ = true;
    auto self = shared_from_this();
    socket_.async_wait(Socket::wait_read, [this, self](const boost::system::error_code& ec) {
        reading_ = false;
        if (ec || !open_) {
            close();
            return;
        }
        if (lingering_) {
            do_drain(); // fail() came while this wait was pending
            return;
        }
        on_readable();
    });
}

/// Reads what the socket holds, a frame's worth at most per recv, and
/// handles each request as it completes; then waits for more.
void ControlSession::on_readable() {
    static std::array<std::byte, 16 * 1024> chunk; // the one thread's; copied out at once
    for (int requests = 0; requests < max_requests_per_turn;) {
        if (!open_ || close_after_write_ || lingering_ || !out_.empty()) {
            return; // flush() or the linger resumes
        }
        const std::size_t want = std::min(reader_.wanted(), chunk.size());
        const ssize_t n = ::recv(socket_.native_handle(), chunk.data(), want, MSG_DONTWAIT);
        if (n == 0) {
            close(); // the client went away (inside a frame or not: nothing to answer)
            return;
        }
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                break;
            }
            close();
            return;
        }
        if (!take_bytes(std::span<const std::byte>(chunk.data(), static_cast<std::size_t>(n)))) {
            return;
        }
        if (!reader_.in_frame()) {
            ++requests;
        }
    }
    do_read();
}

/// Feeds bytes to the frame reader; runs a completed request. False once the
/// session is ending.
bool ControlSession::take_bytes(std::span<const std::byte> bytes) {
    if (!reader_.in_frame()) {
        frame_started_at_ = Clock::now();
    }
    switch (reader_.feed(bytes)) {
    case FrameReader::Status::more:
        return true;
    case FrameReader::Status::bad:
        fail(proto::CpRc::invalid_operand,
             "cpd: bad frame header: " + std::string(proto::describe(reader_.error())));
        return false;
    case FrameReader::Status::too_large:
        budget_->log("control: " + who() + ": refused: a request of " +
                     std::to_string(reader_.announced()) + " bytes");
        fail(proto::CpRc::invalid_operand,
             "HCPMSG026E Request of " + std::to_string(reader_.announced()) +
                 " bytes is over the limit of " + std::to_string(budget_->limits().max_request));
        return false;
    case FrameReader::Status::ready:
        on_frame();
        reader_.next();
        return open_ && !close_after_write_;
    }
    return false;
}

/// Decodes and authorizes one frame and runs it.
void ControlSession::on_frame() {
    ++frames_;
    last_request_at_ = Clock::now();
    if (proto::is_spool_socket_type(reader_.type())) { // the spool's own contract
        const Caller* caller = current_caller();
        if (caller == nullptr) {
            refuse();
        } else if (!backend_.spool_frame(*this, *caller, reader_.type(), reader_.payload())) {
            send(proto::ServerError{proto::CpRc::unknown_command,
                                    "cpd: spool frames are not supported by this cpd"});
        }
        return;
    }
    auto frame = proto::decode_client_frame(reader_.type(), reader_.payload());
    if (!frame) {
        proto::errc e = frame.error();
        if (e == proto::errc::text_too_long || e == proto::errc::bad_text ||
            e == proto::errc::bad_userid) { // well framed, bad operand: answer and go on
            bool userid = e == proto::errc::bad_userid;
            send(proto::ServerCpResponse{
                userid ? proto::CpRc::invalid_userid : proto::CpRc::invalid_operand,
                userid ? "HCPMSG020E Userid missing or invalid"
                       : "HCPMSG026E Text missing or invalid: " + std::string(proto::describe(e))});
            return;
        }
        fail(proto::CpRc::invalid_operand,
             "cpd: bad frame: " + std::string(proto::describe(e)));
        return;
    }
    const Caller* caller = current_caller();
    if (caller == nullptr) {
        refuse();
        return;
    }
    handle(*caller, *frame);
}

void ControlSession::handle(const Caller& caller, const proto::ClientFrame& frame) {
    if (const auto* c = std::get_if<proto::ClientCpCommand>(&frame)) {
        CpOutcome r = backend_.command(caller, c->text);
        send(proto::ServerCpResponse{r.rc, r.text});
    } else if (const auto* m = std::get_if<proto::ClientSmsgSend>(&frame)) {
        CpOutcome r = backend_.smsg(caller, m->to, m->text);
        send(proto::ServerCpResponse{r.rc, r.text});
    } else if (std::holds_alternative<proto::ClientSmsgListen>(frame)) {
        if (!caller.has_any_class("G") && !caller.has_any_class("AB")) {
            send(proto::ServerCpResponse{proto::CpRc::not_authorized,
                                         "HCPCMD002E Command SMSG not authorized"});
        } else {
            if (!listening_as_) {
                listening_as_ = caller.userid;
                backend_.listen(caller.userid, this);
            }
            send(proto::ServerCpResponse{proto::CpRc::ok, {}});
        }
    } else if (!backend_.console_frame(*this, caller, frame)) {
        send(proto::ServerError{proto::CpRc::unknown_command,
                                "cpd: console frames are not supported by this cpd"});
    }
}

/// An SMSG for the userid this client listens as, if it still is that userid.
void ControlSession::on_smsg_event(const proto::Userid& from, std::string_view text) {
    if (listens_as_current_caller()) {
        send(proto::ServerSmsgEvent{from, text});
    }
}

void ControlSession::on_directory_reloaded() { listens_as_current_caller(); }

/// A reload may have mapped this listening client to another userid, or to
/// none: it then listens as its new userid from now on (SMSGs for the old one
/// are not its to see), or is refused, as its next frame would be. True if it
/// still listens as the userid it was listening as.
bool ControlSession::listens_as_current_caller() {
    const Caller* caller = current_caller();
    if (caller == nullptr) {
        refuse();
        return false;
    }
    if (listening_as_ && caller->userid != *listening_as_) {
        backend_.unlisten(this); // the router calls listeners from a copy of its list
        listening_as_ = caller->userid;
        backend_.listen(caller->userid, this);
        return false;
    }
    return true;
}

/// Encodes the frame and writes it at once if nothing is queued before it;
/// what the socket does not take waits in the OutputBuffer.
void ControlSession::send(const proto::ServerFrame& frame) {
    if (!open_ || close_after_write_) {
        return;
    }
    static std::vector<std::byte> encoded; // the one thread's; reused, never shrinks below a reply
    encoded.clear();
    proto::append_frame(encoded, frame);
    send_bytes(encoded);
}

void ControlSession::send_raw(std::uint16_t type, std::span<const std::byte> payload) {
    if (!open_ || close_after_write_) {
        return;
    }
    static std::vector<std::byte> encoded; // header + payload, as append_frame packs them
    encoded.clear();
    const std::uint32_t n = static_cast<std::uint32_t>(payload.size());
    const std::uint16_t v = proto::socket_protocol_version;
    for (int i = 0; i < 4; ++i) {
        encoded.push_back(static_cast<std::byte>((n >> (8 * i)) & 0xFF));
    }
    encoded.push_back(static_cast<std::byte>(v & 0xFF));
    encoded.push_back(static_cast<std::byte>(v >> 8));
    encoded.push_back(static_cast<std::byte>(type & 0xFF));
    encoded.push_back(static_cast<std::byte>(type >> 8));
    encoded.insert(encoded.end(), payload.begin(), payload.end());
    send_bytes(encoded);
}

/// Writes at once if nothing is queued before it; the rest waits in the OutputBuffer.
void ControlSession::send_bytes(std::span<const std::byte> bytes) {
    if (out_.empty() && !writing_) {
        const ssize_t n =
            ::send(socket_.native_handle(), bytes.data(), bytes.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
        if (n < 0 && !would_block(errno)) {
            close(); // the client is gone
            return;
        }
        if (n > 0) {
            bytes = bytes.subspan(static_cast<std::size_t>(n));
        }
        if (bytes.empty()) {
            return;
        }
        last_written_at_ = Clock::now(); // the write deadline starts with the first unsent byte
    }
    if (!out_.append(bytes)) {
        drop("does not read its output (" + std::to_string(out_.size()) + " bytes unsent, limit " +
             std::to_string(out_.limit()) + ")");
        return;
    }
    if (!writing_) {
        do_wait_writable();
    }
}

/// Waits until the socket takes more output.
void ControlSession::do_wait_writable() {
    writing_ = true;
    auto self = shared_from_this();
    socket_.async_wait(Socket::wait_write, [this, self](const boost::system::error_code& ec) {
        writing_ = false;
        if (ec || !open_) {
            close();
            return;
        }
        flush();
    });
}

/// Writes queued output until the socket is full or the queue empty; once it
/// is empty, reading resumes (or the session closes, after fail()).
void ControlSession::flush() {
    while (!out_.empty()) {
        const auto pending = out_.pending();
        const ssize_t n = ::send(socket_.native_handle(), pending.data(), pending.size(),
                                 MSG_DONTWAIT | MSG_NOSIGNAL);
        if (n > 0) {
            out_.consume(static_cast<std::size_t>(n));
            last_written_at_ = Clock::now();
            continue;
        }
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0 && would_block(errno)) {
            do_wait_writable();
            return;
        }
        close();
        return;
    }
    if (close_after_write_) {
        linger_then_close();
        return;
    }
    if (reader_.in_frame()) {
        frame_started_at_ = Clock::now(); // we stopped reading, not the client
    }
    do_read();
}

void ControlSession::fail(proto::CpRc rc, std::string_view text) {
    send(proto::ServerError{rc, text});
    close_after_write_ = true;
    if (out_.empty() && !writing_) {
        linger_then_close();
    }
}

/// Ends a session that broke its budget: logged (rate-limited) and ended at
/// once; its socket is closed in a batch soon after (ClientBudget::close_later).
void ControlSession::drop(std::string_view reason) {
    if (!open_) {
        return;
    }
    budget_->log("control: " + who() + ": dropped: " + std::string(reason));
    end_session();
    budget_->close_later(shared_from_this());
}

/// Ends a session whose deadline passed: logged, told why, then closed.
void ControlSession::time_out(std::string_view what) {
    budget_->log("control: " + who() + ": closed: " + std::string(what));
    fail(proto::CpRc::busy, "HCPCON051E Connection closed: " + std::string(what));
}

void ControlSession::check_deadlines(Clock::time_point now) {
    if (!open_ || lingering_) {
        return; // the linger has its own timer
    }
    const ClientLimits& l = budget_->limits();
    auto passed = [now](std::chrono::milliseconds limit, Clock::time_point since) {
        return limit.count() > 0 && now - since >= limit;
    };
    if (!out_.empty() || writing_) {
        if (passed(l.write, last_written_at_)) {
            drop("does not read its output (" + std::to_string(out_.size()) +
                 " bytes unsent for " + seconds_text(l.write) + ")");
        }
        return; // while output is owed, only the client's reading counts
    }
    if (close_after_write_) {
        return;
    }
    if (reader_.in_frame()) {
        if (passed(l.frame, frame_started_at_)) {
            time_out("request not complete within " + seconds_text(l.frame) + " (" +
                     std::to_string(reader_.received()) + " bytes came)");
        }
    } else if (frames_ == 0) {
        if (passed(l.hello, connected_at_)) {
            time_out("no request within " + seconds_text(l.hello));
        }
    } else if (!attached_ && !listening_as_ && passed(l.idle, last_request_at_)) {
        time_out("idle for " + seconds_text(l.idle));
    }
}

/// Stops sending, then reads and discards what the client still sends until it
/// closes (bounded in bytes and time). Closing at once would make the client's
/// pending write fail with EPIPE or a reset before it could read our error.
void ControlSession::linger_then_close() {
    if (!open_ || lingering_) {
        return;
    }
    lingering_ = true;
    boost::system::error_code ignored;
    socket_.shutdown(Socket::shutdown_send, ignored);
    auto self = shared_from_this();
    linger_timer_.expires_after(std::chrono::seconds(2));
    linger_timer_.async_wait([this, self](const boost::system::error_code& ec) {
        if (!ec && open_) { // lingerers of one sweep end together: close in batches
            end_session();
            budget_->close_later(self);
        }
    });
    if (!reading_) {
        do_drain();
    }
}

/// Reads and drops client bytes while lingering.
void ControlSession::do_drain() {
    auto self = shared_from_this();
    socket_.async_read_some(asio::buffer(drain_), [this, self](const boost::system::error_code& ec,
                                                               std::size_t n) {
        drained_ += n;
        if (ec || !open_ || drained_ > max_drain_bytes) {
            close();
            return;
        }
        do_drain();
    });
}

void ControlSession::close() {
    if (!open_) {
        return;
    }
    end_session();
    close_socket();
}

/// Everything of closing but the socket: no more input, output or events, the
/// place under the caps given back, the buffers freed.
void ControlSession::end_session() {
    open_ = false;
    backend_.session_ended(*this);
    if (listening_as_) {
        listening_as_.reset();
        backend_.unlisten(this);
    }
    if (admitted_) {
        budget_->release(*admitted_);
        admitted_.reset();
    }
    linger_timer_.cancel();
    out_.clear();
    reader_.next();
}

void ControlSession::close_socket() noexcept {
    boost::system::error_code ignored;
    socket_.shutdown(Socket::shutdown_both, ignored);
    socket_.close(ignored);
}

} // namespace cpd::daemon
