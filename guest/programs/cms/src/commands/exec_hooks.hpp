// SPDX-License-Identifier: MIT
// What a REXX program run by CMS may reach outside Regina, for the programs
// other than EXECs (XEDIT macros): the same hooks an EXEC gets from
// exec.cpp (ADDRESS CMS/COMMAND/CP, SAY, PULL, the CMS functions, external
// routines, HX), and the reading of a REXX program's source.
#pragma once

#include "rexx/rexx_engine.hpp"

#include "cpd/cms/command_result.hpp"
#include "cpd/cms/session.hpp"

#include <optional>
#include <string>
#include <vector>

namespace cpd::cms {

/// The hooks of a program running for `s`: its lines go to the host, or
/// (no host: unit tests) are appended to `collected`.
rexx::ProgramHooks exec_hooks(Session& s, std::vector<std::string>* collected);

/// Reads the REXX program in `e` into `source`; an error result if it cannot
/// be read or is not REXX (first line not a comment). `module` names the
/// DMS module in the messages ("EXE", "XMC").
std::optional<CommandResult> load_rexx_source(Session& s, const FileEntry& e,
                                              std::string_view module, std::string& source);

} // namespace cpd::cms
