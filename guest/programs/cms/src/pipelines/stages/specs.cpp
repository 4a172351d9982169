// SPDX-License-Identifier: MIT
// specs, the common subset: items "input output [alignment]". Input is an
// input range (columns, Wn words, Fn fields), a delimited /literal/, or
// NUMBER (the record number, 10 columns), optionally followed by STRIP
// (leading and trailing blanks removed). Output is a column n, n.len,
// NEXT (N) right after the last column written, NEXTWORD (NW) after one
// blank, or N.len / NW.len. Alignment LEFT, CENTER or RIGHT applies in a
// field of given length. WORDSEPARATOR (WS) and FIELDSEPARATOR (FS) c set
// the separators for the items that follow. Columns not written are blank.
#include "pipelines/stages/stages.hpp"

#include <cstdio>
#include <vector>

namespace cpd::cms {

namespace {

struct SpecItem {
    enum class Source { range, literal, number } source = Source::range;
    InputRange range;
    std::string literal;
    bool strip = false; ///< STRIP after the input: leading and trailing blanks removed
    enum class Place { column, next, nextword } place = Place::column;
    std::size_t column = 1; ///< 1-based, for Place::column
    std::size_t length = 0; ///< 0: the input's own length
    enum class Align { left, center, right } align = Align::left;
};

class Specs final : public Stage {
  public:
    explicit Specs(std::vector<SpecItem> items) : items_(std::move(items)) {}
    std::optional<PipeError> start() override { return needs_input(*this, "SPE"); }
    void on_record(std::size_t, std::string_view record) override {
        ++number_;
        out_.clear();
        for (const SpecItem& item : items_) {
            std::string_view v = value(item, record);
            if (item.strip) {
                v.remove_prefix(std::min(v.find_first_not_of(' '), v.size()));
                v.remove_suffix(v.size() - (v.find_last_not_of(' ') + 1));
            }
            place(item, v);
        }
        output(out_);
    }

  private:
    std::string_view value(const SpecItem& item, std::string_view record) {
        switch (item.source) {
        case SpecItem::Source::range:
            return item.range.is_whole() ? record : item.range.extract(record);
        case SpecItem::Source::literal:
            return item.literal;
        case SpecItem::Source::number:
            std::snprintf(num_, sizeof num_, "%10zu", number_);
            return num_;
        }
        return {};
    }
    // Writes `v` where the item says, over or after what is there.
    void place(const SpecItem& item, std::string_view v) {
        std::size_t at = out_.size();
        if (item.place == SpecItem::Place::column) {
            at = item.column - 1;
        } else if (item.place == SpecItem::Place::nextword && !out_.empty()) {
            at = out_.size() + 1;
        }
        if (item.place == SpecItem::Place::nextword && v.empty() && item.length == 0) {
            return; // a null word adds no blank
        }
        std::size_t width = item.length == 0 ? v.size() : item.length;
        std::size_t lead = 0;
        if (v.size() > width) {
            v = v.substr(0, width);
        } else if (item.align == SpecItem::Align::right) {
            lead = width - v.size();
        } else if (item.align == SpecItem::Align::center) {
            lead = (width - v.size()) / 2;
        }
        if (out_.size() < at + width) {
            out_.resize(at + width, ' ');
        }
        if (item.length != 0) {
            std::fill_n(out_.begin() + static_cast<std::ptrdiff_t>(at), width, ' ');
        }
        out_.replace(at + lead, v.size(), v);
    }
    std::vector<SpecItem> items_;
    std::string out_;
    std::size_t number_ = 0;
    char num_[32] = {};
};

// Reads one output placement: n, n.len, n-m, N, NW, N.len, NW.len.
bool parse_place(std::string_view w, SpecItem& item) {
    const auto dot = w.find('.');
    const std::string_view head = w.substr(0, dot);
    if (dot != std::string_view::npos) {
        const auto len = parse_count(w.substr(dot + 1));
        if (!len || *len == 0) {
            return false;
        }
        item.length = *len;
    }
    if (is_keyword(head, "NEXTWORD", 5) || is_keyword(head, "NW", 2)) {
        item.place = SpecItem::Place::nextword;
        return true;
    }
    if (is_keyword(head, "NEXT", 1)) {
        item.place = SpecItem::Place::next;
        return true;
    }
    const auto dash = head.find('-');
    const auto col = parse_count(head.substr(0, dash));
    if (!col || *col == 0) {
        return false;
    }
    item.column = *col;
    if (dash != std::string_view::npos) {
        const auto to = parse_count(head.substr(dash + 1));
        if (!to || *to < *col || dot != std::string_view::npos) {
            return false;
        }
        item.length = *to - *col + 1;
    }
    return true;
}

} // namespace

StageMade make_specs(std::string_view operands) {
    Operands ops(operands, "SPE");
    std::vector<SpecItem> items;
    char ws = ' ';
    char fs = '\t';
    PipeError error;
    while (!ops.at_end()) {
        const std::string_view kw = ops.peek();
        const bool is_ws = is_keyword(kw, "WORDSEPARATOR", 8) || is_keyword(kw, "WS", 2);
        if (is_ws || is_keyword(kw, "FIELDSEPARATOR", 8) || is_keyword(kw, "FS", 2)) {
            ops.word();
            const std::string_view c = ops.word();
            if (c.size() != 1) {
                return refuse(c.empty() ? ops.missing() : ops.bad(c));
            }
            (is_ws ? ws : fs) = c[0];
            continue;
        }
        SpecItem item;
        const std::string_view w = ops.peek();
        if (is_keyword(w, "NUMBER", 3) || is_keyword(w, "RECNO", 5)) {
            ops.word();
            item.source = SpecItem::Source::number;
        } else if (looks_like_range(w)) {
            auto r = take_range(ops, error, ws, fs);
            if (!r) {
                return refuse(error);
            }
            item.range = *r;
        } else {
            auto lit = ops.delimited(error);
            if (!lit) {
                return refuse(error);
            }
            item.source = SpecItem::Source::literal;
            item.literal = std::move(*lit);
        }
        item.strip = ops.keyword("STRIP", 5);
        const std::string_view out = ops.word();
        if (out.empty()) {
            return refuse(pipe_error("SPE", 61, "Output specification missing"));
        }
        if (!parse_place(out, item)) {
            return refuse(ops.bad(out));
        }
        if (ops.keyword("LEFT", 1)) {
            item.align = SpecItem::Align::left;
        } else if (ops.keyword("CENTER", 1) || ops.keyword("CENTRE", 6)) {
            item.align = SpecItem::Align::center;
        } else if (ops.keyword("RIGHT", 1)) {
            item.align = SpecItem::Align::right;
        }
        items.push_back(std::move(item));
    }
    if (items.empty()) {
        return refuse(pipe_error("SPE", 11, "Null or blank parameter list found"));
    }
    return make_stage<Specs>(std::move(items));
}

} // namespace cpd::cms
