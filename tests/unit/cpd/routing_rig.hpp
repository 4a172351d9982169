// SPDX-License-Identifier: MIT
// What the routing unit tests share: guests with real segments and doorbells
// but no process (cpd's side is the Guest; the test plays the guest through
// its own mapping of the segment), and recording stand-ins for GuestControl
// and GuestCommands. A guest's "pid" is this test's, so nothing is ever killed.
#pragma once

#include "guests/guest.hpp"
#include "routing/guest_control.hpp"

#include "cpd/ipc/ring_frames.hpp"
#include "cpd/ipc/segment.hpp"
#include "cpd/proto/ring_frame.hpp"
#include "cpd/proto/ring_layout.hpp"

#include <doctest/doctest.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

namespace cpd::daemon::test {

/// A userid from text; the test fails if it is invalid.
inline proto::Userid userid(std::string_view text) {
    auto u = proto::Userid::parse(text);
    REQUIRE(u);
    return *u;
}

/// One guest: cpd's entry (in a table) and the guest's own ends of the rings.
struct RigGuest {
    std::shared_ptr<Guest> cpd;
    ipc::Segment mine;        ///< the guest's mapping of the segment
    ipc::RingReader inbound;  ///< the guest reads what cpd pushed
    ipc::RingWriter outbound; ///< the guest writes frames for cpd

    /// Pops the next frame cpd pushed, decoded; nullopt if none is visible.
    std::optional<proto::CpdFrame> next() {
        std::uint32_t type = 0;
        if (inbound.pop(type, last_payload_) != ipc::RingStatus::ok) {
            return std::nullopt;
        }
        auto f = proto::decode_cpd_frame(type, last_payload_);
        REQUIRE(f);
        return *f;
    }
    /// Writes a frame for cpd and rings cpd's doorbell if it sleeps.
    template <class Frame> void say(const Frame& frame) {
        REQUIRE(ipc::push_frame(outbound, frame) == ipc::RingStatus::ok);
        outbound.wake_if_sleeping(cpd->outbound_bell);
    }
    /// The shared control line of the inbound ring, as a hostile guest may write it.
    proto::RingControl& inbound_control() {
        proto::SegmentHeader h{};
        std::memcpy(&h, base(), sizeof h);
        return *reinterpret_cast<proto::RingControl*>(base() + h.ring_offset[proto::inbound_ring]);
    }

    std::vector<std::byte> last_payload_; ///< storage the last frame's views point into
    std::shared_ptr<std::byte> map_;

  private:
    std::byte* base() {
        if (!map_) {
            const int fd = cpd->segment.fd();
            const off_t size = ::lseek(fd, 0, SEEK_END);
            void* p = ::mmap(nullptr, static_cast<std::size_t>(size), PROT_READ | PROT_WRITE,
                             MAP_SHARED, fd, 0);
            REQUIRE(p != MAP_FAILED);
            map_ = std::shared_ptr<std::byte>(static_cast<std::byte*>(p), [size](std::byte* q) {
                ::munmap(q, static_cast<std::size_t>(size));
            });
        }
        return map_.get();
    }
};

/// Builds a guest with rings of `ring_bytes` each way and puts it in `table`.
inline RigGuest add_guest(boost::asio::io_context& io, GuestTable& table, std::string_view name,
                          std::uint32_t ring_bytes = 64 * 1024) {
    std::error_code ec;
    auto segment = ipc::Segment::create(ipc::SegmentGeometry{ring_bytes, ring_bytes}, name, ec);
    REQUIRE_FALSE(ec);
    auto in_bell = ipc::Doorbell::create(ec);
    REQUIRE_FALSE(ec);
    auto out_bell = ipc::Doorbell::create(ec);
    REQUIRE_FALSE(ec);
    ipc::Segment mine = ipc::Segment::adopt(::fcntl(segment.fd(), F_DUPFD_CLOEXEC, 0), ec);
    REQUIRE_FALSE(ec);
    RigGuest g;
    g.cpd =
        std::make_shared<Guest>(io, userid(name), ::getpid(), std::move(segment),
                                std::move(in_bell), std::move(out_bell));
    g.inbound = mine.reader(proto::inbound_ring);
    g.outbound = mine.writer(proto::outbound_ring);
    g.mine = std::move(mine);
    table[g.cpd->userid] = g.cpd;
    return g;
}

/// GuestControl that records what routing asked for.
class RecordingControl final : public GuestControl {
  public:
    void force_off(Guest& guest, std::string_view reason) override {
        forced.push_back(std::string(guest.userid.str()) + ": " + std::string(reason));
    }
    void logoff_requested(Guest& guest) override { logoffs.emplace_back(guest.userid.str()); }
    void panicked(Guest& guest, std::string_view what) override {
        panics.push_back(std::string(guest.userid.str()) + ": " + std::string(what));
    }
    std::vector<std::string> forced, logoffs, panics;
};

/// GuestCommands that answers every command with `answer` and records it.
class ScriptedCommands final : public GuestCommands {
  public:
    GuestCommandResult run_for_guest(Guest& guest, std::string_view text) override {
        commands.push_back(std::string(guest.userid.str()) + ": " + std::string(text));
        return answer;
    }
    GuestCommandResult answer{proto::CpRc::ok, "OK"};
    std::vector<std::string> commands;
};

} // namespace cpd::daemon::test
