// SPDX-License-Identifier: MIT
// Parses a user directory file (a subset of z/VM USER DIRECT) into a
// Directory. Errors name file and line; unknown statements become warnings.
// Pure: reads the one file it is given and nothing else.
#pragma once

#include "config/diagnostic_cap.hpp"
#include "config/directory/directory.hpp"

#include <cstddef>
#include <memory>
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
    /// Past max_kept_diagnostics errors are only counted, so a huge file of bad
    /// lines costs neither memory nor a flood of log lines.
    std::size_t more_errors = 0;
    std::size_t more_warnings = 0; ///< warnings found past max_kept_diagnostics, not kept
    bool ok() const noexcept { return errors.empty(); }
    /// Each kept error as text, then "... and N more errors" if some were not kept.
    std::vector<std::string> error_lines() const;
    /// Each kept warning as text, then "... and N more warnings" if some were not kept.
    std::vector<std::string> warning_lines() const;
};

/// A directory parsed a few lines at a time, so that an event loop can run
/// other work between slices; the same result as parse_directory.
class DirectoryParse {
public:
    /// Takes the text of the directory; `file` names it in diagnostics.
    DirectoryParse(std::string text, std::string file);
    ~DirectoryParse();
    DirectoryParse(DirectoryParse&&) noexcept;
    DirectoryParse& operator=(DirectoryParse&&) noexcept;

    /// Parses up to `max_lines` more lines; true once every line is parsed.
    bool parse_some(std::size_t max_lines);
    /// Runs the checks across entries and returns the result; call once, after
    /// parse_some returned true.
    DirectoryParseResult finish();

private:
    struct State;
    std::unique_ptr<State> state_;
};

/// Parses the text of a directory; `file` names it in diagnostics.
DirectoryParseResult parse_directory(std::string_view text, const std::string& file);
/// Reads (see BoundedFile) and parses a directory file; a file that is missing,
/// not a regular file or too large is an error naming it.
DirectoryParseResult load_directory(const std::string& path);
/// The result of a directory file refused before parsing, with its one error.
DirectoryParseResult refused_directory(const std::string& path, std::string problem);

} // namespace cpd::daemon
