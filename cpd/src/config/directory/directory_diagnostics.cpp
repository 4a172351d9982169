// SPDX-License-Identifier: MIT
// How a directory parse's diagnostics read: "file:line: message", the kept
// ones in order, then "... and N more errors" (or warnings) for the rest.
#include "config/directory/directory_parser.hpp"

#include "config/diagnostic_cap.hpp"

#include <utility>

namespace cpd::daemon {
namespace {

/// Each kept diagnostic as text, then "... and N more errors" (or warnings).
std::vector<std::string> lines_of(const std::vector<DirectoryDiagnostic>& kept, std::size_t more,
                                  const char* what) {
    std::vector<std::string> out;
    out.reserve(kept.size() + 1);
    for (const auto& d : kept) {
        out.push_back(d.to_string());
    }
    if (more != 0) {
        out.push_back(more_diagnostics(more, what));
    }
    return out;
}

} // namespace

std::string DirectoryDiagnostic::to_string() const {
    if (line <= 0) {
        return file + ": " + message;
    }
    return file + ":" + std::to_string(line) + ": " + message;
}

std::vector<std::string> DirectoryParseResult::error_lines() const {
    return lines_of(errors, more_errors, "errors");
}

std::vector<std::string> DirectoryParseResult::warning_lines() const {
    return lines_of(warnings, more_warnings, "warnings");
}

DirectoryParseResult refused_directory(const std::string& path, std::string problem) {
    DirectoryParseResult refused;
    refused.errors.push_back({path, 0, std::move(problem)});
    return refused;
}

} // namespace cpd::daemon
