// SPDX-License-Identifier: MIT
// SpoolService: cpd's spool. Every userid has a reader (000C), a punch (000D)
// and a printer (000E) whether or not it is logged on, so host tools (vmur)
// and guests share one spool. It keeps the queues (files by owner and queue,
// in ORDER), the devices' SPOOL settings and their open files, the space
// bound, and carries out the spool's CP commands; SpoolStore does the disk.
//
// Who sees what: a file is its owner's (the userid whose queue holds it);
// class D sees and acts on every file. Host clients (vmur) may send to their
// own reader only, class D to anyone's; guests send to anyone, as SENDFILE does.
#pragma once

#include "control/cp_outcome.hpp"
#include "cpd/proto/spool_frame.hpp"
#include "spool/spool_file.hpp"
#include "spool/spool_store.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cpd::daemon {

/// Who acts on the spool.
struct SpoolCaller {
    proto::Userid userid;
    bool class_d = false;         ///< may act on every user's files
    bool is_guest = false;        ///< a guest (not a host client)
    const void* writer = nullptr; ///< the guest or session writing: one writer per open file
};

/// The spool. Thread/process: cpd's one thread.
class SpoolService {
  public:
    /// Tells a logged-on userid of a file now in its reader: the arrival message and the file.
    using Notify = std::function<void(const SpoolFile& file, const std::string& message)>;

    /// Files under `state_dir`/spool, at most `space_bytes` of them in all.
    SpoolService(const std::string& state_dir, std::uint64_t space_bytes);
    ~SpoolService();

    /// Reads the spool directory (after a restart or a crash).
    void load();
    void set_notify(Notify notify) { notify_ = std::move(notify); }
    /// Whether a userid is in the directory (files go only to those).
    void set_known(std::function<bool(const proto::Userid&)> known) { known_ = std::move(known); }

    // The CP commands, each with the operands after its verb.
    CpOutcome spool(const SpoolCaller& c, const std::vector<std::string_view>& ops);
    CpOutcome close(const SpoolCaller& c, const std::vector<std::string_view>& ops);
    CpOutcome purge(const SpoolCaller& c, const std::vector<std::string_view>& ops);
    CpOutcome transfer(const SpoolCaller& c, const std::vector<std::string_view>& ops);
    CpOutcome order(const SpoolCaller& c, const std::vector<std::string_view>& ops);
    CpOutcome change(const SpoolCaller& c, const std::vector<std::string_view>& ops);
    /// QUERY RDR|PRT|PUN ...: `ops` starts with the queue word.
    CpOutcome query(const SpoolCaller& c, const std::vector<std::string_view>& ops) const;

    /// Records for the open file of the caller's punch or printer `vdev`.
    /// `frame` comes from decode_spool_write, which checked and counted its records.
    CpOutcome write(const SpoolCaller& c, const proto::SpoolWrite& frame);
    /// Whole records of reader file `spoolid` from `offset` into `out`.
    struct ReadResult {
        CpOutcome outcome;
        std::uint64_t next = 0;
        bool eof = false;
    };
    ReadResult read(const SpoolCaller& c, std::uint16_t spoolid, std::uint64_t offset,
                    std::vector<std::byte>& out) const;
    /// Purges the open files `writer` left (a session closed, a guest logged off).
    void abandon(const void* writer);

    /// QUERY VIRTUAL RDR|PUN|PRT of `userid`'s unit `kind`: its SPOOL
    /// settings and open file, in z/VM's layout.
    std::string query_virtual(const proto::Userid& userid, SpoolDevice kind) const;
    /// "FILES:   NO RDR, 0001 PRT,   NO PUN" for `userid`.
    std::string files_line(const proto::Userid& userid) const;
    /// Bytes in use (closed and open files) and the bound.
    std::uint64_t used_bytes() const noexcept { return used_; }
    std::uint64_t space_bytes() const noexcept { return space_; }

    struct Device;   ///< a punch's or printer's or reader's SPOOL settings and open file
    struct UserUnit; ///< one userid's three devices

  private:
    UserUnit& unit(const proto::Userid& userid);
    Device* device(const proto::Userid& userid, std::uint16_t vdev);
    std::optional<std::uint16_t> free_spoolid();
    SpoolFile* find(std::uint16_t spoolid);
    const SpoolFile* find(std::uint16_t spoolid) const;
    std::vector<const SpoolFile*> queue_of(const proto::Userid* owner, SpoolDevice queue) const;
    /// Moves a closed file to `to`'s `queue`; a new spoolid when the owner
    /// changes; tells a receiver. Returns false if no spoolid was free.
    bool deliver(SpoolFile& f, const proto::Userid& to, SpoolDevice queue);
    CpOutcome close_device(const SpoolCaller& c, std::uint16_t vdev, Device& d,
                           const std::vector<std::string_view>& ops, std::size_t from);
    void drop_open(Device& d);
    void remove_file(std::uint64_t key);
    void warn_space();

    SpoolStore store_;
    std::uint64_t space_;
    std::uint64_t used_ = 0;
    std::uint64_t next_key_ = 1;
    std::uint64_t next_order_ = 1;
    std::uint16_t last_spoolid_ = 0; ///< spoolids are given in turn, 1-9999, then again
    bool warned_full_ = false;
    std::map<std::uint64_t, SpoolFile> files_; ///< by key
    std::map<proto::Userid, UserUnit> units_;  ///< only users that changed a setting or write
    Notify notify_;
    std::function<bool(const proto::Userid&)> known_;
};

} // namespace cpd::daemon
