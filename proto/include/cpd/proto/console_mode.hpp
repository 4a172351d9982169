// SPDX-License-Identifier: MIT
// ConsoleMode: what reads a guest's next console line, carried by the end
// marker of each console line (ConsoleEnd, ServerConsoleEnd) so that a
// console client knows whether to show CMS's "Ready;" or a program's prompt.
// Pure data; numbers are fixed on the wire.
#pragma once

#include <cstdint>

namespace cpd::proto {

/// Who takes the guest's next console line.
enum class ConsoleMode : std::uint8_t {
    command = 0,     ///< the command environment: the client shows "Ready;"
    xedit = 1,       ///< XEDIT's subcommand line: no Ready; prompt names XEDIT
    xedit_input = 2, ///< XEDIT input mode: lines are text, a null line ends it
    /// VM READ: a running program (a REXX PULL) waits for the next line; a
    /// null line is an answer too. Sent before each read, so a pipe-mode
    /// client that sends one line per marker answers it without racing.
    vm_read = 3,
};

/// The largest ConsoleMode a decoder accepts.
inline constexpr ConsoleMode console_mode_last = ConsoleMode::vm_read;

} // namespace cpd::proto
