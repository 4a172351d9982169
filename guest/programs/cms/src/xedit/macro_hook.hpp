// SPDX-License-Identifier: MIT
// The hook through which XEDIT runs macros (PROFILE XEDIT at start, and a
// word that is no subcommand but names an "fn XEDIT" file): a REXX program
// with ADDRESS XEDIT reaching Editor::subcommand and Editor::extract. XEDIT
// cannot run REXX itself; the REXX layer (src/rexx/) installs the runner.
// Until one is installed, PROFILE XEDIT is not run and macros are not found.
#pragma once

#include "xedit/editor.hpp"

#include "cpd/cms/command_result.hpp"
#include "cpd/cms/filesystem.hpp"

#include <functional>
#include <string_view>

namespace cpd::cms::xedit {

/// Runs the macro `macro` (file type XEDIT) with `args` against `editor`;
/// returns its console lines and rc (side effects as a command's).
using MacroRunner =
    std::function<CommandResult(const FileEntry& macro, std::string_view args, Editor& editor)>;

/// The installed runner (empty: no REXX yet). Thread: the guest's one thread.
MacroRunner& macro_runner();

} // namespace cpd::cms::xedit
