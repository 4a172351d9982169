// SPDX-License-Identifier: MIT
// The accept loop. Accept errors other than shutdown are logged and the loop
// goes on (EMFILE must not stop cpd from serving the clients it has).
#include "control_server.hpp"

#include "cpd/ipc/log.hpp"

#include <boost/asio/steady_timer.hpp>

namespace cpd::daemon {
namespace asio = boost::asio;

ControlServer::ControlServer(asio::io_context& io, int listening_fd, ControlBackend& backend)
    : acceptor_(io, asio::local::stream_protocol(), listening_fd), backend_(backend) {}

void ControlServer::start() { do_accept(); }

void ControlServer::do_accept() {
    acceptor_.async_accept([this](const boost::system::error_code& ec,
                                  asio::local::stream_protocol::socket socket) {
        if (ec == asio::error::operation_aborted || !acceptor_.is_open()) {
            return;
        }
        if (ec) {
            CPD_LOG(warn, "control: accept failed: ", ec.message());
            auto t = std::make_shared<asio::steady_timer>(acceptor_.get_executor(),
                                                          std::chrono::milliseconds(100));
            t->async_wait([this, t](const boost::system::error_code&) { do_accept(); });
            return;
        }
        auto session = std::make_shared<ControlSession>(std::move(socket), backend_);
        sessions_.remove_if([](const auto& w) { return w.expired(); });
        sessions_.push_back(session);
        session->start();
        do_accept();
    });
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
