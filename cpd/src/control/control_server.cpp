// SPDX-License-Identifier: MIT
// The accept loop. Connections are accepted with accept4(SOCK_CLOEXEC), so no
// guest forked later can inherit one (asio's own accept sets no flags). A peer
// over max_clients or max_clients_per_uid is told why and closed at once,
// before any session exists for it. Accept errors other than shutdown are
// logged and the loop goes on (EMFILE must not stop cpd serving the clients it
// has). A sweep timer applies every session's deadlines.
#include "control/control_server.hpp"

#include "cpd/ipc/log.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <vector>

#include <sys/socket.h>
#include <unistd.h>

namespace cpd::daemon {
namespace asio = boost::asio;

namespace {

/// How often deadlines are checked: a quarter of the shortest timeout, so a
/// session ends at most 25 % late, but between 100 ms and 1 s.
std::chrono::milliseconds sweep_interval(const ClientLimits& l) {
    std::chrono::milliseconds shortest{1000 * 4};
    for (auto t : {l.hello, l.frame, l.idle, l.write}) {
        if (t.count() > 0) {
            shortest = std::min(shortest, t);
        }
    }
    return std::clamp(shortest / 4, std::chrono::milliseconds(100), std::chrono::milliseconds(1000));
}

} // namespace

ControlServer::ControlServer(asio::io_context& io, int listening_fd, ControlBackend& backend,
                             ClientLimits limits)
    : acceptor_(io, asio::local::stream_protocol(), listening_fd), backend_(backend),
      budget_(std::make_shared<ClientBudget>(limits)), sweep_timer_(io) {
    acceptor_.non_blocking(true); // a connection gone between wake-up and accept4: EAGAIN
}

void ControlServer::start() {
    do_accept();
    do_sweep();
}

void ControlServer::set_limits(const ClientLimits& limits) { budget_->set_limits(limits); }

/// Waits for a pending connection, then accepts it.
void ControlServer::do_accept() {
    acceptor_.async_wait(asio::socket_base::wait_read, [this](const boost::system::error_code& ec) {
        if (ec == asio::error::operation_aborted || !acceptor_.is_open()) {
            return;
        }
        if (ec) {
            CPD_LOG(warn, "control: accept failed: ", ec.message());
            retry_accept_later();
            return;
        }
        on_acceptable();
    });
}

/// Accepts one connection close-on-exec and admits or refuses it.
void ControlServer::on_acceptable() {
    const int fd = ::accept4(acceptor_.native_handle(), nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) {
        const int e = errno;
        if (e == EAGAIN || e == EWOULDBLOCK || e == EINTR || e == ECONNABORTED) {
            do_accept();
            return;
        }
        CPD_LOG(warn, "control: accept failed: ", std::strerror(e));
        retry_accept_later();
        return;
    }
    admit(fd);
    do_accept();
}

/// Starts a session for `fd` if its uid is within the caps, else refuses it.
void ControlServer::admit(int fd) {
    auto cred = peer_credentials(fd);
    if (!cred) {
        ::close(fd); // gone already
        return;
    }
    if (std::string why = budget_->refusal(cred->uid); !why.empty()) {
        refuse_peer(fd, *cred, why);
        return;
    }
    ControlSession::Socket socket(acceptor_.get_executor());
    boost::system::error_code ec;
    socket.assign(asio::local::stream_protocol(), fd, ec);
    if (ec) {
        ::close(fd);
        CPD_LOG(warn, "control: unable to watch a new connection: ", ec.message());
        return;
    }
    auto session = std::make_shared<ControlSession>(std::move(socket), backend_, budget_);
    budget_->admit(cred->uid);
    session->set_admitted(cred->uid);
    if (sessions_.size() > 2 * budget_->clients() + 64) { // amortized: closed ones pile up
        sessions_.remove_if([](const auto& w) { return w.expired(); });
    }
    sessions_.push_back(session);
    session->start();
}

/// Tells a peer over a cap why, and closes it at once. What it already sent is
/// read first (one bounded, non-blocking read), so the close does not reset the
/// connection before the client can read the reason.
void ControlServer::refuse_peer(int fd, const PeerCredentials& cred, std::string_view reason) {
    budget_->log("control: uid " + std::to_string(cred.uid) + " (pid " + std::to_string(cred.pid) +
                 "): refused: " + std::string(reason));
    static std::array<std::byte, 16 * 1024> discard;
    (void)::recv(fd, discard.data(), discard.size(), MSG_DONTWAIT);
    std::vector<std::byte> bytes;
    proto::append_frame(bytes, proto::ServerError{proto::CpRc::busy,
                                                  "HCPCON050E Connection refused: " +
                                                      std::string(reason)});
    (void)::send(fd, bytes.data(), bytes.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
    ::shutdown(fd, SHUT_WR);
    ::close(fd);
}

/// Accepts again after 100 ms, so a persistent error (EMFILE) does not spin.
void ControlServer::retry_accept_later() {
    auto t = std::make_shared<asio::steady_timer>(acceptor_.get_executor(),
                                                  std::chrono::milliseconds(100));
    t->async_wait([this, t](const boost::system::error_code&) { do_accept(); });
}

/// Applies every session's deadlines, forgets closed ones, and reports the
/// log lines the rate limit held back.
void ControlServer::do_sweep() {
    sweep_timer_.expires_after(sweep_interval(budget_->limits()));
    sweep_timer_.async_wait([this](const boost::system::error_code& ec) {
        if (ec) {
            return;
        }
        const auto now = ControlSession::Clock::now();
        for (auto it = sessions_.begin(); it != sessions_.end();) {
            if (auto s = it->lock(); s && s->is_open()) {
                s->check_deadlines(now);
                ++it;
            } else {
                it = sessions_.erase(it);
            }
        }
        budget_->log_suppressed();
        do_sweep();
    });
}

void ControlServer::stop_accepting() {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
}

void ControlServer::close_all() {
    sweep_timer_.cancel();
    for (auto& w : sessions_) {
        if (auto s = w.lock()) {
            s->close();
        }
    }
    sessions_.clear();
    budget_->close_pending();
}

} // namespace cpd::daemon
