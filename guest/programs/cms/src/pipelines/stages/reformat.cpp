// SPDX-License-Identifier: MIT
// The reformatting stages: strip (blanks or given characters at the ends),
// xlate (UPPER, LOWER or character pairs, in a column range), split (into
// one record per word, or at/before/after a string or any of a set of
// characters), join (n+1 records into one, with a separator), chop (after
// column n) and reverse. strip and chop write views into the input record;
// the others build into one buffer reused for every record.
#include "pipelines/stages/stages.hpp"

#include <array>
#include <cctype>

namespace cpd::cms {

namespace {

// A target for strip and split: any of a set of characters, or a string.
struct Target {
    std::string text = " ";
    bool any_of = true;
    /// Length of the target at `s`'s start, or 0 if it does not start there.
    std::size_t at(std::string_view s) const {
        if (any_of) {
            return !s.empty() && text.find(s[0]) != std::string::npos ? 1 : 0;
        }
        return s.starts_with(text) ? text.size() : 0;
    }
};

// Reads [ANYOF|STRING] /s/ or a single character; blank if nothing is given.
std::optional<PipeError> parse_target(Operands& ops, Target& t) {
    const bool string = ops.keyword("STRING", 3);
    const bool anyof = !string && ops.keyword("ANYOF", 3);
    if (ops.at_end()) {
        return (string || anyof) ? std::optional<PipeError>(ops.missing()) : std::nullopt;
    }
    const std::string_view w = ops.peek();
    t.any_of = !string;
    if (w.size() == 1) {
        ops.word();
        t.text = std::string(w);
        return std::nullopt;
    }
    PipeError error;
    auto s = ops.delimited(error);
    if (!s) {
        return error;
    }
    if (s->empty()) {
        return ops.bad(w);
    }
    t.text = std::move(*s);
    return std::nullopt;
}

class Strip final : public Stage {
  public:
    Strip(bool leading, bool trailing, Target t) : leading_(leading), trailing_(trailing), t_(t) {}
    std::optional<PipeError> start() override { return needs_input(*this, "STR"); }
    void on_record(std::size_t, std::string_view r) override {
        if (leading_) {
            while (std::size_t n = t_.at(r)) {
                r.remove_prefix(n);
            }
        }
        if (trailing_) {
            while (!r.empty()) {
                const std::size_t n = t_.any_of ? 1 : t_.text.size();
                if (r.size() < n || t_.at(r.substr(r.size() - n)) == 0) {
                    break;
                }
                r.remove_suffix(n);
            }
        }
        output(r);
    }

  private:
    bool leading_;
    bool trailing_;
    Target t_;
};

class Xlate final : public Stage {
  public:
    Xlate(InputRange range, std::array<char, 256> table) : range_(range), table_(table) {}
    std::optional<PipeError> start() override { return needs_input(*this, "XLT"); }
    void on_record(std::size_t, std::string_view r) override {
        const std::string_view part = range_.extract(r);
        if (part.empty()) {
            output(r);
            return;
        }
        out_.assign(r);
        const std::size_t at = part.data() - r.data();
        for (std::size_t i = at; i < at + part.size(); ++i) {
            out_[i] = table_[static_cast<unsigned char>(out_[i])];
        }
        output(out_);
    }

  private:
    InputRange range_;
    std::array<char, 256> table_;
    std::string out_;
};

class Split final : public Stage {
  public:
    enum class Where { at, before, after };
    Split(Where where, std::optional<Target> t) : where_(where), t_(std::move(t)) {}
    std::optional<PipeError> start() override { return needs_input(*this, "SPL"); }
    void on_record(std::size_t, std::string_view r) override {
        if (!t_) { // at blanks: one record per word
            std::size_t i = 0;
            while (i < r.size()) {
                while (i < r.size() && r[i] == ' ') {
                    ++i;
                }
                const std::size_t s = i;
                while (i < r.size() && r[i] != ' ') {
                    ++i;
                }
                if (i > s) {
                    output(r.substr(s, i - s));
                }
            }
            return;
        }
        std::size_t start = 0;
        for (std::size_t i = 0; i < r.size();) {
            const std::size_t n = t_->at(r.substr(i));
            if (n == 0) {
                ++i;
                continue;
            }
            const std::size_t cut = where_ == Where::after ? i + n : i;
            if (cut > start || where_ == Where::at) {
                output(r.substr(start, cut - start));
            }
            start = where_ == Where::at ? i + n : cut;
            i += n;
        }
        output(r.substr(start));
    }

  private:
    Where where_;
    std::optional<Target> t_;
};

class Join final : public Stage {
  public:
    Join(std::size_t n, std::string sep) : n_(n), sep_(std::move(sep)) {}
    std::optional<PipeError> start() override { return needs_input(*this, "JOI"); }
    void on_record(std::size_t, std::string_view r) override {
        if (held_ > 0) {
            out_ += sep_;
        }
        out_.append(r);
        if (++held_ > n_) {
            flush();
        }
    }
    void finish() override {
        flush();
        end();
    }

  private:
    void flush() {
        if (held_ > 0) {
            output(out_);
        }
        out_.clear();
        held_ = 0;
    }
    std::size_t n_;
    std::string sep_;
    std::string out_;
    std::size_t held_ = 0;
};

class Chop final : public Stage {
  public:
    explicit Chop(std::size_t n) : n_(n) {}
    std::optional<PipeError> start() override { return needs_input(*this, "CHP"); }
    void on_record(std::size_t, std::string_view r) override { output(r.substr(0, n_)); }

  private:
    std::size_t n_;
};

class Reverse final : public Stage {
  public:
    std::optional<PipeError> start() override { return needs_input(*this, "REV"); }
    void on_record(std::size_t, std::string_view r) override {
        out_.assign(r.rbegin(), r.rend());
        output(out_);
    }

  private:
    std::string out_;
};

// A character operand of xlate: one character, or two hex digits.
std::optional<char> xlate_char(std::string_view w) {
    if (w.size() == 1) {
        return w[0];
    }
    if (w.size() == 2 && std::isxdigit(static_cast<unsigned char>(w[0])) &&
        std::isxdigit(static_cast<unsigned char>(w[1]))) {
        return static_cast<char>(std::stoi(std::string(w), nullptr, 16));
    }
    return std::nullopt;
}

} // namespace

StageMade make_strip(std::string_view operands) {
    Operands ops(operands, "STR");
    bool leading = true;
    bool trailing = true;
    if (ops.keyword("LEADING", 4)) {
        trailing = false;
    } else if (ops.keyword("TRAILING", 5)) {
        leading = false;
    } else {
        ops.keyword("BOTH", 4);
    }
    Target t;
    if (auto e = parse_target(ops, t)) {
        return refuse(*e);
    }
    if (auto e = ops.check_end()) {
        return refuse(*e);
    }
    return make_stage<Strip>(leading, trailing, t);
}

StageMade make_xlate(std::string_view operands) {
    Operands ops(operands, "XLT");
    InputRange range;
    PipeError error;
    if (looks_like_range(ops.peek())) {
        auto r = take_range(ops, error);
        if (!r || r->unit != InputRange::Unit::column) {
            return refuse(r ? ops.bad("range") : error);
        }
        range = *r;
    }
    std::array<char, 256> table{};
    for (std::size_t i = 0; i < table.size(); ++i) {
        table[i] = static_cast<char>(i);
    }
    bool upper = true;
    if (ops.keyword("LOWER", 3)) {
        upper = false;
    } else {
        ops.keyword("UPPER", 2);
    }
    for (int c = 'a'; c <= 'z'; ++c) {
        const int from = upper ? c : c - 'a' + 'A';
        table[static_cast<unsigned char>(from)] = static_cast<char>(upper ? c - 'a' + 'A' : c);
    }
    while (!ops.at_end()) { // pairs: from to
        const std::string_view f = ops.word();
        const std::string_view t = ops.word();
        const auto fc = xlate_char(f);
        const auto tc = xlate_char(t);
        if (!fc || !tc) {
            return refuse(t.empty() ? ops.missing() : ops.bad(fc ? t : f));
        }
        table[static_cast<unsigned char>(*fc)] = *tc;
    }
    return make_stage<Xlate>(range, table);
}

StageMade make_split(std::string_view operands) {
    Operands ops(operands, "SPL");
    Split::Where where = Split::Where::at;
    if (ops.keyword("BEFORE", 6)) {
        where = Split::Where::before;
    } else if (ops.keyword("AFTER", 5)) {
        where = Split::Where::after;
    } else {
        ops.keyword("AT", 2);
    }
    std::optional<Target> target;
    if (!ops.at_end()) {
        Target t;
        if (auto e = parse_target(ops, t)) {
            return refuse(*e);
        }
        target = t;
    }
    if (auto e = ops.check_end()) {
        return refuse(*e);
    }
    return make_stage<Split>(where, std::move(target));
}

StageMade make_join(std::string_view operands) {
    Operands ops(operands, "JOI");
    std::size_t n = 1;
    if (!ops.at_end() && (ops.peek() == "*" || parse_count(ops.peek()))) {
        n = *ops.number();
    }
    std::string sep;
    if (!ops.at_end()) {
        PipeError error;
        auto s = ops.delimited(error);
        if (!s) {
            return refuse(error);
        }
        sep = std::move(*s);
    }
    if (auto e = ops.check_end()) {
        return refuse(*e);
    }
    return make_stage<Join>(n, std::move(sep));
}

StageMade make_chop(std::string_view operands) {
    Operands ops(operands, "CHP");
    std::size_t n = 80;
    if (!ops.at_end()) {
        const std::string_view w = ops.peek();
        const auto v = ops.number();
        if (!v) {
            return refuse(ops.not_number(w));
        }
        n = *v;
    }
    if (auto e = ops.check_end()) {
        return refuse(*e);
    }
    return make_stage<Chop>(n);
}

StageMade make_reverse(std::string_view operands) {
    Operands ops(operands, "REV");
    if (auto e = ops.check_end()) {
        return refuse(*e);
    }
    return make_stage<Reverse>();
}

} // namespace cpd::cms
