// SPDX-License-Identifier: MIT
// change [ANYcase] [range] /from/to/ [max]: replaces occurrences of `from`
// inside the column range (the whole record by default), at most `max` per
// record. A changed record goes to the primary output; an unchanged one to
// the secondary output if connected, else to the primary, unchanged (the
// same view). A null `from` inserts `to` at the start of the range.
#include "pipelines/stages/stages.hpp"

namespace cpd::cms {

namespace {

char lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

class Change final : public Stage {
  public:
    Change(bool anycase, InputRange range, std::string from, std::string to, std::size_t max)
        : anycase_(anycase), range_(range), from_(std::move(from)), to_(std::move(to)), max_(max) {
        if (anycase_) {
            for (char& c : from_) {
                c = lower(c);
            }
        }
    }
    std::optional<PipeError> start() override { return needs_input(*this, "CHG"); }
    void on_record(std::size_t, std::string_view record) override {
        // The range's place in the record (a view into it).
        const std::string_view part = range_.extract(record);
        const std::size_t at = part.empty() ? record.size() : part.data() - record.data();
        if (part.empty() && (!from_.empty() || range_.from > record.size() + 1)) {
            unchanged(record);
            return;
        }
        out_.assign(record.substr(0, at));
        std::size_t changes = 0;
        std::size_t i = 0;
        if (from_.empty()) {
            out_ += to_;
            changes = max_ == 0 ? 0 : 1;
            if (changes == 0) {
                out_.resize(at);
            }
        } else {
            while (i + from_.size() <= part.size() && changes < max_) {
                if (match(part.substr(i, from_.size()))) {
                    out_ += to_;
                    i += from_.size();
                    ++changes;
                } else {
                    out_ += part[i++];
                }
            }
        }
        if (changes == 0) {
            unchanged(record);
            return;
        }
        out_.append(part.substr(i));
        out_.append(record.substr(at + part.size()));
        output(out_);
    }

  private:
    bool match(std::string_view s) const {
        if (!anycase_) {
            return s == from_;
        }
        for (std::size_t k = 0; k < s.size(); ++k) {
            if (lower(s[k]) != from_[k]) {
                return false;
            }
        }
        return true;
    }
    void unchanged(std::string_view record) {
        if (!output(record, 1)) {
            output(record, 0);
        }
    }
    bool anycase_;
    InputRange range_;
    std::string from_;
    std::string to_;
    std::size_t max_;
    std::string out_;
};

} // namespace

StageMade make_change(std::string_view operands) {
    Operands ops(operands, "CHG");
    const bool anycase = ops.keyword("ANYCASE", 3);
    InputRange range;
    PipeError error;
    if (looks_like_range(ops.peek())) {
        auto r = take_range(ops, error);
        if (!r) {
            return refuse(error);
        }
        if (r->unit != InputRange::Unit::column) {
            return refuse(ops.bad(ops.peek()));
        }
        range = *r;
    }
    // /from/to/: the delimiter ends `from` and `to`.
    const std::string_view r = ops.rest();
    if (r.empty()) {
        return refuse(ops.missing());
    }
    const char d = r[0];
    const auto mid = r.find(d, 1);
    const auto close = mid == std::string_view::npos ? mid : r.find(d, mid + 1);
    if (close == std::string_view::npos) {
        return refuse(
            pipe_error("CHG", 60, "Delimiter missing after string \"" + std::string(r) + "\""));
    }
    std::string from(r.substr(1, mid - 1));
    std::string to(r.substr(mid + 1, close - mid - 1));
    ops.skip(close + 1);
    std::size_t max = static_cast<std::size_t>(-1);
    if (!ops.at_end()) {
        const std::string_view w = ops.peek();
        const auto n = ops.number();
        if (!n) {
            return refuse(ops.not_number(w));
        }
        max = *n;
    }
    if (auto e = ops.check_end()) {
        return refuse(*e);
    }
    return make_stage<Change>(anycase, range, std::move(from), std::move(to), max);
}

} // namespace cpd::cms
