// SPDX-License-Identifier: MIT
// The stages that reach outside the pipeline: cp (each record is a CP
// command issued as this guest; its response lines are the output),
// command and cms (each record is a CMS command run by the command
// processor; its output lines are the output; a nonzero rc ends the stage
// with that rc), and starmsg (the SMSGs that arrive become records).
// They wait through the dispatcher, so the guest's one thread never blocks.
#include "pipelines/stages/stages.hpp"

#include "cpd/cms/running_command.hpp"

#include <deque>

namespace cpd::cms {

namespace {

class Cp final : public Stage {
  public:
    std::optional<PipeError> start() override { return needs_input(*this, "CPS"); }
    void on_record(std::size_t, std::string_view r) override {
        if (!r.empty()) {
            queue_.emplace_back(r);
            ask();
        }
    }
    void on_cp_answer(int, std::string_view text) override {
        asked_ = false;
        queue_.pop_front();
        while (!text.empty()) {
            const auto eol = text.find('\n');
            output(text.substr(0, eol));
            text = eol == std::string_view::npos ? std::string_view{} : text.substr(eol + 1);
        }
        ask();
        if (at_eof_ && !asked_) {
            end();
        }
    }
    void finish() override {
        at_eof_ = true;
        if (!asked_) {
            end();
        }
    }

  private:
    void ask() {
        if (!asked_ && !queue_.empty()) {
            asked_ = true;
            request_cp(queue_.front());
        }
    }
    std::deque<std::string> queue_; ///< the records of one input batch, at most
    bool asked_ = false;
    bool at_eof_ = false;
};

class Command final : public Stage {
  public:
    std::optional<PipeError> start() override { return needs_input(*this, "CMD"); }
    void on_record(std::size_t, std::string_view r) override {
        queue_.emplace_back(r);
        run();
    }
    void on_cp_answer(int rc, std::string_view text) override {
        asked_ = false;
        queue_.pop_front();
        write_lines(text);
        if (rc != 0) {
            end_with(rc);
            return;
        }
        run();
    }
    void finish() override {
        at_eof_ = true;
        run();
    }

  private:
    // Runs the queued commands until one must wait for CP.
    void run() {
        while (!asked_ && !queue_.empty() && !has_ended()) {
            CommandResult r = host().run_command(queue_.front());
            for (;;) { // a nested PIPE pauses to show its output: take it, go on
                for (const std::string& l : r.lines) {
                    output(l);
                }
                r.lines.clear();
                if (!r.running || !r.running->is_ready()) {
                    break;
                }
                r = r.running->resume();
            }
            if (r.running) { // a nested PIPE that waits for an event cannot wait here
                r = r.running->halt();
                for (const std::string& l : r.lines) {
                    output(l);
                }
            }
            if (r.cp_command || r.smsg) {
                asked_ = true;
                request_cp(r.cp_command ? *r.cp_command
                                        : "SMSG " + r.smsg->to + " " + r.smsg->text);
                return;
            }
            queue_.pop_front();
            if (r.logoff) {
                fail(pipe_error("CMD", 111, "Operand LOGOFF is not valid"));
                return;
            }
            if (r.rc != 0) {
                end_with(r.rc);
                return;
            }
        }
        if (at_eof_ && queue_.empty() && !asked_) {
            end();
        }
    }
    void write_lines(std::string_view text) {
        while (!text.empty()) {
            const auto eol = text.find('\n');
            output(text.substr(0, eol));
            text = eol == std::string_view::npos ? std::string_view{} : text.substr(eol + 1);
        }
    }
    std::deque<std::string> queue_;
    bool asked_ = false;
    bool at_eof_ = false;
};

class Starmsg final : public Stage {
  public:
    std::optional<PipeError> start() override { return must_be_first(*this, "STM"); }
    bool produce() override {
        if (!has_any_output()) {
            return false; // nobody reads on (take 1 is done): stop waiting
        }
        request_event(PipeEvent::smsg);
        return true;
    }
    // The record: the message class (00000004, SMSG) in columns 1-8, the
    // sender in 9-16, then the text.
    void on_smsg(std::string_view from, std::string_view text) override {
        record_.assign("00000004");
        record_.append(from.substr(0, 8));
        record_.append(8 - std::min<std::size_t>(from.size(), 8), ' ');
        record_.append(text);
        output(record_);
    }
    void on_record(std::size_t, std::string_view) override {}

  private:
    std::string record_;
};

} // namespace

StageMade make_cp(std::string_view operands) {
    Operands ops(operands, "CPS");
    (void)ops.number(); // the response buffer size: responses are not truncated here
    if (auto e = ops.check_end()) {
        return refuse(*e);
    }
    return make_stage<Cp>();
}

StageMade make_command(std::string_view operands) {
    Operands ops(operands, "CMD");
    if (auto e = ops.check_end()) {
        return refuse(*e);
    }
    return make_stage<Command>();
}

StageMade make_starmsg(std::string_view operands) {
    Operands ops(operands, "STM");
    if (!ops.at_end()) {
        const std::string_view w = ops.word();
        if (!is_keyword(w, "*MSG", 4) && !is_keyword(w, "*SMSG", 5)) {
            return refuse(ops.bad(w));
        }
    }
    if (auto e = ops.check_end()) {
        return refuse(*e);
    }
    return make_stage<Starmsg>();
}

} // namespace cpd::cms
