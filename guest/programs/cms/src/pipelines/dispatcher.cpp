// SPDX-License-Identifier: MIT
// Building and running a pipeline. Labels connect pipelines: the first use
// of "a:" defines stage a with its primary streams; each later "a:" connects
// a's next stream (secondary, tertiary, ...) to its neighbours there.
// Scanner and connection errors have rc -number; a stage that refuses its
// operands or fails has rc +number (cms-programming.md §9.2).
#include "pipelines/dispatcher.hpp"

#include "pipelines/stage_table.hpp"

#include "cpd/cms/filespec.hpp"

#include <algorithm>
#include <map>

namespace cpd::cms {

namespace {

// Where a stage sits, for its messages.
PipeError at(PipeError e, std::size_t stage, std::size_t pipeline, const std::string& text) {
    e.stage = stage;
    e.pipeline = pipeline;
    e.running = text;
    return e;
}

} // namespace

Dispatcher::Built Dispatcher::build(std::string_view text, PipeHost& host) {
    Built b;
    ScanResult scan = scan_pipe(text);
    std::unique_ptr<Dispatcher> d(new Dispatcher(host));
    std::optional<PipeError> error = scan.error;
    if (!error) {
        error = d->make_stages(scan.spec);
    }
    if (!error) {
        for (auto& s : d->stages_) {
            if ((error = s->start())) {
                error = at(*error, s->number_, s->pipeline_, s->text_);
                break;
            }
        }
    }
    if (error) {
        b.lines = pipe_error_lines(*error);
        // A bare PIPE is rc 24 (patch-cms, issue 17); other scanner errors
        // (modules SCA, SCB) are -number, a stage's refusal +number.
        const bool scanner = error->module.starts_with("SC");
        b.rc = error->number == 256 ? 24 : scanner ? -error->number : error->number;
        return b;
    }
    b.pipeline = std::move(d);
    return b;
}

// Makes each stage through the stage table and connects the streams.
std::optional<PipeError> Dispatcher::make_stages(const PipeSpec& spec) {
    std::map<std::string, std::pair<Stage*, std::size_t>> labels; // stage, streams used
    for (std::size_t p = 0; p < spec.pipelines.size(); ++p) {
        Stage* prev = nullptr;
        std::size_t prev_stream = 0;
        for (std::size_t i = 0; i < spec.pipelines[p].size(); ++i) {
            const StageText& st = spec.pipelines[p][i];
            Stage* cur = nullptr;
            std::size_t stream = 0;
            if (st.name.empty()) { // "a:" alone: a's next stream
                auto it = labels.find(st.label);
                if (it == labels.end()) {
                    return at(pipe_error("SCA", 46, "Label " + st.label + " not defined"), i + 1,
                              p + 1, st.text);
                }
                cur = it->second.first;
                stream = ++it->second.second;
            } else {
                const StageSpec* row = find_stage(st.name);
                if (row == nullptr) {
                    return at(
                        pipe_error("SCB", 27, "Entry point " + to_upper(st.name) + " not found"),
                        i + 1, p + 1, st.text);
                }
                StageMade made = row->make(st.operands);
                if (!made.stage) {
                    return at(made.error, i + 1, p + 1, st.text);
                }
                if (!st.label.empty() &&
                    !labels.emplace(st.label, std::pair{made.stage.get(), 0}).second) {
                    return at(pipe_error("SCA", 45, "Label " + st.label + " already defined"),
                              i + 1, p + 1, st.text);
                }
                cur = made.stage.get();
                cur->dispatcher_ = this;
                cur->number_ = i + 1;
                cur->pipeline_ = p + 1;
                cur->text_ = st.text;
                stages_.push_back(std::move(made.stage));
            }
            if (prev != nullptr) {
                if (prev->outputs_.size() <= prev_stream) {
                    prev->outputs_.resize(prev_stream + 1);
                }
                prev->outputs_[prev_stream] = Stage::Link{cur, stream};
                if (cur->inputs_.size() <= stream) {
                    cur->inputs_.resize(stream + 1, false);
                }
                cur->inputs_[stream] = true;
                ++cur->open_inputs_;
            }
            prev = cur;
            prev_stream = stream;
        }
    }
    for (auto& s : stages_) {
        if (s->open_inputs_ == 0) {
            s->inputs_.clear();
            sources_.push_back(s.get());
        }
    }
    return std::nullopt;
}

bool Dispatcher::is_waiting(const Stage* s) const {
    return std::any_of(waiters_.begin(), waiters_.end(),
                       [s](const Waiter& w) { return w.stage == s; });
}

// The next source (round robin) that has not ended and is not waiting.
Stage* Dispatcher::next_source() {
    for (std::size_t n = 0; n < sources_.size(); ++n) {
        Stage* s = sources_[next_source_];
        next_source_ = (next_source_ + 1) % sources_.size();
        if (!s->ended_ && !is_waiting(s)) {
            return s;
        }
    }
    return nullptr;
}

// What the caller must do next, once no source can run.
PipeState Dispatcher::state() {
    for (const Waiter& w : waiters_) {
        if (w.event == PipeEvent::cp) {
            cp_command_ = w.command;
            return PipeState::wait_cp;
        }
    }
    if (!waiters_.empty()) {
        return waiters_.front().event == PipeEvent::smsg ? PipeState::wait_smsg
                                                         : PipeState::wait_console;
    }
    return PipeState::done;
}

PipeState Dispatcher::run() {
    for (;;) {
        // A stage waiting for CP holds the records it was given; produce
        // no more until CP answers, so memory stays bounded.
        const bool cp_pending = std::any_of(waiters_.begin(), waiters_.end(), [](const Waiter& w) {
            return w.event == PipeEvent::cp;
        });
        Stage* s = cp_pending ? nullptr : next_source();
        if (s == nullptr) {
            return state();
        }
        const bool more = s->produce();
        if (!s->ended_ && !more) {
            s->finish();
        } else if (!s->ended_ && !s->outputs_.empty() && !s->has_any_output()) {
            s->end(); // every consumer has ended: no one reads this source
        }
        if (lines_.size() >= pipe_flush_lines) {
            return PipeState::ready; // console output stays bounded: one batch's worth
        }
    }
}

void Dispatcher::wait(Stage* stage, PipeEvent event, std::string cp_command) {
    waiters_.push_back(Waiter{stage, event, std::move(cp_command)});
}

Stage* Dispatcher::take_waiter(PipeEvent event) {
    for (auto it = waiters_.begin(); it != waiters_.end(); ++it) {
        if (it->event == event) {
            Stage* s = it->stage;
            waiters_.erase(it);
            return s;
        }
    }
    return nullptr;
}

PipeState Dispatcher::cp_answer(int rc, std::string_view text) {
    if (Stage* s = take_waiter(PipeEvent::cp); s != nullptr && !s->ended_) {
        s->on_cp_answer(rc, text);
    }
    return run();
}

PipeState Dispatcher::smsg(std::string_view from, std::string_view text) {
    if (Stage* s = take_waiter(PipeEvent::smsg); s != nullptr && !s->ended_) {
        s->on_smsg(from, text);
    }
    return run();
}

PipeState Dispatcher::console_line(std::string_view line) {
    if (Stage* s = take_waiter(PipeEvent::console); s != nullptr && !s->ended_) {
        s->on_console_line(line);
    }
    return run();
}

PipeState Dispatcher::halt() {
    waiters_.clear();
    for (auto& s : stages_) {
        s->ended_ = true; // no finish(): what sort or buffer holds is dropped
    }
    lines_.emplace_back("CMS");
    return PipeState::done;
}

void Dispatcher::add_error(const PipeError& e) {
    for (std::string& l : pipe_error_lines(e)) {
        lines_.push_back(std::move(l));
    }
}

std::vector<std::string> Dispatcher::take_lines() {
    return std::exchange(lines_, {});
}

int Dispatcher::rc() const noexcept {
    int high = 0;
    int low = 0;
    for (const auto& s : stages_) {
        high = std::max(high, s->rc_);
        low = std::min(low, s->rc_);
    }
    return low < 0 ? low : high;
}

} // namespace cpd::cms
