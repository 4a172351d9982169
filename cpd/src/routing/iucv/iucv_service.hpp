// SPDX-License-Identifier: MIT
// IucvService: plugs IucvPaths into the Router's IUCV seam (iucv_hub.hpp). It
// is the IucvHandler the Router feeds and the IucvSink IucvPaths reports to,
// pushing frames through the Router's GuestPort. Header-only on purpose:
// cpd_iucv must stay free of libipc, so this glue compiles in cpd_core.
#pragma once

#include "config/directory/directory.hpp"
#include "routing/iucv/iucv_hub.hpp"
#include "routing/iucv/iucv_paths.hpp"

#include <cstdint>

namespace cpd::daemon {

/// The IUCV implementation the daemon installs with Router::set_iucv_handler().
/// Thread/process: cpd's one thread only.
class IucvService final : public IucvHandler, private IucvSink {
  public:
    /// Routes through `port` (the Router) and authorizes from `directory`; both must outlive it.
    IucvService(GuestPort& port, const Directory& directory) noexcept
        : port_(port), directory_(directory), paths_(*this) {}

    /// Hands an IUCV frame to IucvPaths; refusals the guest runtime should have
    /// prevented are counted (see rejected()).
    void on_guest_frame(const proto::Userid& from, const proto::GuestFrame& frame) override {
        const auto rc = paths_.handle(from, frame);
        if (rc.has_value() && *rc != proto::IucvRc::ok)
            ++rejected_;
    }
    /// Severs the paths of a guest that is gone and tells its peers.
    void on_guest_gone(const proto::Userid& userid) override { paths_.guest_gone(userid); }

    /// The registry, for QUERY IUCV (query()) and QUERY STATS (totals()).
    const IucvPaths& paths() const noexcept { return paths_; }
    /// IUCV frames answered with an error rc (guest bugs or races such as send-after-sever).
    std::uint64_t rejected() const noexcept { return rejected_; }
    /// Notifications dropped because their guest was already gone.
    std::uint64_t lost_notifications() const noexcept { return lost_; }

  private:
    bool try_deliver(const proto::Userid& to, const proto::CpdFrame& f) override {
        return port_.send_to_guest(to, f) == ipc::RingStatus::ok;
    }
    void notify(const proto::Userid& to, const proto::CpdFrame& f) override {
        if (!port_.notify_guest(to, f)) // a full ring keeps it in the Router's backlog
            ++lost_;
    }
    bool is_logged_on(const proto::Userid& id) const override { return port_.is_logged_on(id); }
    const DirectoryEntry* entry(const proto::Userid& id) const override {
        return directory_.find(id);
    }

    GuestPort& port_;
    const Directory& directory_;
    IucvPaths paths_;
    std::uint64_t rejected_ = 0;
    std::uint64_t lost_ = 0;
};

} // namespace cpd::daemon
