// SPDX-License-Identifier: MIT
// What cpd reads before it starts: the command line, the environment,
// cpd.conf and the user directory. Both files are checked in the same run, so
// that a user sees every problem of each at once: a cpd.conf with errors does
// not stop the directory from being read (from the path cpd.conf gave, if it
// got that far, else the default) and checked too.
#pragma once

#include "config/directory/directory_parser.hpp"
#include "config/options.hpp"

#include <string>
#include <vector>

namespace cpd::daemon {

/// The checked configuration, or why cpd must not start.
struct StartupConfig {
    bool run = false;                ///< false: print `output` and `errors`, exit `exit_code`
    int exit_code = 0;               ///< 0 (help, version), 64 usage, 78 configuration
    std::string output;              ///< text for stdout (help, version)
    std::vector<std::string> errors; ///< cpd.conf's problems, then the directory's
    Options options;
    DirectoryParseResult dir;
};

/// Parses options, then loads and checks the directory whatever cpd.conf held.
StartupConfig read_startup_config(int argc, const char* const* argv);

} // namespace cpd::daemon
