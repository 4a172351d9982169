// SPDX-License-Identifier: MIT
// Stage's plumbing: writing to a connected stream, end of file, failure and
// the requests a stage makes of the dispatcher.
#include "pipelines/stage.hpp"

#include "pipelines/dispatcher.hpp"

namespace cpd::cms {

bool Stage::output(std::string_view record, std::size_t stream) {
    if (stream >= outputs_.size()) {
        return false;
    }
    Link& l = outputs_[stream];
    if (l.to == nullptr) {
        return false;
    }
    if (l.to->ended_) { // the consumer ended: sever, so the producer can stop
        l.to = nullptr;
        return false;
    }
    l.to->on_record(l.stream, record);
    return true;
}

bool Stage::has_output(std::size_t stream) const noexcept {
    return stream < outputs_.size() && outputs_[stream].to != nullptr &&
           !outputs_[stream].to->ended_;
}

bool Stage::has_any_output() const noexcept {
    for (std::size_t i = 0; i < outputs_.size(); ++i) {
        if (has_output(i)) {
            return true;
        }
    }
    return false;
}

// Ends the stage: each consumer sees end of file on the stream from here.
void Stage::end() {
    if (ended_) {
        return;
    }
    ended_ = true;
    for (Link& l : outputs_) {
        Stage* to = l.to;
        l.to = nullptr;
        if (to != nullptr && !to->ended_) {
            to->input_ended(l.stream);
        }
    }
}

void Stage::input_ended(std::size_t stream) {
    if (stream < inputs_.size() && inputs_[stream]) {
        inputs_[stream] = false;
        if (--open_inputs_ == 0 && !ended_) {
            finish();
        }
    }
}

void Stage::fail(PipeError e) {
    e.stage = number_;
    e.pipeline = pipeline_;
    e.running = text_;
    rc_ = e.number;
    dispatcher_->add_error(e);
    end();
}

void Stage::console(std::string_view line) {
    dispatcher_->add_line(line);
}

void Stage::request_cp(std::string command) {
    dispatcher_->wait(this, PipeEvent::cp, std::move(command));
}

void Stage::request_event(PipeEvent event) {
    dispatcher_->wait(this, event);
}

PipeHost& Stage::host() noexcept {
    return dispatcher_->host();
}

} // namespace cpd::cms
