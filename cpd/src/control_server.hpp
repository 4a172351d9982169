// SPDX-License-Identifier: MIT
// ControlServer: the listening Unix socket (bound by cpd or passed by
// systemd) and its accept loop; keeps weak references to its sessions so a
// shutdown can close them all before the daemon's objects go away.
#pragma once

#include "control_session.hpp"

#include <list>
#include <memory>

#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>

namespace cpd::daemon {

/// Accepts client connections and starts a ControlSession for each.
class ControlServer {
public:
    /// Adopts an already listening socket fd.
    ControlServer(boost::asio::io_context& io, int listening_fd, ControlBackend& backend);
    /// Starts accepting.
    void start();
    /// Stops accepting (keeps open sessions).
    void stop_accepting();
    /// Closes every session.
    void close_all();

private:
    void do_accept();
    void on_acceptable();
    void retry_accept_later();

    boost::asio::local::stream_protocol::acceptor acceptor_;
    ControlBackend& backend_;
    std::list<std::weak_ptr<ControlSession>> sessions_;
};

} // namespace cpd::daemon
