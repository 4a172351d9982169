// SPDX-License-Identifier: MIT
// stem, var and stack: REXX variables and the program stack.
// - stem x. [APPEND]: first, writes x.1 .. x.n (n = x.0); otherwise sets
//   x.1, x.2 ... to its records (APPEND: after x.0's), x.0 to their number
//   (kept up to date record by record), and copies the records on.
// - var v: first, writes v's value as one record (nothing if v is not set);
//   otherwise sets v to the first record and copies every record on.
// - stack [FIFO|LIFO]: first, reads the program stack until it is empty;
//   otherwise queues (FIFO, the default) or pushes (LIFO) each record and
//   copies it on.
// stem and var reach the variables of the EXEC that issued PIPE, through
// Regina's variable pool, so they work only inside an EXEC or macro (the
// pipeline runs within its ADDRESS CMS call); at the console they refuse
// with rc 24. stack works anywhere: the stack is the guest's.
#include "pipelines/stages/stages.hpp"

#include "rexx/program_stack.hpp"
#include "rexx/rexx_engine.hpp"

#include <cctype>
#include <cstdlib>

namespace cpd::cms {

namespace {

/// Records a source stage writes per turn of the dispatcher.
constexpr std::size_t batch = 512;

std::string upper(std::string_view s) {
    std::string out(s);
    for (char& c : out) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return out;
}

std::optional<PipeError> needs_rexx(std::string_view stage) {
    if (rexx::program_active()) {
        return std::nullopt;
    }
    return pipe_error("REX", 24,
                      std::string(stage) + " needs REXX variables: run the pipeline from an EXEC");
}

// A variable's value as a count (x.0); 0 if unset or not a whole number.
std::size_t count_of(const std::string& name) {
    const std::optional<std::string> v = rexx::get_variable(name);
    if (!v || v->empty() || v->find_first_not_of("0123456789 ") != std::string::npos) {
        return 0;
    }
    return static_cast<std::size_t>(std::strtoull(v->c_str(), nullptr, 10));
}

class Stem final : public Stage {
  public:
    Stem(std::string stem, bool append) : stem_(std::move(stem)), append_(append) {}
    std::optional<PipeError> start() override {
        if (auto e = needs_rexx("STEM")) {
            return e;
        }
        if (is_first() || append_) {
            count_ = count_of(stem_ + "0");
        } else {
            rexx::set_variable(stem_ + "0", "0");
        }
        return std::nullopt;
    }
    bool produce() override {
        for (std::size_t n = 0; n < batch && next_ <= count_; ++n, ++next_) {
            const auto v = rexx::get_variable(stem_ + std::to_string(next_));
            if (!output(v ? *v : std::string_view{}) && !has_any_output()) {
                return false;
            }
        }
        return next_ <= count_;
    }
    void on_record(std::size_t, std::string_view record) override {
        // x.0 follows each record, so a pipeline halted (HX) or ended early
        // leaves x.0 .. x.n consistent.
        ++count_;
        const std::string n = std::to_string(count_);
        rexx::set_variable(stem_ + n, record);
        rexx::set_variable(stem_ + "0", n);
        output(record);
    }

  private:
    std::string stem_;
    bool append_ = false;
    std::size_t count_ = 0;
    std::size_t next_ = 1; ///< first: the next x.n to write
};

class Var final : public Stage {
  public:
    explicit Var(std::string name) : name_(std::move(name)) {}
    std::optional<PipeError> start() override { return needs_rexx("VAR"); }
    bool produce() override {
        if (const auto v = rexx::get_variable(name_)) {
            output(*v);
        }
        return false;
    }
    void on_record(std::size_t, std::string_view record) override {
        if (!set_) {
            set_ = true;
            rexx::set_variable(name_, record);
        }
        output(record);
    }

  private:
    std::string name_;
    bool set_ = false;
};

class Stack final : public Stage {
  public:
    explicit Stack(bool lifo) : lifo_(lifo) {}
    bool produce() override {
        for (std::size_t n = 0; n < batch; ++n) {
            const std::optional<std::string> line = rexx::stack_pull();
            if (!line) {
                return false;
            }
            if (!output(*line) && !has_any_output()) {
                return false;
            }
        }
        return true;
    }
    void on_record(std::size_t, std::string_view record) override {
        rexx::stack_add(record, lifo_);
        output(record);
    }

  private:
    bool lifo_ = false;
};

// A REXX symbol (letters, digits, . ! ? _ #  @ $), not starting with a digit or '.'.
bool is_symbol(std::string_view name) {
    if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0])) != 0 || name[0] == '.') {
        return false;
    }
    for (const char c : name) {
        if (std::isalnum(static_cast<unsigned char>(c)) == 0 &&
            std::string_view(".!?_#@$").find(c) == std::string_view::npos) {
            return false;
        }
    }
    return true;
}

} // namespace

StageMade make_stem(std::string_view operands) {
    Operands ops(operands, "STE");
    const std::string_view name = ops.word();
    if (name.empty()) {
        return refuse(ops.missing());
    }
    if (!is_symbol(name)) {
        return refuse(ops.bad(name));
    }
    const bool append = ops.keyword("APPEND", 6);
    if (auto e = ops.check_end()) {
        return refuse(*e);
    }
    // "stem x" means the stem X.: the period is implied, as CMS Pipelines does.
    std::string stem = upper(name);
    if (!stem.ends_with('.')) {
        stem += '.';
    }
    return make_stage<Stem>(std::move(stem), append);
}

StageMade make_var(std::string_view operands) {
    Operands ops(operands, "VAR");
    const std::string_view name = ops.word();
    if (name.empty()) {
        return refuse(ops.missing());
    }
    if (!is_symbol(name)) {
        return refuse(ops.bad(name));
    }
    if (auto e = ops.check_end()) {
        return refuse(*e);
    }
    return make_stage<Var>(upper(name));
}

StageMade make_stack(std::string_view operands) {
    Operands ops(operands, "STK");
    bool lifo = false;
    if (ops.keyword("LIFO", 4)) {
        lifo = true;
    } else {
        ops.keyword("FIFO", 4);
    }
    if (auto e = ops.check_end()) {
        return refuse(*e);
    }
    return make_stage<Stack>(lifo);
}

} // namespace cpd::cms
