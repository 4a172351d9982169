// SPDX-License-Identifier: MIT
// bench_route: cpd's own work per SMSG, alone on one thread: no scheduler, no
// other process, so a loaded machine changes it little. Guest A's outbound
// ring is filled with 64-byte SmsgSends to B (untimed), then one routing round
// is timed as the Poller runs it (Delivery::begin_round, FrameHandler::drain
// until empty, end_round): copy out, decode and check, target lookup, push
// onto B's ring, publish. B's ring is then emptied (untimed). Prints the
// median and the best round in ns per SMSG, beside the floor of the same
// messages moved by a bare RingReader/RingWriter copy (pop, push, no routing).
#include "console/console_hub.hpp"
#include "routing/delivery.hpp"
#include "routing/frame_handler.hpp"
#include "routing/smsg_router.hpp"

#include "cpd/ipc/ring_frames.hpp"
#include "cpd/ipc/segment.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

namespace {

using namespace cpd;
using namespace cpd::daemon;
using Clock = std::chrono::steady_clock;

constexpr std::uint32_t ring_bytes = 1u << 20;
constexpr int batch = 4096; // SMSGs per timed round (360 KiB of records)
constexpr int rounds = 300;

struct NoControl final : GuestControl {
    void force_off(Guest& g, std::string_view why) override {
        std::fprintf(stderr, "bench_route: %s forced off: %.*s\n",
                     std::string(g.userid.str()).c_str(), static_cast<int>(why.size()), why.data());
        std::exit(1);
    }
    void logoff_requested(Guest&) override {}
    void panicked(Guest&, std::string_view) override {}
};
struct NoCommands final : GuestCommands {
    GuestCommandResult run_for_guest(Guest&, std::string_view) override {
        return {proto::CpRc::ok, ""};
    }
};
struct NoIucv final : IucvHandler {
    void on_guest_frame(const proto::Userid&, const proto::GuestFrame&) override {}
    void on_guest_gone(const proto::Userid&) override {}
};

/// A guest without a process: cpd's Guest plus the guest's own ring ends.
struct BenchGuest {
    std::shared_ptr<Guest> cpd;
    ipc::Segment mine;
    ipc::RingReader inbound;
    ipc::RingWriter outbound;
};

BenchGuest add_guest(boost::asio::io_context& io, GuestTable& table, const char* name) {
    std::error_code ec;
    auto segment = ipc::Segment::create(ipc::SegmentGeometry{ring_bytes, ring_bytes}, name, ec);
    auto in_bell = ipc::Doorbell::create(ec);
    auto out_bell = ipc::Doorbell::create(ec);
    ipc::Segment mine = ipc::Segment::adopt(::fcntl(segment.fd(), F_DUPFD_CLOEXEC, 0), ec);
    if (ec) {
        std::fprintf(stderr, "bench_route: %s\n", ec.message().c_str());
        std::exit(1);
    }
    BenchGuest g;
    g.cpd = std::make_shared<Guest>(io, *proto::Userid::parse(name), ::getpid(),
                                    std::move(segment), std::move(in_bell), std::move(out_bell));
    g.inbound = mine.reader(proto::inbound_ring);
    g.outbound = mine.writer(proto::outbound_ring);
    g.mine = std::move(mine);
    table[g.cpd->userid] = g.cpd;
    return g;
}

/// Empties a ring the guest reads (what B's runtime would do), untimed.
void drain_inbound(ipc::RingReader& r) {
    ipc::RecordView v;
    while (r.peek(v) == ipc::RingStatus::ok) {
        r.consume();
    }
}

struct Figures {
    double median = 0, best = 0;
};

Figures figures(std::vector<double> ns_per_msg) {
    std::sort(ns_per_msg.begin(), ns_per_msg.end());
    return {ns_per_msg[ns_per_msg.size() / 2], ns_per_msg.front()};
}

/// cpd's routing round over `batch` SMSGs from A to B.
Figures route_rounds() {
    boost::asio::io_context io;
    GuestTable table;
    NoControl control;
    NoCommands commands;
    BufferingConsoleHub console{100};
    NoIucv iucv;
    Delivery delivery{io, table, control};
    SmsgRouter smsg{table, delivery};
    FrameHandler handler{delivery, smsg, control, commands, console, iucv};
    BenchGuest a = add_guest(io, table, "BENCHA");
    BenchGuest b = add_guest(io, table, "BENCHB");
    std::string text(64, '.');
    text[0] = 'd';
    const proto::SmsgSend send{*proto::Userid::parse("BENCHB"), text};
    std::vector<double> ns;
    for (int r = 0; r < rounds; ++r) {
        for (int i = 0; i < batch; ++i) {
            ipc::push_frame(a.outbound, send);
        }
        a.outbound.publish();
        const auto t0 = Clock::now();
        delivery.begin_round();
        while (handler.drain(*a.cpd).state == Drain::more) {
        }
        delivery.end_round();
        const auto t1 = Clock::now();
        ns.push_back(std::chrono::duration<double, std::nano>(t1 - t0).count() / batch);
        drain_inbound(b.inbound);
    }
    if (b.cpd->counters.routed_in != static_cast<std::uint64_t>(batch) * rounds) {
        std::fprintf(stderr, "bench_route: %llu routed, not %d\n",
                     static_cast<unsigned long long>(b.cpd->counters.routed_in), batch * rounds);
        std::exit(1);
    }
    return figures(ns);
}

/// The same records moved ring to ring with a bare copy: the floor of a hop.
Figures copy_rounds() {
    boost::asio::io_context io;
    GuestTable table;
    BenchGuest a = add_guest(io, table, "BENCHA");
    BenchGuest b = add_guest(io, table, "BENCHB");
    std::string text(64, '.');
    text[0] = 'd';
    const proto::SmsgSend send{*proto::Userid::parse("BENCHB"), text};
    std::vector<double> ns;
    for (int r = 0; r < rounds; ++r) {
        for (int i = 0; i < batch; ++i) {
            ipc::push_frame(a.outbound, send);
        }
        a.outbound.publish();
        const auto t0 = Clock::now();
        ipc::RecordView v;
        while (a.cpd->outbound.peek(v) == ipc::RingStatus::ok) {
            b.cpd->inbound.push(v.type, v.payload);
            a.cpd->outbound.consume();
        }
        b.cpd->inbound.publish();
        const auto t1 = Clock::now();
        ns.push_back(std::chrono::duration<double, std::nano>(t1 - t0).count() / batch);
        drain_inbound(b.inbound);
    }
    return figures(ns);
}

} // namespace

int main() {
    const Figures copy = copy_rounds();
    const Figures route = route_rounds();
    std::printf("method: %d rounds of %d SMSGs of 64 B on one thread; ns per SMSG, median round "
                "(best round)\n\n",
                rounds, batch);
    std::printf("| cpd's work per SMSG                       | ns median | ns best |\n"
                "|-------------------------------------------|--:|--:|\n");
    std::printf("| bare ring-to-ring copy (floor)            | %6.1f | %6.1f |\n", copy.median,
                copy.best);
    std::printf("| routing round (FrameHandler + Delivery)   | %6.1f | %6.1f |\n", route.median,
                route.best);
    return 0;
}
