// SPDX-License-Identifier: MIT
// Dispatcher: one PIPE command's stages, connected, run on the guest's one
// thread. It drives the stages with no input (sources) one batch at a time;
// each record then flows down the connected stages at once, by view. It
// stops between batches when a stage waits for CP or an event, and resumes
// when the caller delivers it. It owns the stages and the console lines
// they wrote; it never does I/O itself.
#pragma once

#include "pipelines/scanner.hpp"
#include "pipelines/stage.hpp"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace cpd::cms {

/// Where a pipeline stands when the dispatcher returns.
enum class PipeState {
    done,         ///< every stage has ended; rc() is PIPE's rc
    wait_cp,      ///< cp_command() must go to CP; then call cp_answer()
    wait_smsg,    ///< a starmsg stage waits: call smsg() when one arrives
    wait_console, ///< a console stage reads: call console_line()
    ready         ///< console lines to show first (take_lines), then run() again
};

/// Console lines a pipeline holds before it pauses so they can be shown.
inline constexpr std::size_t pipe_flush_lines = 1024;

/// A scanned, connected and started PIPE command.
class Dispatcher {
  public:
    /// The pipeline, or the messages and rc of why it cannot run.
    struct Built {
        std::unique_ptr<Dispatcher> pipeline;
        std::vector<std::string> lines;
        int rc = 0;
    };
    /// Scans `text` (the operands of PIPE), makes and connects the stages,
    /// and starts them; nothing runs if any of that fails.
    static Built build(std::string_view text, PipeHost& host);

    /// Runs until every stage has ended or a stage waits.
    PipeState run();
    /// Gives CP's answer to the stage that asked, then runs on.
    PipeState cp_answer(int rc, std::string_view text);
    /// Gives an SMSG to the waiting starmsg stage, then runs on.
    PipeState smsg(std::string_view from, std::string_view text);
    /// Gives a console line to the reading console stage, then runs on.
    PipeState console_line(std::string_view line);
    /// HX: ends every stage at once (nothing held is written); done.
    PipeState halt();

    /// The command to pass to CP in state wait_cp.
    const std::string& cp_command() const noexcept { return cp_command_; }
    /// The console lines written since the last call, in order.
    std::vector<std::string> take_lines();
    /// PIPE's rc: the highest stage rc, or the most negative if any is negative.
    int rc() const noexcept;

    // For Stage only.
    void add_line(std::string_view line) { lines_.emplace_back(line); }
    void add_error(const PipeError& e);
    void wait(Stage* stage, PipeEvent event, std::string cp_command = {});
    PipeHost& host() noexcept { return host_; }

  private:
    struct Waiter {
        Stage* stage;
        PipeEvent event;
        std::string command;
    };
    explicit Dispatcher(PipeHost& host) : host_(host) {}
    std::optional<PipeError> make_stages(const PipeSpec& spec);
    PipeState state();
    Stage* next_source();
    bool is_waiting(const Stage* s) const;
    Stage* take_waiter(PipeEvent event);

    PipeHost& host_;
    std::vector<std::unique_ptr<Stage>> stages_;
    std::vector<Stage*> sources_;
    std::size_t next_source_ = 0;
    std::vector<Waiter> waiters_;
    std::vector<std::string> lines_;
    std::string cp_command_;
};

} // namespace cpd::cms
