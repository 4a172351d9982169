// SPDX-License-Identifier: MIT
// SpoolService's state and data path: the queues, open files, writes, reads,
// CLOSE and delivery to a reader. The other commands are in spool_commands.cpp.
//
// Space: every write is counted against the bound before it is written; the
// write that would pass it purges the open file (as z/VM ends a file that
// finds no spool space), answers HCPSPL427E, and warns the operator once until
// usage falls under the bound again.
#include "spool/spool_devices.hpp"
#include "spool/spool_format.hpp"

#include "cpd/ipc/log.hpp"

#include <algorithm>
#include <cstdio>
#include <ctime>

namespace cpd::daemon {

using namespace spool_words;

SpoolService::SpoolService(const std::string& state_dir, std::uint64_t space_bytes)
    : store_(state_dir + "/spool"), space_(space_bytes) {}

SpoolService::~SpoolService() {
    for (auto& [id, u] : units_) {
        for (Device* d : {&u.pun, &u.prt}) {
            drop_open(*d);
        }
    }
}

void SpoolService::load() {
    for (SpoolFile& f : store_.load()) {
        if (find(f.spoolid) != nullptr) {
            CPD_LOG(warn, "spool: ignoring file ", f.key, ": spoolid ", f.spoolid, " used twice");
            continue;
        }
        next_key_ = std::max(next_key_, f.key + 1);
        next_order_ = std::max(next_order_, f.order + 1);
        last_spoolid_ = std::max(last_spoolid_, f.spoolid);
        used_ += f.bytes;
        files_.emplace(f.key, std::move(f));
    }
    CPD_LOG(info, "spool: ", files_.size(), " files, ", used_ >> 20, " of ", space_ >> 20,
            " MiB in use, in ", store_.dir());
}

SpoolService::UserUnit& SpoolService::unit(const proto::Userid& userid) {
    return units_[userid];
}

SpoolService::Device* SpoolService::device(const proto::Userid& userid, std::uint16_t vdev) {
    UserUnit& u = unit(userid);
    switch (vdev) {
    case reader_vdev:
        return &u.rdr;
    case punch_vdev:
        return &u.pun;
    case printer_vdev:
        return &u.prt;
    default:
        return nullptr;
    }
}

std::optional<std::uint16_t> SpoolService::free_spoolid() {
    std::vector<bool> used(10000, false);
    for (const auto& [k, f] : files_) {
        used[f.spoolid] = true;
    }
    for (const auto& [id, u] : units_) {
        for (const Device* d : {&u.pun, &u.prt}) {
            if (d->open) {
                used[d->open->spoolid] = true;
            }
        }
    }
    for (unsigned step = 1; step <= 9999; ++step) { // after the last one given, as CP counts
        const auto id = static_cast<std::uint16_t>((last_spoolid_ + step - 1) % 9999 + 1);
        if (!used[id]) {
            last_spoolid_ = id;
            return id;
        }
    }
    return std::nullopt;
}

SpoolFile* SpoolService::find(std::uint16_t spoolid) {
    for (auto& [k, f] : files_) {
        if (f.spoolid == spoolid) {
            return &f;
        }
    }
    return nullptr;
}

const SpoolFile* SpoolService::find(std::uint16_t spoolid) const {
    return const_cast<SpoolService*>(this)->find(spoolid);
}

std::vector<const SpoolFile*> SpoolService::queue_of(const proto::Userid* owner,
                                                     SpoolDevice queue) const {
    std::vector<const SpoolFile*> out;
    for (const auto& [k, f] : files_) {
        if (f.queue == queue && (owner == nullptr || f.owner == *owner)) {
            out.push_back(&f);
        }
    }
    std::sort(out.begin(), out.end(),
              [](const SpoolFile* a, const SpoolFile* b) { return a->order < b->order; });
    return out;
}

bool SpoolService::deliver(SpoolFile& f, const proto::Userid& to, SpoolDevice queue) {
    if (f.owner != to) {
        const std::uint16_t old = f.spoolid;
        f.spoolid = 0; // free its own id for the search
        const auto id = free_spoolid();
        if (!id) {
            f.spoolid = old;
            return false;
        }
        f.spoolid = *id;
    }
    f.owner = to;
    f.queue = queue;
    f.order = next_order_++;
    store_.save_meta(f);
    if (queue == SpoolDevice::rdr && notify_) {
        notify_(f, arrival_message(f));
    }
    return true;
}

CpOutcome SpoolService::write(const SpoolCaller& c, const proto::SpoolWrite& frame) {
    const std::uint16_t vdev = frame.vdev;
    const std::span<const std::byte> records = frame.records;
    Device* d = device(c.userid, vdev);
    if (d == nullptr || d->kind == SpoolDevice::rdr) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "%04X", vdev);
        return no_device("SPL", d == nullptr ? buf : "000C");
    }
    if (d->failed) {
        return *d->failed;
    }
    if (d->open && d->writer != c.writer) {
        return {proto::CpRc::spool_busy, "HCPSPL016E " + std::string(proto::device_name(d->kind)) +
                                             " has an open file from another writer"};
    }
    if (!d->open) {
        const auto id = free_spoolid();
        if (!id) {
            return {proto::CpRc::spool_id_limit, "HCP439E Spool file id limit exceeded"};
        }
        SpoolFile f(c.userid);
        f.key = next_key_++;
        f.spoolid = f.origin_spoolid = *id;
        f.queue = f.made_on = d->kind;
        f.created = static_cast<std::int64_t>(std::time(nullptr));
        if (!store_.begin(d->draft, f.key)) {
            return {proto::CpRc::spool_full, "HCPSPL427E Spool space unavailable"};
        }
        d->open = std::move(f);
        d->writer = c.writer;
    }
    if (used_ + records.size() > space_) {
        char buf[96];
        std::snprintf(buf, sizeof buf, "HCPSPL427E Spool space full; %s file %04u purged",
                      proto::device_name(d->kind).data(), static_cast<unsigned>(d->open->spoolid));
        CPD_LOG(warn, "spool: ", c.userid.str(), ": refused: ", buf);
        warn_space();
        drop_open(*d);
        d->failed = CpOutcome{proto::CpRc::spool_full, buf};
        d->writer = c.writer; // abandon() clears the failure with its writer
        return *d->failed;
    }
    if (!store_.append(d->draft, records)) {
        drop_open(*d);
        d->failed =
            CpOutcome{proto::CpRc::spool_full, "HCPSPL427E Spool space unavailable; file purged"};
        d->writer = c.writer;
        return *d->failed;
    }
    used_ += records.size();
    d->open->bytes += records.size();
    d->open->records += frame.record_count;
    return {};
}

void SpoolService::warn_space() {
    if (!warned_full_) {
        warned_full_ = true;
        CPD_LOG(warn, "spool: space full: ", used_ >> 20, " of ", space_ >> 20,
                " MiB in use (spool-mib); writes are refused until files are purged");
    }
}

void SpoolService::drop_open(Device& d) {
    if (d.open) {
        used_ -= std::min(used_, d.open->bytes);
        store_.discard(d.draft);
        d.open.reset();
        d.writer = nullptr;
    }
}

void SpoolService::abandon(const void* writer) {
    if (writer == nullptr) {
        return;
    }
    for (auto& [id, u] : units_) {
        for (Device* d : {&u.pun, &u.prt}) {
            if (!d->open && d->writer == writer) {
                d->failed.reset();
                d->writer = nullptr;
            }
            if (d->open && d->writer == writer) {
                CPD_LOG(info, "spool: ", id.str(), ": open ", proto::device_name(d->kind), " file ",
                        d->open->spoolid, " purged: its writer went away");
                drop_open(*d);
            }
        }
    }
}

void SpoolService::remove_file(std::uint64_t key) {
    auto it = files_.find(key);
    if (it == files_.end()) {
        return;
    }
    used_ -= std::min(used_, it->second.bytes);
    store_.remove(key);
    files_.erase(it);
    if (used_ < space_ / 10 * 9) {
        warned_full_ = false;
    }
}

SpoolService::ReadResult SpoolService::read(const SpoolCaller& c, std::uint16_t spoolid,
                                            std::uint64_t offset,
                                            std::vector<std::byte>& out) const {
    ReadResult r;
    out.clear();
    const SpoolFile* f = find(spoolid);
    const auto u = units_.find(c.userid);
    const char rdr_class = u == units_.end() ? '*' : u->second.rdr.spool_class;
    if (f == nullptr || (!c.class_d && (f->owner != c.userid || f->queue != SpoolDevice::rdr)) ||
        (rdr_class != '*' && f->owner == c.userid && f->spool_class != rdr_class)) {
        r.outcome = no_spoolid("RDR", spoolid);
        return r;
    }
    if (f->hold && f->owner == c.userid) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "HCPRDR043E Reader file %04u is held",
                      static_cast<unsigned>(spoolid));
        r.outcome = {proto::CpRc::spool_held, buf};
        return r;
    }
    if (offset > f->bytes) {
        r.outcome = missing_operand("RDR");
        return r;
    }
    out.resize(static_cast<std::size_t>(
        std::min<std::uint64_t>(proto::spool_chunk_max, f->bytes - offset)));
    const long got = store_.read(f->key, offset, out);
    if (got < 0) {
        CPD_LOG(error, "spool: unable to read spool file ", f->key, ".data");
        r.outcome = no_spoolid("RDR", spoolid);
        out.clear();
        return r;
    }
    out.resize(static_cast<std::size_t>(got));
    std::size_t take = 0; // whole records up to the target, or the first one alone
    bool full = false;
    proto::for_each_record(out, [&](std::span<const std::byte> rec) {
        const std::size_t n = rec.size() + 2;
        if (full || (take != 0 && take + n > proto::spool_chunk_target)) {
            full = true;
            return;
        }
        take += n;
    });
    if (take == 0 && offset < f->bytes) { // not a record boundary
        out.clear();
        r.outcome = missing_operand("RDR");
        return r;
    }
    out.resize(take);
    r.next = offset + take;
    r.eof = r.next >= f->bytes;
    return r;
}

std::string SpoolService::files_line(const proto::Userid& userid) const {
    return daemon::files_line(queue_of(&userid, SpoolDevice::rdr).size(),
                              queue_of(&userid, SpoolDevice::prt).size(),
                              queue_of(&userid, SpoolDevice::pun).size());
}

} // namespace cpd::daemon
