// SPDX-License-Identifier: MIT
// SpoolFrames: the spool's data on the wire. Guests' SpoolWrite and SpoolRead
// frames come off their rings through the FrameHandler; vmur's come on the
// control socket. Writes are answered only when they fail (a CP message on a
// ring, a ServerCpResponse per frame on the socket, which is vmur's flow
// control); a read is answered by one SpoolData chunk, so a reader pulls a
// file a chunk at a time and never has more than one chunk in flight.
// It also tells a logged-on guest that a file arrived in its reader: the
// arrival message on its console and the ReaderFileArrived frame.
#pragma once

#include "control/control_session.hpp"
#include "routing/router.hpp"
#include "spool/spool_service.hpp"

#include <cstdint>
#include <deque>
#include <span>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

namespace cpd::daemon {

/// The spool's frames. Thread/process: cpd's one thread.
class SpoolFrames final : public SpoolFrameSink {
  public:
    SpoolFrames(boost::asio::io_context& io, SpoolService& spool, Router& router);

    bool on_spool_frame(Guest& guest, std::uint32_t type,
                        std::span<const std::byte> payload) override;
    /// A spool frame from a client acting as `caller`; false for a type it does not take.
    bool on_client_frame(ControlSession& session, const Caller& caller, std::uint16_t type,
                         std::span<const std::byte> payload);
    /// A file is now in `file.owner`'s reader: tells the guest if it is logged
    /// on; the arrival message only when `show_message` (SET IMSG is not OFF).
    void on_arrival(const SpoolFile& file, const std::string& message, bool show_message);

  private:
    /// A frame for a guest whose ring was full, retried shortly.
    struct Pending {
        proto::Userid to;
        std::uint32_t type;
        std::vector<std::byte> payload;
    };
    void send(const proto::Userid& to, std::uint32_t type, std::vector<std::byte> payload);
    void do_retry();

    SpoolService& spool_;
    Router& router_;
    boost::asio::steady_timer retry_;
    std::deque<Pending> pending_;
    bool retrying_ = false;
    std::vector<std::byte> chunk_; ///< reused read buffer
};

} // namespace cpd::daemon
