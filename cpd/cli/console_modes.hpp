// SPDX-License-Identifier: MIT
// The two ways cmsconsole runs once attached: pipe mode (stdin is not a
// terminal: send each line, print output up to its end marker, exit with the
// last command's rc) and terminal mode (line editing, history, output printed
// above the prompt, escape key detaches; an observer gets no prompt at all). Both share the line classification.
#pragma once

#include "console_connection.hpp"

#include <string>
#include <string_view>

namespace cpd::cli {

/// Settings both modes need.
struct ConsoleSettings {
    explicit ConsoleSettings(const proto::Userid& id) : userid(id) {}
    proto::Userid userid;
    proto::ConsoleRole role = proto::ConsoleRole::writer;
    int escape_char = 0x1d;   ///< Ctrl-]; -1 disables the escape key
    std::string escape_name = "^]";
    std::string history_file; ///< "" disables history
    int interrupt_fd = -1;    ///< from block_interrupts(), for an observer in pipe mode
    /// Who reads the guest's next line at attach (XEDIT may hold the console).
    proto::ConsoleMode mode = proto::ConsoleMode::command;
};

/// What a typed line asks for.
struct LineAction {
    enum class Kind { empty, input, cp, disconnect } kind = Kind::empty;
    std::string text; ///< the input line, or the CP command after "#CP"
};

/// Classifies a typed line: "", "#CP DISCONNECT" (DISC..), "#CP cmd", or input.
LineAction classify_line(std::string_view line);
/// The same while the guest reads lines in `mode`: in XEDIT input mode and at
/// a VM READ a null or blank line is input too (a null line ends input mode,
/// blanks are a record; a PULL reads it as it is).
LineAction classify_line(std::string_view line, proto::ConsoleMode mode);
/// The terminal prompt for `mode`: "USERID> ", "USERID XEDIT> ", "USERID INPUT> ",
/// "USERID VM READ> ".
std::string prompt_for(const proto::Userid& userid, proto::ConsoleMode mode);

/// Why cmsconsole cannot send an input or #CP line (over console_max_line or
/// cp_command_max bytes, or holding NUL or CR), as z/VM says it with its rc:
/// "HCP026E Operand missing or invalid: ... (rc 26)"; "" if it may be sent.
std::string line_refusal(const LineAction& action);

/// Runs pipe mode until end of input; returns the exit status.
int run_pipe_mode(ConsoleConnection& conn, const ConsoleSettings& settings);
/// Runs pipe mode for an observer: prints output until the console closes,
/// end of input (stdin /dev/null never ends) or SIGINT (exit 0; SIGTERM and
/// SIGHUP 128+n), detaching first; typed lines are refused but #CP DISCONNECT.
int run_observer_pipe_mode(ConsoleConnection& conn, const ConsoleSettings& settings);
/// Blocks SIGINT, SIGTERM and SIGHUP and returns a signalfd for them (-1 on
/// error); called before the banner so a signal right after it is not lost.
int block_interrupts();
/// Runs terminal mode until detach or close; returns the exit status.
int run_terminal_mode(ConsoleConnection& conn, const ConsoleSettings& settings);

/// Reads the replay that follows an attach (up to ServerConsoleSkipped) and
/// prints it with the skipped-lines marker first; false if the connection ended.
/// `mode` (if given) learns who reads the guest's next line.
bool print_replay(ConsoleConnection& conn, std::string& error,
                  proto::ConsoleMode* mode = nullptr);

/// Text shown when cpd closes the console.
std::string closed_message(const proto::ServerConsoleClosed& closed);

} // namespace cpd::cli
