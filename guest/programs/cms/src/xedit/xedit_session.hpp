// SPDX-License-Identifier: MIT
// XeditSession: XEDIT as a modal console session. It owns the Editor, gives
// it each console line, runs a word XEDIT does not know as a macro or as a
// CMS command (IMPCMSCP ON, through the runner the XEDIT command hands in),
// runs PROFILE XEDIT at start through the macro hook, and tells the console
// whether XEDIT reads subcommands or input. Private to cms_core.
#pragma once

#include "xedit/editor.hpp"
#include "xedit/macro_hook.hpp"

#include "cpd/cms/modal_session.hpp"

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace cpd::cms::xedit {

/// Runs one CMS command line (IMPCMSCP); commands/xedit.cpp hands in dispatch().
using CmsRunner = std::function<CommandResult(std::string_view line)>;

/// One XEDIT session holding the console.
class XeditSession : public ModalSession {
  public:
    XeditSession(Editor editor, CmsRunner cms);

    /// Runs PROFILE XEDIT (if found and a macro runner is installed) and
    /// returns what XEDIT shows when it starts: the profile's lines, then
    /// `opening` (e.g. "New file").
    CommandResult start(std::vector<std::string> opening, bool run_profile);

    CommandResult on_line(std::string_view line) override;
    bool is_over() const noexcept override { return editor_.is_done(); }
    proto::ConsoleMode mode() const noexcept override;

    Editor& editor() noexcept { return editor_; }

  private:
    CommandResult run_other(const std::string& line);

    Editor editor_;
    CmsRunner cms_;
};

} // namespace cpd::cms::xedit
