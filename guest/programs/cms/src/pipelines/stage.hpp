// SPDX-License-Identifier: MIT
// Stage: the unit of a pipeline. A stage reads records from its input
// streams and writes records to its output streams; the dispatcher connects
// the streams and drives the stages that have no input (sources). Records
// are string_views, valid only during the call: a stage that passes a record
// on unchanged passes the same view, and one that must keep it copies it.
#pragma once

#include "pipelines/pipe_error.hpp"

#include "cpd/cms/command_result.hpp"
#include "cpd/cms/session.hpp"

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cpd::cms {

class Dispatcher;

/// What a stage may wait for outside the pipeline.
enum class PipeEvent { cp, smsg, console };

/// What a pipeline may use of the CMS it runs in.
struct PipeHost {
    Session& session; ///< the guest's disks and variables
    /// Runs one CMS command line (the command and cms stages).
    std::function<CommandResult(std::string_view)> run_command;
};

/// One stage of a running pipeline.
class Stage {
  public:
    virtual ~Stage() = default;

    /// Checks what depends on the stage's place (first or not, its streams)
    /// and acquires what it needs (opens a file), before any record flows.
    virtual std::optional<PipeError> start() { return std::nullopt; }
    /// Called while the stage has no connected input: writes some records;
    /// returns false once it has written its last.
    virtual bool produce() { return false; }
    /// A record arrived on input stream `stream`.
    virtual void on_record(std::size_t stream, std::string_view record) = 0;
    /// Every input reached end of file: write what is held, then end.
    virtual void finish() { end(); }
    /// CP's answer to request_cp(): its rc and its lines, '\n'-separated.
    virtual void on_cp_answer(int /*rc*/, std::string_view /*text*/) {}
    /// An SMSG arrived after request_event(PipeEvent::smsg).
    virtual void on_smsg(std::string_view /*from*/, std::string_view /*text*/) {}
    /// A console line arrived after request_event(PipeEvent::console).
    virtual void on_console_line(std::string_view /*line*/) {}

    /// True if no input stream is connected (the stage is first).
    bool is_first() const noexcept { return inputs_.empty(); }
    /// True once the stage has ended (its outputs are at end of file).
    bool has_ended() const noexcept { return ended_; }
    /// The stage's rc (0, or the number of the message it failed with).
    int rc() const noexcept { return rc_; }

  protected:
    /// Writes `record` to output `stream`; false if that stream is not
    /// connected or its consumer has ended (the record is then dropped).
    bool output(std::string_view record, std::size_t stream = 0);
    /// True if output `stream` is connected to a stage that has not ended.
    bool has_output(std::size_t stream) const noexcept;
    /// True if any output is still consumed.
    bool has_any_output() const noexcept;
    /// Number of input streams connected.
    std::size_t input_count() const noexcept { return inputs_.size(); }
    /// Number of output streams connected.
    std::size_t output_count() const noexcept { return outputs_.size(); }
    /// Ends the stage: end of file on every output; later records are dropped.
    void end();
    /// Ends the stage with `rc` (a command's rc, no message).
    void end_with(int rc) {
        rc_ = rc;
        end();
    }
    /// Fails at run time: shows `e` (with this stage's position), sets the
    /// stage's rc to its number, and ends the stage.
    void fail(PipeError e);
    /// Shows a line at the console, in order with the pipeline's other output.
    void console(std::string_view line);
    /// Asks CP to run `command`; on_cp_answer follows. The pipeline produces
    /// no more records until it does.
    void request_cp(std::string command);
    /// Waits for an SMSG or a console line (a source only): on_smsg or
    /// on_console_line follows; produce() is not called until then.
    void request_event(PipeEvent event);
    /// The CMS the pipeline runs in.
    PipeHost& host() noexcept;

  private:
    friend class Dispatcher;
    struct Link {
        Stage* to = nullptr;
        std::size_t stream = 0;
    };
    void input_ended(std::size_t stream);

    Dispatcher* dispatcher_ = nullptr;
    std::vector<Link> outputs_;
    std::vector<bool> inputs_; ///< true while that input stream is open
    std::size_t open_inputs_ = 0;
    bool ended_ = false;
    int rc_ = 0;
    std::size_t number_ = 0;   ///< 1-based, in its pipeline
    std::size_t pipeline_ = 0; ///< 1-based
    std::string text_;         ///< as typed, for messages
};

} // namespace cpd::cms
