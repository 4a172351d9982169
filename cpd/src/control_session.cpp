// SPDX-License-Identifier: MIT
// A client connection: the read loop (header, payload, decode, dispatch) and
// the bounded write queue. Every error path ends in close(); no exception
// leaves a handler and no client can make cpd block or grow without bound.
#include "control_session.hpp"

#include "cpd/ipc/log.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

namespace cpd::daemon {
namespace asio = boost::asio;

ControlSession::ControlSession(Socket socket, ControlBackend& backend)
    : socket_(std::move(socket)), backend_(backend), linger_timer_(socket_.get_executor()) {}

void ControlSession::start() {
    auto cred = peer_credentials(socket_.native_handle());
    if (!cred) {
        close();
        return;
    }
    uid_ = cred->uid;
    if (current_caller() == nullptr) {
        CPD_LOG(warn, "control: uid ", uid_, " (pid ", cred->pid, "): refused: no directory entry");
        refuse();
        return;
    }
    do_read_header();
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

void ControlSession::do_read_header() {
    auto self = shared_from_this();
    asio::async_read(socket_, asio::buffer(header_),
                     [this, self](const boost::system::error_code& ec, std::size_t) {
                         if (ec || !open_) {
                             close();
                             return;
                         }
                         auto h = proto::decode_socket_header(header_);
                         if (!h) {
                             fail(proto::CpRc::invalid_operand,
                                  "cpd: bad frame header: " +
                                      std::string(proto::describe(h.error())));
                             return;
                         }
                         do_read_payload(h->type, h->length);
                     });
}

void ControlSession::do_read_payload(std::uint16_t type, std::uint32_t length) {
    payload_.resize(length);
    if (length == 0) {
        on_frame(type);
        return;
    }
    auto self = shared_from_this();
    asio::async_read(socket_, asio::buffer(payload_),
                     [this, self, type](const boost::system::error_code& ec, std::size_t) {
                         if (ec || !open_) {
                             close();
                             return;
                         }
                         on_frame(type);
                     });
}

/// Decodes and authorizes one frame, runs it, and reads the next.
void ControlSession::on_frame(std::uint16_t type) {
    auto frame = proto::decode_client_frame(type, payload_);
    if (!frame) {
        proto::errc e = frame.error();
        if (e == proto::errc::text_too_long || e == proto::errc::bad_text ||
            e == proto::errc::bad_userid) { // well framed, bad operand: answer and go on
            bool userid = e == proto::errc::bad_userid;
            send(proto::ServerCpResponse{
                userid ? proto::CpRc::invalid_userid : proto::CpRc::invalid_operand,
                userid ? "HCPMSG020E Userid missing or invalid"
                       : "HCPMSG026E Text missing or invalid: " + std::string(proto::describe(e))});
            do_read_header();
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
    if (open_ && !close_after_write_) {
        do_read_header();
    }
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

void ControlSession::send(const proto::ServerFrame& frame) {
    if (!open_ || close_after_write_) {
        return;
    }
    std::vector<std::byte> bytes;
    proto::append_frame(bytes, frame);
    queued_bytes_ += bytes.size();
    if (queued_bytes_ > max_queued_bytes) {
        CPD_LOG(warn, "control: uid ", uid_, ": client does not read its replies; dropped");
        close();
        return;
    }
    queue_.push_back(std::move(bytes));
    if (!writing_) {
        do_write();
    }
}

void ControlSession::do_write() {
    if (queue_.empty()) {
        writing_ = false;
        if (close_after_write_) {
            linger_then_close();
        }
        return;
    }
    writing_ = true;
    auto self = shared_from_this();
    asio::async_write(socket_, asio::buffer(queue_.front()),
                      [this, self](const boost::system::error_code& ec, std::size_t) {
                          if (ec || !open_) {
                              close();
                              return;
                          }
                          queued_bytes_ -= queue_.front().size();
                          queue_.pop_front();
                          do_write();
                      });
}

void ControlSession::fail(proto::CpRc rc, std::string_view text) {
    send(proto::ServerError{rc, text});
    close_after_write_ = true;
    if (!writing_) {
        linger_then_close();
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
        if (!ec) {
            close();
        }
    });
    do_drain();
}

/// Reads and drops client bytes while lingering.
void ControlSession::do_drain() {
    auto self = shared_from_this();
    socket_.async_read_some(asio::buffer(header_), [this, self](const boost::system::error_code& ec,
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
    open_ = false;
    if (listening_as_) {
        listening_as_.reset();
        backend_.unlisten(this);
    }
    boost::system::error_code ignored;
    linger_timer_.cancel();
    socket_.shutdown(Socket::shutdown_both, ignored);
    socket_.close(ignored);
    queue_.clear();
    queued_bytes_ = 0;
}

} // namespace cpd::daemon
