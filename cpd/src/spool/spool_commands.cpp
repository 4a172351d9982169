// SPDX-License-Identifier: MIT
// The spool's CP commands on SpoolService: SPOOL, CLOSE, PURGE, TRANSFER,
// ORDER, CHANGE and QUERY RDR|PRT|PUN, with z/VM's operands and abbreviations
// and its responses (spool_format.hpp). The command files in
// control/commands/ hand their operands here.
#include "spool/spool_devices.hpp"
#include "spool/spool_format.hpp"

#include "cpd/ipc/log.hpp"

#include <algorithm>
#include <cstdio>

namespace cpd::daemon {

using namespace spool_words;
using Ops = std::vector<std::string_view>;

namespace {

/// A host client sends to its own reader only; class D and guests to anyone.
bool may_send(const SpoolCaller& c, const proto::Userid& to) {
    return c.is_guest || c.class_d || to == c.userid;
}

CpOutcome not_authorized(std::string_view mod, std::string_view what) {
    return {proto::CpRc::not_authorized,
            "HCP" + std::string(mod) + "002E Command " + std::string(what) + " not authorized"};
}

/// Which files a command names: spoolids, CLASS c, FORM f, ALL.
struct Selection {
    std::vector<std::uint16_t> ids;
    std::optional<char> spool_class;
    std::optional<std::string> form, dest;
    bool all = false;
    bool empty() const { return ids.empty() && !spool_class && !form && !dest && !all; }
    bool matches(const SpoolFile& f) const {
        if (all) {
            return true;
        }
        if (!ids.empty()) {
            return std::find(ids.begin(), ids.end(), f.spoolid) != ids.end();
        }
        return (!spool_class || f.spool_class == *spool_class) && (!form || f.form == *form) &&
               (!dest || f.dest == *dest);
    }
};

/// The stored value of a FORM, DEST or DIST operand: upper case; the
/// defaults (FORM STANDARD, DEST OFF or ANY, DIST OFF or *) are kept empty.
std::string attribute(std::string_view keyword, std::string_view value) {
    std::string v = upper(value);
    const bool form = is(keyword, "FORM", 4);
    if ((form && v == "STANDARD") || (!form && (v == "OFF" || v == "ANY" || v == "*"))) {
        v.clear();
    }
    return v;
}

/// Parses the selection from ops[i]; `many` allows several forms (PURGE).
/// Returns the failing word's outcome, or nullopt.
std::optional<CpOutcome> parse_selection(const Ops& ops, std::size_t& i, Selection& s, bool many,
                                         std::string_view mod) {
    while (i < ops.size()) {
        if (is(ops[i], "ALL")) {
            s.all = true;
            ++i;
        } else if (is(ops[i], "CLASS", 2) && s.empty()) {
            if (i + 1 >= ops.size() || !spool_class(ops[i + 1], false)) {
                return i + 1 >= ops.size() ? missing_operand(mod) : invalid_option(mod, ops[i + 1]);
            }
            s.spool_class = spool_class(ops[i + 1], false);
            i += 2;
        } else if ((is(ops[i], "FORM", 4) || is(ops[i], "DEST", 4)) && many) {
            if (i + 1 >= ops.size() || !is_token(ops[i + 1])) {
                return missing_operand(mod);
            }
            (is(ops[i], "FORM", 4) ? s.form : s.dest) = attribute(ops[i], ops[i + 1]);
            i += 2;
        } else if (auto id = spoolid(ops[i])) {
            s.ids.push_back(*id);
            ++i;
            continue; // several spoolids are one selection
        } else {
            break;
        }
        if (!many) {
            break;
        }
    }
    return std::nullopt;
}

} // namespace

/// [*|userid] queue: whose queue a command acts on; class D for another's.
struct SpoolTarget {
    proto::Userid owner;
    SpoolDevice queue;
};

static std::optional<CpOutcome> parse_target(const SpoolCaller& c, const Ops& ops, std::size_t& i,
                                             SpoolTarget& t, std::string_view mod,
                                             std::string_view verb) {
    t.owner = c.userid;
    if (i < ops.size() && !queue(ops[i])) {
        if (ops[i] != "*") {
            auto id = proto::Userid::parse(ops[i]);
            if (!id) {
                return CpOutcome{proto::CpRc::invalid_userid,
                                 "HCP" + std::string(mod) + "020E Userid missing or invalid"};
            }
            if (*id != c.userid && !c.class_d) {
                return not_authorized(mod, verb);
            }
            t.owner = *id;
        }
        ++i;
    }
    if (i >= ops.size()) {
        return missing_operand(mod);
    }
    auto q = queue(ops[i]);
    if (!q) {
        return invalid_option(mod, ops[i]);
    }
    t.queue = *q;
    ++i;
    return std::nullopt;
}

CpOutcome SpoolService::spool(const SpoolCaller& c, const Ops& ops) {
    if (ops.empty()) {
        return missing_operand("CSP");
    }
    const auto vdev = spool_words::vdev(ops[0]);
    if (!vdev) {
        return {proto::CpRc::invalid_vdev,
                "HCPCSP022E A virtual device number was not supplied or it was invalid"};
    }
    Device* d = device(c.userid, *vdev);
    if (d == nullptr) {
        return no_device("CSP", ops[0]);
    }
    Device next(d->kind, d->spool_class, d->vdev); // settings only; applied when all parse
    next.cont = d->cont, next.hold = d->hold, next.keep = d->keep, next.copies = d->copies;
    next.to = d->to, next.name = d->name, next.type = d->type, next.dist = d->dist;
    next.form = d->form, next.dest = d->dest;
    bool close_after = false, purge_after = false;
    const bool rdr = d->kind == SpoolDevice::rdr;
    for (std::size_t i = 1; i < ops.size(); ++i) {
        const std::string_view w = ops[i];
        const bool has_next = i + 1 < ops.size();
        if (is(w, "CLASS", 2)) {
            auto cl = has_next ? spool_class(ops[i + 1], rdr) : std::nullopt;
            if (!cl) {
                return has_next ? invalid_option("CSP", ops[i + 1]) : missing_operand("CSP");
            }
            next.spool_class = *cl;
            ++i;
        } else if (is(w, "CONT", 3) || is(w, "NOCONT", 3)) {
            next.cont = is(w, "CONT", 3);
        } else if (is(w, "HOLD", 2) || is(w, "NOHOLD", 3)) {
            next.hold = is(w, "HOLD", 2);
        } else if (is(w, "EOF") || is(w, "NOEOF") || is(w, "MSG") || is(w, "NOMSG")) {
            // accepted; cpd's readers always end a file at its end
        } else if (!rdr && (is(w, "KEEP") || is(w, "NOKEEP"))) {
            next.keep = is(w, "KEEP");
        } else if (!rdr && is(w, "COPY", 2)) {
            std::string_view n = has_next ? ops[i + 1] : "";
            if (n.starts_with('*')) {
                n.remove_prefix(1);
            }
            const auto v = spoolid(n);
            if (!v || *v > 255) {
                return has_next ? invalid_option("CSP", ops[i + 1]) : missing_operand("CSP");
            }
            next.copies = *v;
            ++i;
        } else if (!rdr && is(w, "TO")) {
            if (!has_next) {
                return missing_operand("CSP");
            }
            auto to = ops[i + 1] == "*" ? std::optional<proto::Userid>(c.userid)
                                        : std::optional<proto::Userid>();
            if (!to) {
                auto id = proto::Userid::parse(ops[i + 1]);
                if (!id) {
                    return {proto::CpRc::invalid_userid, "HCPCSP020E Userid missing or invalid"};
                }
                to = *id;
            }
            if (!may_send(c, *to)) {
                return not_authorized("CSP", "SPOOL TO " + std::string(to->str()));
            }
            next.to = to;
            ++i;
        } else if (!rdr && is(w, "OFF")) {
            next.to.reset();
        } else if (!rdr && (is(w, "FORM", 4) || is(w, "DIST", 4) || is(w, "DEST", 4))) {
            if (!has_next || !is_token(ops[i + 1])) {
                return missing_operand("CSP");
            }
            (is(w, "FORM", 4)   ? next.form
             : is(w, "DIST", 4) ? next.dist
                                : next.dest) = attribute(w, ops[i + 1]);
            ++i;
        } else if (!rdr && is(w, "NAME", 2)) {
            if (!has_next || !is_token(ops[i + 1])) {
                return missing_operand("CSP");
            }
            next.name = std::string(ops[i + 1]);
            next.type = i + 2 < ops.size() && is_token(ops[i + 2]) && !is(ops[i + 2], "CLOSE") &&
                                !is(ops[i + 2], "PURGE")
                            ? std::string(ops[i + 2])
                            : "";
            i += next.type.empty() ? 1 : 2;
        } else if (!rdr && is(w, "CLOSE", 3)) {
            close_after = true;
        } else if (!rdr && is(w, "PURGE", 3)) {
            purge_after = true;
        } else {
            return invalid_option("CSP", w);
        }
    }
    d->spool_class = next.spool_class, d->cont = next.cont, d->hold = next.hold;
    d->keep = next.keep, d->copies = next.copies, d->to = next.to, d->name = next.name;
    d->type = next.type, d->dist = next.dist, d->form = next.form, d->dest = next.dest;
    if (purge_after) {
        drop_open(*d);
    } else if (close_after && d->open) {
        return close_device(c, *vdev, *d, {"EOF"}, 0);
    }
    return {};
}

CpOutcome SpoolService::close(const SpoolCaller& c, const Ops& ops) {
    if (ops.empty()) {
        return missing_operand("CLO");
    }
    const auto vdev = spool_words::vdev(ops[0]);
    Device* d = vdev ? device(c.userid, *vdev) : nullptr;
    if (d == nullptr) {
        return vdev ? no_device("CLO", ops[0])
                    : CpOutcome{proto::CpRc::invalid_vdev, "HCPCLO022E A virtual device number "
                                                           "was not supplied or it was invalid"};
    }
    return close_device(c, *vdev, *d, ops, 1);
}

CpOutcome SpoolService::close_device(const SpoolCaller& c, std::uint16_t, Device& d, const Ops& ops,
                                     std::size_t from) {
    std::optional<bool> hold, keep;
    bool purge = false, eof = false;
    std::optional<proto::Userid> to;
    SpoolDevice to_queue = SpoolDevice::rdr;
    std::optional<std::string> name, type, dist;
    for (std::size_t i = from; i < ops.size(); ++i) {
        const std::string_view w = ops[i];
        const bool has_next = i + 1 < ops.size();
        if (is(w, "HOLD", 2) || is(w, "NOHOLD", 3)) {
            hold = is(w, "HOLD", 2);
        } else if (is(w, "KEEP") || is(w, "NOKEEP")) {
            keep = is(w, "KEEP");
        } else if (is(w, "PURGE", 3)) {
            purge = true;
        } else if (is(w, "EOF")) {
            eof = true;
        } else if (is(w, "TO") && has_next) {
            auto id = ops[i + 1] == "*" ? proto::Userid::parse(c.userid.str())
                                        : proto::Userid::parse(ops[i + 1]);
            if (!id) {
                return {proto::CpRc::invalid_userid, "HCPCLO020E Userid missing or invalid"};
            }
            to = *id;
            ++i;
            if (i + 1 < ops.size() && queue(ops[i + 1])) {
                to_queue = *queue(ops[i + 1]);
                ++i;
            }
        } else if (is(w, "NAME", 2) && has_next && is_token(ops[i + 1])) {
            name = std::string(ops[i + 1]);
            type = "";
            ++i;
            if (i + 1 < ops.size() && is_token(ops[i + 1])) {
                type = std::string(ops[++i]);
            }
        } else if (is(w, "DIST", 4) && has_next && is_token(ops[i + 1])) {
            dist = upper(ops[++i]);
        } else {
            return has_next || !(is(w, "TO") || is(w, "NAME", 2) || is(w, "DIST", 4))
                       ? invalid_option("CLO", w)
                       : missing_operand("CLO");
        }
    }
    if (d.failed) { // the file was purged on the way: CLOSE reports why, once
        CpOutcome why = *d.failed;
        d.failed.reset();
        d.writer = nullptr;
        return purge ? CpOutcome{} : why;
    }
    if (d.kind == SpoolDevice::rdr || !d.open) {
        return {}; // a reader has no file in progress here; an idle punch has nothing to close
    }
    if (purge) {
        drop_open(d);
        return {};
    }
    if (d.cont && !eof) {
        return {}; // SPOOL ... CONT: CLOSE waits for EOF
    }
    const std::optional<proto::Userid> dest = to ? to : d.to;
    if (dest && !may_send(c, *dest)) {
        return not_authorized("CLO", "CLOSE TO " + std::string(dest->str()));
    }
    if (dest && known_ && !known_(*dest)) {
        return {proto::CpRc::not_in_directory,
                "HCPCLO053E " + std::string(dest->str()) + " not in CP directory"};
    }
    SpoolFile f = std::move(*d.open);
    d.open.reset();
    d.writer = nullptr;
    f.spool_class = d.spool_class == '*' ? 'A' : d.spool_class;
    f.copies = d.copies;
    f.hold = hold.value_or(d.hold);
    f.keep = keep.value_or(d.keep);
    f.name = name.value_or(d.name);
    f.type = type.value_or(d.type);
    f.dist = dist.value_or(d.dist.empty() ? std::string(c.userid.str()) : d.dist);
    f.form = d.form;
    f.dest = d.dest;
    f.order = next_order_++;
    if (!store_.commit(d.draft) || !store_.save_meta(f)) {
        used_ -= std::min(used_, f.bytes);
        store_.remove(f.key);
        return {proto::CpRc::spool_full, "HCPSPL427E Spool space unavailable; file purged"};
    }
    const std::uint16_t old_id = f.spoolid;
    const SpoolDevice made_on = f.made_on;
    auto [it, inserted] = files_.emplace(f.key, std::move(f));
    SpoolFile& kept = it->second;
    if (dest && !deliver(kept, *dest, to ? to_queue : SpoolDevice::rdr)) {
        return {proto::CpRc::spool_id_limit, "HCP439E Spool file id limit exceeded"};
    }
    return {proto::CpRc::ok, sent_message(kept, made_on, old_id)};
}

/// Files of the target queue that the selection names, in queue order, and
/// the outcome for spoolids that are not there.
static std::vector<SpoolFile*> select(std::vector<const SpoolFile*> queue, const Selection& s,
                                      std::string& missing, std::string_view mod) {
    std::vector<SpoolFile*> out;
    if (!s.ids.empty()) {
        for (std::uint16_t id : s.ids) { // in the order given (ORDER needs it)
            auto it = std::find_if(queue.begin(), queue.end(),
                                   [&](const SpoolFile* f) { return f->spoolid == id; });
            if (it == queue.end()) {
                if (!missing.empty()) { // appends: "x" + string trips g++ 12's -Wrestrict
                    missing += '\n';
                }
                missing += no_spoolid(mod, id).text;
            } else if (std::find(out.begin(), out.end(), *it) == out.end()) {
                out.push_back(const_cast<SpoolFile*>(*it));
            }
        }
        return out;
    }
    for (const SpoolFile* f : queue) {
        if (s.matches(*f)) {
            out.push_back(const_cast<SpoolFile*>(f));
        }
    }
    return out;
}

/// "0000001 FILE  PURGED" after the lines for missing spoolids; rc 42 if nothing matched.
static CpOutcome counted(std::size_t n, std::string_view verb, const std::string& missing) {
    std::string text = missing.empty() ? "" : missing + "\n";
    text += count_message(n, verb);
    return {n == 0 && !missing.empty() ? proto::CpRc::no_spool_file : proto::CpRc::ok, text};
}

CpOutcome SpoolService::purge(const SpoolCaller& c, const Ops& ops) {
    std::size_t i = 0;
    SpoolTarget t{c.userid, SpoolDevice::rdr};
    if (auto bad = parse_target(c, ops, i, t, "CPU", "PURGE")) {
        return *bad;
    }
    Selection s;
    if (auto bad = parse_selection(ops, i, s, true, "CPU")) {
        return *bad;
    }
    if (i < ops.size()) {
        return invalid_option("CPU", ops[i]);
    }
    s.all = s.empty();
    std::string missing;
    const auto files = select(queue_of(&t.owner, t.queue), s, missing, "CPU");
    for (SpoolFile* f : files) {
        remove_file(f->key);
    }
    return counted(files.size(), "PURGED", missing);
}

CpOutcome SpoolService::transfer(const SpoolCaller& c, const Ops& ops) {
    std::size_t i = 0;
    SpoolTarget t{c.userid, SpoolDevice::rdr};
    if (auto bad = parse_target(c, ops, i, t, "CTR", "TRANSFER")) {
        return *bad;
    }
    Selection s;
    if (auto bad = parse_selection(ops, i, s, false, "CTR")) {
        return *bad;
    }
    if (s.empty()) {
        return missing_operand("CTR");
    }
    if (i < ops.size() && is(ops[i], "TO")) {
        ++i;
    }
    if (i >= ops.size()) {
        return missing_operand("CTR");
    }
    auto to = ops[i] == "*" ? proto::Userid::parse(c.userid.str()) : proto::Userid::parse(ops[i]);
    if (!to) {
        return {proto::CpRc::invalid_userid, "HCPCTR020E Userid missing or invalid"};
    }
    ++i;
    SpoolDevice q = SpoolDevice::rdr;
    if (i < ops.size()) {
        if (!queue(ops[i]) || i + 1 < ops.size()) {
            return invalid_option("CTR", ops[i]);
        }
        q = *queue(ops[i]);
    }
    if (!may_send(c, *to)) {
        return not_authorized("CTR", "TRANSFER TO " + std::string(to->str()));
    }
    if (known_ && !known_(*to)) {
        return {proto::CpRc::not_in_directory,
                "HCPCTR053E " + std::string(to->str()) + " not in CP directory"};
    }
    std::string missing;
    const auto files = select(queue_of(&t.owner, t.queue), s, missing, "CTR");
    std::size_t moved = 0;
    for (SpoolFile* f : files) {
        moved += deliver(*f, *to, q) ? 1 : 0;
    }
    return counted(moved, "TRANSFERRED", missing);
}

CpOutcome SpoolService::order(const SpoolCaller& c, const Ops& ops) {
    std::size_t i = 0;
    SpoolTarget t{c.userid, SpoolDevice::rdr};
    if (auto bad = parse_target(c, ops, i, t, "COR", "ORDER")) {
        return *bad;
    }
    Selection s;
    if (auto bad = parse_selection(ops, i, s, true, "COR")) {
        return *bad;
    }
    if (s.empty() || s.all) {
        return s.all ? invalid_option("COR", "ALL") : missing_operand("COR");
    }
    if (i < ops.size()) {
        return invalid_option("COR", ops[i]);
    }
    std::string missing;
    const auto queue = queue_of(&t.owner, t.queue);
    const auto first = select(queue, s, missing, "COR");
    for (SpoolFile* f : first) { // the named files first, in the order given
        f->order = next_order_++;
    }
    for (const SpoolFile* f : queue) { // then the others, as they were
        if (std::find(first.begin(), first.end(), f) == first.end()) {
            const_cast<SpoolFile*>(f)->order = next_order_++;
        }
    }
    for (const SpoolFile* f : queue) {
        store_.save_meta(*f);
    }
    return counted(first.size(), "ORDERED", missing);
}

CpOutcome SpoolService::change(const SpoolCaller& c, const Ops& ops) {
    std::size_t i = 0;
    SpoolTarget t{c.userid, SpoolDevice::rdr};
    if (auto bad = parse_target(c, ops, i, t, "CHN", "CHANGE")) {
        return *bad;
    }
    Selection s;
    if (auto bad = parse_selection(ops, i, s, false, "CHN")) {
        return *bad;
    }
    if (s.empty()) {
        return missing_operand("CHN");
    }
    SpoolFile edit(c.userid); // the fields to change, with flags of which
    bool set_class = false, set_hold = false, set_keep = false, set_name = false, set_copy = false,
         set_dist = false, set_form = false, set_dest = false;
    for (; i < ops.size(); ++i) {
        const std::string_view w = ops[i];
        const bool has_next = i + 1 < ops.size();
        if (is(w, "CLASS", 2) && has_next && spool_class(ops[i + 1], false)) {
            edit.spool_class = *spool_class(ops[++i], false);
            set_class = true;
        } else if (is(w, "HOLD", 2) || is(w, "NOHOLD", 3)) {
            edit.hold = is(w, "HOLD", 2);
            set_hold = true;
        } else if (is(w, "KEEP") || is(w, "NOKEEP")) {
            edit.keep = is(w, "KEEP");
            set_keep = true;
        } else if (is(w, "NAME", 2) && has_next && is_token(ops[i + 1])) {
            edit.name = std::string(ops[++i]);
            edit.type = i + 1 < ops.size() && is_token(ops[i + 1]) ? std::string(ops[++i]) : "";
            set_name = true;
        } else if (is(w, "COPY", 2) && has_next && spoolid(ops[i + 1]) &&
                   *spoolid(ops[i + 1]) <= 255) {
            edit.copies = *spoolid(ops[++i]);
            set_copy = true;
        } else if ((is(w, "DIST", 4) || is(w, "FORM", 4) || is(w, "DEST", 4)) && has_next &&
                   is_token(ops[i + 1])) {
            (is(w, "DIST", 4)   ? edit.dist
             : is(w, "FORM", 4) ? edit.form
                                : edit.dest) = attribute(w, ops[i + 1]);
            (is(w, "DIST", 4) ? set_dist : is(w, "FORM", 4) ? set_form : set_dest) = true;
            ++i;
        } else {
            return has_next ? invalid_option("CHN", w) : missing_operand("CHN");
        }
    }
    std::string missing;
    const auto files = select(queue_of(&t.owner, t.queue), s, missing, "CHN");
    for (SpoolFile* f : files) {
        if (set_class)
            f->spool_class = edit.spool_class;
        if (set_hold)
            f->hold = edit.hold;
        if (set_keep)
            f->keep = edit.keep;
        if (set_name)
            f->name = edit.name, f->type = edit.type;
        if (set_copy)
            f->copies = edit.copies;
        if (set_dist)
            f->dist = edit.dist;
        if (set_form)
            f->form = edit.form;
        if (set_dest)
            f->dest = edit.dest;
        store_.save_meta(*f);
    }
    return counted(files.size(), "CHANGED", missing);
}

CpOutcome SpoolService::query(const SpoolCaller& c, const Ops& ops) const {
    auto q = ops.empty() ? std::nullopt : queue(ops[0]);
    if (!q) {
        return missing_operand("CQU");
    }
    std::optional<proto::Userid> owner = c.userid;
    std::optional<std::uint16_t> only;
    bool all = false;
    for (std::size_t i = 1; i < ops.size(); ++i) {
        const std::string_view w = ops[i];
        if (is(w, "ALL")) {
            all = true;
        } else if (is(w, "SHORTDATE") || is(w, "FULLDATE") || is(w, "ISODATE")) {
            // cpd shows SHORTDATE (the columns vmur reads)
        } else if (w == "*") {
            owner = c.userid;
        } else if (auto sid = spoolid(w)) {
            only = *sid;
        } else if (is(w, "SYSTEM")) {
            if (!c.class_d) {
                return not_authorized("CQU", "QUERY " + upper(ops[0]) + " SYSTEM");
            }
            owner.reset();
        } else if (auto id = proto::Userid::parse(w)) {
            if (*id != c.userid && !c.class_d) {
                return not_authorized("CQU",
                                      "QUERY " + upper(ops[0]) + " " + std::string(id->str()));
            }
            owner = *id;
        } else {
            return invalid_option("CQU", w);
        }
    }
    auto files = queue_of(owner ? &*owner : nullptr, *q);
    if (only) {
        std::erase_if(files, [&](const SpoolFile* f) { return f->spoolid != *only; });
        if (files.empty()) {
            return no_spoolid("CQU", *only);
        }
    }
    return {proto::CpRc::ok, query_listing(files, *q, all, !owner || *owner != c.userid)};
}

} // namespace cpd::daemon
