// SPDX-License-Identifier: MIT
// Parses a user directory file (a subset of z/VM USER DIRECT) into a
// Directory. Errors name file and line; unknown statements become warnings.
// Pure: reads the one file it is given and nothing else.
#pragma once

#include "directory.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace cpd::daemon {

/// One problem found while parsing, e.g. "user.direct:12: USER needs a userid".
struct DirectoryDiagnostic {
    std::string file;
    int line = 0;
    std::string message;
    /// "file:line: message".
    std::string to_string() const;
};

/// What the parser produced.
struct DirectoryParseResult {
    Directory directory;
    std::vector<DirectoryDiagnostic> errors;   ///< any error: the directory must not be used
    std::vector<DirectoryDiagnostic> warnings; ///< unknown statements etc.
    bool ok() const noexcept { return errors.empty(); }
};

/// Parses the text of a directory; `file` names it in diagnostics.
DirectoryParseResult parse_directory(std::string_view text, const std::string& file);
/// Reads and parses a directory file; an unreadable file is an error naming it.
DirectoryParseResult load_directory(const std::string& path);

} // namespace cpd::daemon
