// SPDX-License-Identifier: MIT
// PIPE [(options)] stage [| stage]...: runs a CMS pipeline (pipelines/). The
// command stage runs its records through this command table; a pipeline
// that waits (cp, starmsg, console input) comes back as a RunningCommand
// for the caller to feed. PIPE's rc is the pipeline's (cms-programming.md
// §9.2): 24 for a bare PIPE, -n for a scanner error, the highest stage rc.
#include "commands/command_table.hpp"

#include "pipelines/dispatcher.hpp"

#include "cpd/cms/running_command.hpp"

#include <memory>

namespace cpd::cms {

namespace {

// A pipeline between events; the host and the dispatcher live as long as it.
class RunningPipe final : public RunningCommand, public std::enable_shared_from_this<RunningPipe> {
  public:
    explicit RunningPipe(Session& s)
        : host_(PipeHost{s, [&s](std::string_view line) {
                             const CommandLine cl(line);
                             return cl.words().empty() ? CommandResult{} : dispatch(s, cl);
                         }}) {}

    // Builds and runs until done or a wait.
    CommandResult start(std::string_view text) {
        Dispatcher::Built b = Dispatcher::build(text, host_);
        if (!b.pipeline) {
            CommandResult r;
            r.rc = b.rc;
            r.lines = std::move(b.lines);
            return r;
        }
        pipeline_ = std::move(b.pipeline);
        return result(pipeline_->run());
    }

    CommandResult cp_answer(int rc, std::string_view text) override {
        return result(pipeline_->cp_answer(rc, text));
    }
    bool wants_smsg() const noexcept override { return state_ == PipeState::wait_smsg; }
    CommandResult smsg(std::string_view from, std::string_view text) override {
        return result(pipeline_->smsg(from, text));
    }
    bool wants_console() const noexcept override { return state_ == PipeState::wait_console; }
    CommandResult console_line(std::string_view line) override {
        return result(pipeline_->console_line(line));
    }
    bool is_ready() const noexcept override { return state_ == PipeState::ready; }
    CommandResult resume() override { return result(pipeline_->run()); }
    CommandResult halt() override { return result(pipeline_->halt()); }

  private:
    // What the caller must do now: show the lines, then pass a command to
    // CP, wait for an event, or end with the rc.
    CommandResult result(PipeState state) {
        state_ = state;
        CommandResult r;
        r.lines = pipeline_->take_lines();
        if (state == PipeState::done) {
            r.rc = pipeline_->rc();
            return r;
        }
        if (state == PipeState::wait_cp) {
            r.cp_command = pipeline_->cp_command();
        }
        r.running = shared_from_this();
        return r;
    }

    PipeHost host_;
    std::unique_ptr<Dispatcher> pipeline_;
    PipeState state_ = PipeState::done;
};

} // namespace

CommandResult cmd_pipe(Session& s, const CommandLine& cl) {
    auto pipe = std::make_shared<RunningPipe>(s);
    return pipe->start(cl.rest_from(1));
}

} // namespace cpd::cms
