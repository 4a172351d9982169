// SPDX-License-Identifier: MIT
// The accept loop. Connections are accepted with accept4(SOCK_CLOEXEC), so no
// guest forked later can inherit one (asio's own accept sets no flags). Accept
// errors other than shutdown are logged and the loop goes on (EMFILE must not
// stop cpd from serving the clients it has).
#include "control_server.hpp"

#include "cpd/ipc/log.hpp"

#include <cerrno>
#include <cstring>

#include <boost/asio/steady_timer.hpp>
#include <sys/socket.h>
#include <unistd.h>

namespace cpd::daemon {
namespace asio = boost::asio;

ControlServer::ControlServer(asio::io_context& io, int listening_fd, ControlBackend& backend)
    : acceptor_(io, asio::local::stream_protocol(), listening_fd), backend_(backend) {
    acceptor_.non_blocking(true); // a connection gone between wake-up and accept4: EAGAIN
}

void ControlServer::start() { do_accept(); }

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

/// Accepts one connection close-on-exec and starts its session.
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
    ControlSession::Socket socket(acceptor_.get_executor());
    boost::system::error_code ec;
    socket.assign(asio::local::stream_protocol(), fd, ec);
    if (ec) {
        ::close(fd);
        CPD_LOG(warn, "control: unable to watch a new connection: ", ec.message());
        retry_accept_later();
        return;
    }
    auto session = std::make_shared<ControlSession>(std::move(socket), backend_);
    sessions_.remove_if([](const auto& w) { return w.expired(); });
    sessions_.push_back(session);
    session->start();
    do_accept();
}

/// Accepts again after 100 ms, so a persistent error (EMFILE) does not spin.
void ControlServer::retry_accept_later() {
    auto t = std::make_shared<asio::steady_timer>(acceptor_.get_executor(),
                                                  std::chrono::milliseconds(100));
    t->async_wait([this, t](const boost::system::error_code&) { do_accept(); });
}

void ControlServer::stop_accepting() {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
}

void ControlServer::close_all() {
    for (auto& w : sessions_) {
        if (auto s = w.lock()) {
            s->close();
        }
    }
    sessions_.clear();
}

} // namespace cpd::daemon
