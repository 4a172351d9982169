// SPDX-License-Identifier: MIT
// ControlServer: the listening Unix socket (bound by cpd or passed by
// systemd), its accept loop and the admission of clients against the session
// caps; keeps weak references to its sessions so a periodic sweep can apply
// their deadlines and a shutdown can close them all.
#pragma once

#include "control/clients/client_budget.hpp"
#include "control/control_session.hpp"

#include <list>
#include <memory>
#include <string_view>

#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/steady_timer.hpp>

namespace cpd::daemon {

/// Accepts client connections and starts a ControlSession for each.
class ControlServer {
public:
    /// Adopts an already listening socket fd; clients get `limits`.
    ControlServer(boost::asio::io_context& io, int listening_fd, ControlBackend& backend,
                  ClientLimits limits = {});
    /// Starts accepting.
    void start();
    /// Stops accepting (keeps open sessions).
    void stop_accepting();
    /// Closes every session.
    void close_all();
    /// New limits after a reload (see ClientBudget::set_limits).
    void set_limits(const ClientLimits& limits);
    /// The shared budget: limits and counts of open sessions.
    const ClientBudget& budget() const noexcept { return *budget_; }

private:
    void do_accept();
    void on_acceptable();
    void retry_accept_later();
    void admit(int fd);
    void refuse_peer(int fd, const PeerCredentials& cred, std::string_view reason);
    void do_sweep();

    boost::asio::local::stream_protocol::acceptor acceptor_;
    ControlBackend& backend_;
    std::shared_ptr<ClientBudget> budget_;
    std::list<std::weak_ptr<ControlSession>> sessions_;
    boost::asio::steady_timer sweep_timer_;
};

} // namespace cpd::daemon
