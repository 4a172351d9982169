// SPDX-License-Identifier: MIT
// literal and console. literal writes its text as a record, then copies its
// input. console first reads console lines until a null line; otherwise it
// shows each record at the console and copies it to its output.
#include "pipelines/stages/stages.hpp"

namespace cpd::cms {

namespace {

class Literal final : public Stage {
  public:
    explicit Literal(std::string_view text) : text_(text) {}
    bool produce() override {
        write_text();
        return false;
    }
    void on_record(std::size_t, std::string_view record) override {
        write_text();
        output(record);
    }
    void finish() override {
        write_text();
        end();
    }

  private:
    void write_text() {
        if (!written_) {
            written_ = true;
            output(text_);
        }
    }
    std::string text_;
    bool written_ = false;
};

class Console final : public Stage {
  public:
    bool produce() override {
        if (at_eof_) {
            return false;
        }
        request_event(PipeEvent::console);
        return true;
    }
    void on_console_line(std::string_view line) override {
        if (line.empty()) {
            at_eof_ = true; // a null line ends console input, as in CMS
        } else if (!output(line) && !has_any_output()) {
            at_eof_ = true;
        }
    }
    void on_record(std::size_t, std::string_view record) override {
        console(record);
        output(record);
    }

  private:
    bool at_eof_ = false;
};

} // namespace

StageMade make_literal(std::string_view operands) {
    return make_stage<Literal>(operands);
}

StageMade make_console(std::string_view operands) {
    Operands ops(operands, "CON");
    if (auto e = ops.check_end()) {
        return refuse(*e);
    }
    return make_stage<Console>();
}

} // namespace cpd::cms
