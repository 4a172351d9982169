// SPDX-License-Identifier: MIT
// The seam between the Router and IUCV: the Router hands every IUCV frame a
// guest sends to an IucvHandler, and tells it when a guest is gone. The real
// implementation lives in routing/iucv/iucv_*; until it is wired in, the default
// refuses CONNECTs and SENDs so that no guest waits for an answer forever.
#pragma once

#include "cpd/ipc/ring.hpp"
#include "cpd/proto/ring_frame.hpp"
#include "cpd/proto/userid.hpp"

namespace cpd::daemon {

/// What an IUCV implementation may do to guests (implemented by the Router).
class GuestPort {
public:
    virtual ~GuestPort() = default;
    /// True if `userid` is logged on and running.
    virtual bool is_logged_on(const proto::Userid& userid) const = 0;
    /// Pushes a frame to a guest's inbound ring; the wake-up is batched by the Router.
    /// ok, full (dropped; also while the guest has a notification backlog, so frames
    /// keep their order), or empty when the guest is not logged on.
    virtual ipc::RingStatus send_to_guest(const proto::Userid& userid,
                                          const proto::CpdFrame& frame) = 0;
    /// Pushes a frame that must not be lost: on a full ring it waits in a bounded
    /// per-guest backlog, flushed in order as the guest drains its ring (a guest that
    /// lets the backlog overflow is forced off). False if the guest is gone (dropped).
    /// The default (for test doubles) is a plain send_to_guest.
    virtual bool notify_guest(const proto::Userid& userid, const proto::CpdFrame& frame) {
        return send_to_guest(userid, frame) != ipc::RingStatus::empty;
    }
};

/// Receives the IUCV frames guests send.
class IucvHandler {
public:
    virtual ~IucvHandler() = default;
    /// An IUCV frame (IucvConnect ... IucvResume) from `from`.
    virtual void on_guest_frame(const proto::Userid& from, const proto::GuestFrame& frame) = 0;
    /// `userid` logged off, was forced or died: sever its paths.
    virtual void on_guest_gone(const proto::Userid& userid) = 0;
};

/// The stand-in when no IUCV implementation is installed: CONNECT -> IucvFailed(not_authorized),
/// SEND/REPLY -> IucvSendFailed(invalid_path), everything else ignored.
class RefusingIucvHandler : public IucvHandler {
public:
    explicit RefusingIucvHandler(GuestPort& port) : port_(port) {}
    void on_guest_frame(const proto::Userid& from, const proto::GuestFrame& frame) override;
    void on_guest_gone(const proto::Userid&) override {}

private:
    GuestPort& port_;
};

} // namespace cpd::daemon
