// SPDX-License-Identifier: MIT
// The flow stages: duplicate (each record n+1 times), hole (consume and
// discard), buffer (hold every record until end of file; with n, write them
// n times; with sort, the only stage whose memory grows with its input),
// fanout (each record to every connected output) and faninany (records
// from any input to the one output, in arrival order).
#include "pipelines/stages/stages.hpp"

#include <vector>

namespace cpd::cms {

namespace {

class Duplicate final : public Stage {
  public:
    explicit Duplicate(std::size_t copies) : copies_(copies) {}
    std::optional<PipeError> start() override { return needs_input(*this, "DUP"); }
    void on_record(std::size_t, std::string_view r) override {
        for (std::size_t i = 0; i < copies_; ++i) {
            if (!output(r)) {
                return;
            }
        }
    }

  private:
    std::size_t copies_;
};

class Hole final : public Stage {
  public:
    void on_record(std::size_t, std::string_view) override {}
};

class Buffer final : public Stage {
  public:
    explicit Buffer(std::size_t times) : times_(times) {}
    std::optional<PipeError> start() override { return needs_input(*this, "BUF"); }
    void on_record(std::size_t, std::string_view r) override {
        ends_.push_back(arena_.size() + r.size());
        arena_.append(r);
    }
    void finish() override {
        for (std::size_t t = 0; t < times_; ++t) {
            std::size_t begin = 0;
            for (std::size_t e : ends_) {
                output(std::string_view(arena_).substr(begin, e - begin));
                begin = e;
            }
        }
        end();
    }

  private:
    std::size_t times_;
    std::string arena_;
    std::vector<std::size_t> ends_;
};

class Fanout final : public Stage {
  public:
    std::optional<PipeError> start() override { return needs_input(*this, "FAN"); }
    void on_record(std::size_t, std::string_view r) override {
        bool any = false;
        for (std::size_t i = 0; i < output_count(); ++i) {
            any = output(r, i) || any;
        }
        if (!any && output_count() > 0) {
            end(); // every output severed
        }
    }
};

class Faninany final : public Stage {
  public:
    std::optional<PipeError> start() override { return needs_input(*this, "FAN"); }
    void on_record(std::size_t, std::string_view r) override { output(r); }
};

// "[n]" for duplicate and buffer; `star` for "*" where allowed.
std::optional<PipeError> count_operand(Operands& ops, std::size_t& n, bool allow_star) {
    if (!ops.at_end()) {
        const std::string_view w = ops.peek();
        const auto v = allow_star ? ops.number() : (parse_count(w) ? ops.number() : std::nullopt);
        if (!v) {
            return ops.not_number(w);
        }
        n = *v;
    }
    return ops.check_end();
}

StageMade no_operands(std::string_view operands, std::string_view module, StageMade made) {
    Operands ops(operands, module);
    if (auto e = ops.check_end()) {
        return refuse(*e);
    }
    return made;
}

} // namespace

StageMade make_duplicate(std::string_view operands) {
    Operands ops(operands, "DUP");
    std::size_t n = 1;
    if (auto e = count_operand(ops, n, false)) {
        return refuse(*e);
    }
    return make_stage<Duplicate>(n + 1);
}

StageMade make_hole(std::string_view operands) {
    return no_operands(operands, "HOL", make_stage<Hole>());
}

StageMade make_buffer(std::string_view operands) {
    Operands ops(operands, "BUF");
    std::size_t n = 1;
    if (auto e = count_operand(ops, n, false)) {
        return refuse(*e);
    }
    return make_stage<Buffer>(n);
}

StageMade make_fanout(std::string_view operands) {
    return no_operands(operands, "FAN", make_stage<Fanout>());
}

StageMade make_faninany(std::string_view operands) {
    return no_operands(operands, "FAN", make_stage<Faninany>());
}

} // namespace cpd::cms
