// SPDX-License-Identifier: MIT
// The selection stages: locate and nlocate (a string in a range), find and
// nfind (a prefix, XEDIT FIND rules), take and drop (FIRST or LAST n). A
// selected record goes to the primary output unchanged (the same view);
// a rejected one to the secondary output if connected, else it is dropped.
// take and drop LAST hold n records, no more.
#include "pipelines/stages/stages.hpp"

#include <cstring>
#include <deque>

namespace cpd::cms {

namespace {

char lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// Base of the stages that split their input in selected and rejected.
class Selector : public Stage {
  public:
    explicit Selector(const char* module) : module_(module) {}
    std::optional<PipeError> start() override { return needs_input(*this, module_); }

  protected:
    void route(std::string_view record, bool selected) {
        if (selected) {
            output(record, 0);
        } else {
            output(record, 1);
        }
    }
    const char* module_;
};

class Locate final : public Selector {
  public:
    Locate(bool negate, bool anycase, InputRange range, std::optional<std::string> needle)
        : Selector("LOC"), negate_(negate), anycase_(anycase), range_(range),
          needle_(std::move(needle)) {
        if (anycase_ && needle_) {
            for (char& c : *needle_) {
                c = lower(c);
            }
        }
    }
    void on_record(std::size_t, std::string_view record) override {
        route(record, matches(record) != negate_);
    }

  private:
    bool matches(std::string_view record) {
        const std::string_view part = range_.is_whole() ? record : range_.extract(record);
        if (!needle_ || needle_->empty()) { // no string: the range is there, not null
            return !part.empty();
        }
        if (anycase_) {
            scratch_.assign(part);
            for (char& c : scratch_) {
                c = lower(c);
            }
            return scratch_.find(*needle_) != std::string::npos;
        }
        return ::memmem(part.data(), part.size(), needle_->data(), needle_->size()) != nullptr;
    }
    bool negate_;
    bool anycase_;
    InputRange range_;
    std::optional<std::string> needle_;
    std::string scratch_;
};

class Find final : public Selector {
  public:
    Find(bool negate, std::string text)
        : Selector("FND"), negate_(negate), text_(std::move(text)) {}
    void on_record(std::size_t, std::string_view record) override {
        route(record, begins(record) != negate_);
    }

  private:
    // XEDIT FIND: a blank matches any character, an underscore a blank.
    bool begins(std::string_view record) const {
        if (record.size() < text_.size()) {
            return false;
        }
        for (std::size_t i = 0; i < text_.size(); ++i) {
            const char t = text_[i];
            if (t != ' ' && (t == '_' ? record[i] != ' ' : record[i] != t)) {
                return false;
            }
        }
        return true;
    }
    bool negate_;
    std::string text_;
};

constexpr std::size_t all = static_cast<std::size_t>(-1);

class TakeDrop final : public Selector {
  public:
    TakeDrop(bool take, bool last, std::size_t n)
        : Selector(take ? "TAK" : "DRP"), take_(take), last_(last), n_(n) {}
    void on_record(std::size_t, std::string_view record) override {
        if (!last_) {
            const bool within = seen_ < n_;
            seen_ += within ? 1 : 0;
            route(record, within == take_);
            if (take_ && !within && !has_output(1)) {
                end(); // take FIRST: nothing more to do; upstream may stop
            } else if (take_ && seen_ == n_ && !has_output(1)) {
                end();
            }
            return;
        }
        if (n_ == 0) {
            route(record, !take_);
            return;
        }
        held_.emplace_back(record);
        if (held_.size() > n_) { // the oldest is not among the last n
            route(held_.front(), !take_);
            held_.pop_front();
        }
    }
    void finish() override {
        for (const std::string& r : held_) {
            route(r, take_);
        }
        held_.clear();
        end();
    }

  private:
    bool take_;
    bool last_;
    std::size_t n_;
    std::size_t seen_ = 0;
    std::deque<std::string> held_;
};

StageMade make_locator(std::string_view operands, bool negate) {
    Operands ops(operands, "LOC");
    const bool anycase = ops.keyword("ANYCASE", 3);
    InputRange range;
    PipeError error;
    if (looks_like_range(ops.peek())) {
        auto r = take_range(ops, error);
        if (!r) {
            return refuse(error);
        }
        range = *r;
    }
    std::optional<std::string> needle;
    if (!ops.at_end()) {
        needle = ops.delimited(error);
        if (!needle) {
            return refuse(error);
        }
    }
    if (auto e = ops.check_end()) {
        return refuse(*e);
    }
    return make_stage<Locate>(negate, anycase, range, std::move(needle));
}

StageMade make_take_drop(std::string_view operands, bool take) {
    Operands ops(operands, take ? "TAK" : "DRP");
    bool last = false;
    if (ops.keyword("LAST", 4)) {
        last = true;
    } else {
        ops.keyword("FIRST", 5);
    }
    std::size_t n = 1;
    if (!ops.at_end()) {
        const std::string_view w = ops.peek();
        const auto v = ops.number(all);
        if (!v) {
            return refuse(ops.not_number(w));
        }
        n = *v;
    }
    if (auto e = ops.check_end()) {
        return refuse(*e);
    }
    return make_stage<TakeDrop>(take, last, n);
}

} // namespace

StageMade make_locate(std::string_view operands) {
    return make_locator(operands, false);
}

StageMade make_nlocate(std::string_view operands) {
    return make_locator(operands, true);
}

StageMade make_find(std::string_view operands) {
    return make_stage<Find>(false, std::string(operands));
}

StageMade make_nfind(std::string_view operands) {
    return make_stage<Find>(true, std::string(operands));
}

StageMade make_take(std::string_view operands) {
    return make_take_drop(operands, true);
}

StageMade make_drop(std::string_view operands) {
    return make_take_drop(operands, false);
}

} // namespace cpd::cms
