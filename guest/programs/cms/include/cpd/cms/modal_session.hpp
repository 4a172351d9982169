// SPDX-License-Identifier: MIT
// ModalSession: a program that holds the CMS console until it ends, as XEDIT
// does: while one is open, the CommandProcessor gives it every console line
// instead of running the line as a command, and the console shows its mode
// instead of "Ready;". One interface, so that the console glue need not know
// XEDIT, and so that a later "command reads console lines" mechanism (REXX
// PULL, VM READ) can drive the same session.
#pragma once

#include "cpd/cms/command_result.hpp"
#include "cpd/proto/console_mode.hpp"

#include <string_view>

namespace cpd::cms {

/// A program that reads the console's lines until it is over.
class ModalSession {
  public:
    virtual ~ModalSession() = default;
    /// Handles one console line (a null line included); returns what CMS
    /// shows and does, as a command would.
    virtual CommandResult on_line(std::string_view line) = 0;
    /// True once the session gave the console back to CMS (FILE, QUIT).
    virtual bool is_over() const noexcept = 0;
    /// Who reads the next line while the session is open (XEDIT or its input mode).
    virtual proto::ConsoleMode mode() const noexcept = 0;
};

} // namespace cpd::cms
