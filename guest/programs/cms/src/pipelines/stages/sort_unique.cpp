// SPDX-License-Identifier: MIT
// sort and unique. sort is one of the two stages whose memory grows with
// its input (buffer is the other): it holds every record in one arena and
// sorts small index entries, each with the key's first 8 bytes inline so
// most comparisons never touch the arena. unique compares each record with
// the one before, so it holds one record.
#include "pipelines/stages/stages.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <vector>

namespace cpd::cms {

namespace {

char lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// One sort key: a range and its direction.
struct SortKey {
    InputRange range;
    bool descending = false;
};

// Compares two keys: byte order, or ignoring case; a shorter key pads with
// `pad` when set (else it sorts first, as a prefix).
int compare_keys(std::string_view a, std::string_view b, bool anycase, std::optional<char> pad) {
    const std::size_t n = std::max(a.size(), b.size());
    if (!anycase && !pad) {
        const int c = std::memcmp(a.data(), b.data(), std::min(a.size(), b.size()));
        return c != 0 ? c : (a.size() < b.size() ? -1 : a.size() > b.size() ? 1 : 0);
    }
    for (std::size_t i = 0; i < n; ++i) {
        if ((i >= a.size() || i >= b.size()) && !pad) {
            return a.size() < b.size() ? -1 : 1;
        }
        char x = i < a.size() ? a[i] : *pad;
        char y = i < b.size() ? b[i] : *pad;
        if (anycase) {
            x = lower(x);
            y = lower(y);
        }
        if (x != y) {
            return static_cast<unsigned char>(x) < static_cast<unsigned char>(y) ? -1 : 1;
        }
    }
    return 0;
}

std::string count_prefix(std::size_t n) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%10zu", n);
    return buf;
}

class Sort final : public Stage {
  public:
    enum class Mode { all, unique, count };
    Sort(Mode mode, std::vector<SortKey> keys, bool anycase, std::optional<char> pad)
        : mode_(mode), keys_(std::move(keys)), anycase_(anycase), pad_(pad) {}
    std::optional<PipeError> start() override { return needs_input(*this, "SRT"); }
    void on_record(std::size_t, std::string_view record) override {
        Entry e;
        e.offset = arena_.size();
        e.length = record.size();
        e.prefix = 0;
        for (std::size_t i = 0; i < 8 && i < record.size(); ++i) {
            e.prefix |= std::uint64_t(static_cast<unsigned char>(record[i])) << (56 - 8 * i);
        }
        arena_.append(record);
        entries_.push_back(e);
    }
    void finish() override {
        if (is_plain()) {
            std::sort(entries_.begin(), entries_.end(),
                      [this](const Entry& a, const Entry& b) { return plain_less(a, b); });
        } else {
            std::stable_sort(
                entries_.begin(), entries_.end(),
                [this](const Entry& a, const Entry& b) { return compare(view(a), view(b)) < 0; });
        }
        write_sorted();
        std::vector<Entry>().swap(entries_);
        std::string().swap(arena_);
        end();
    }

  private:
    struct Entry {
        std::uint64_t prefix;
        std::size_t offset;
        std::size_t length;
    };
    std::string_view view(const Entry& e) const { return {arena_.data() + e.offset, e.length}; }
    bool is_plain() const {
        return !anycase_ && !pad_ && keys_.size() == 1 && keys_[0].range.is_whole();
    }
    // Whole records in byte order: the inline prefix decides most pairs.
    bool plain_less(const Entry& a, const Entry& b) const {
        const bool desc = keys_[0].descending;
        if (a.prefix != b.prefix) {
            return (a.prefix < b.prefix) != desc;
        }
        const std::size_t n = std::min(a.length, b.length);
        int c = n > 8
                    ? std::memcmp(arena_.data() + a.offset + 8, arena_.data() + b.offset + 8, n - 8)
                    : 0;
        if (c == 0) {
            c = a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
        }
        return desc ? c > 0 : c < 0;
    }
    int compare(std::string_view a, std::string_view b) const {
        for (const SortKey& k : keys_) {
            int c = compare_keys(k.range.extract(a), k.range.extract(b), anycase_, pad_);
            if (c != 0) {
                return k.descending ? -c : c;
            }
        }
        return 0;
    }
    void write_sorted() {
        std::size_t i = 0;
        while (i < entries_.size()) {
            std::size_t j = i + 1;
            if (mode_ != Mode::all) {
                while (j < entries_.size() && compare(view(entries_[i]), view(entries_[j])) == 0) {
                    ++j;
                }
            }
            if (mode_ == Mode::count) {
                output(count_prefix(j - i) + std::string(view(entries_[i])));
            } else if (!output(view(entries_[i])) && !has_any_output()) {
                return;
            }
            i = j;
        }
    }
    Mode mode_;
    std::vector<SortKey> keys_;
    bool anycase_;
    std::optional<char> pad_;
    std::string arena_;
    std::vector<Entry> entries_;
};

class Unique final : public Stage {
  public:
    enum class Keep { first, last, single, multiple, count };
    Unique(InputRange range, Keep keep) : range_(range), keep_(keep) {}
    std::optional<PipeError> start() override { return needs_input(*this, "UNQ"); }
    void on_record(std::size_t, std::string_view record) override {
        if (has_prev_ && range_.extract(record) == range_.extract(prev_)) {
            ++run_;
            if (keep_ == Keep::last) {
                output(prev_, 1);
                prev_.assign(record);
            } else {
                output(record, 1);
            }
            return;
        }
        flush();
        prev_.assign(record);
        has_prev_ = true;
        run_ = 1;
    }
    void finish() override {
        flush();
        end();
    }

  private:
    // Writes the run that just ended, as the option says.
    void flush() {
        if (!has_prev_) {
            return;
        }
        const bool single = run_ == 1;
        switch (keep_) {
        case Keep::first:
        case Keep::last:
            output(prev_);
            break;
        case Keep::single:
            output(prev_, single ? 0 : 1);
            break;
        case Keep::multiple:
            output(prev_, single ? 1 : 0);
            break;
        case Keep::count:
            output(count_prefix(run_) + prev_);
            break;
        }
    }
    InputRange range_;
    Keep keep_;
    std::string prev_;
    bool has_prev_ = false;
    std::size_t run_ = 0;
};

} // namespace

StageMade make_sort(std::string_view operands) {
    Operands ops(operands, "SRT");
    Sort::Mode mode = Sort::Mode::all;
    if (ops.keyword("COUNT", 5)) {
        mode = Sort::Mode::count;
    } else if (ops.keyword("UNIQUE", 3)) {
        mode = Sort::Mode::unique;
    }
    std::optional<char> pad;
    if (ops.keyword("PAD", 3)) {
        const std::string_view w = ops.word();
        if (w.size() != 1) {
            return refuse(w.empty() ? ops.missing() : ops.bad(w));
        }
        pad = w[0];
    } else {
        ops.keyword("NOPAD", 5);
    }
    const bool anycase = ops.keyword("ANYCASE", 3);
    std::vector<SortKey> keys;
    while (!ops.at_end()) {
        SortKey k; // a range and its direction; a direction alone is the whole record
        if (looks_like_range(ops.peek())) {
            PipeError error;
            auto r = take_range(ops, error);
            if (!r) {
                return refuse(error);
            }
            k.range = *r;
        } else if (!is_keyword(ops.peek(), "ASCENDING", 1) &&
                   !is_keyword(ops.peek(), "DESCENDING", 1)) {
            return refuse(ops.bad(ops.peek()));
        }
        if (ops.keyword("DESCENDING", 1)) {
            k.descending = true;
        } else {
            ops.keyword("ASCENDING", 1);
        }
        keys.push_back(k);
    }
    if (keys.empty()) {
        keys.emplace_back(); // the whole record, ascending
    }
    return make_stage<Sort>(mode, std::move(keys), anycase, pad);
}

StageMade make_unique(std::string_view operands) {
    Operands ops(operands, "UNQ");
    InputRange range;
    if (looks_like_range(ops.peek())) {
        PipeError error;
        auto r = take_range(ops, error);
        if (!r) {
            return refuse(error);
        }
        range = *r;
    }
    Unique::Keep keep = Unique::Keep::last;
    if (!ops.at_end()) {
        const std::string_view w = ops.word();
        if (is_keyword(w, "FIRST", 5)) {
            keep = Unique::Keep::first;
        } else if (is_keyword(w, "LAST", 4)) {
            keep = Unique::Keep::last;
        } else if (is_keyword(w, "SINGLE", 6)) {
            keep = Unique::Keep::single;
        } else if (is_keyword(w, "MULTIPLE", 8)) {
            keep = Unique::Keep::multiple;
        } else if (is_keyword(w, "COUNT", 5)) {
            keep = Unique::Keep::count;
        } else {
            return refuse(ops.bad(w));
        }
    }
    if (auto e = ops.check_end()) {
        return refuse(*e);
    }
    return make_stage<Unique>(range, keep);
}

} // namespace cpd::cms
