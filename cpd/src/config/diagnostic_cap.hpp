// SPDX-License-Identifier: MIT
// The cap on reported configuration problems, shared by cpd.conf and the user
// directory: the first max_kept_diagnostics are kept and logged, the rest are
// counted and summed up in one "... and N more errors" line.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace cpd::daemon {

/// Errors (and, apart, warnings) kept and reported from one file.
inline constexpr std::size_t max_kept_diagnostics = 100;

/// "... and N more errors" (`what` is "errors" or "warnings").
inline std::string more_diagnostics(std::size_t n, std::string_view what) {
    return "... and " + std::to_string(n) + " more " + std::string(what);
}

/// Keeps the first max_kept_diagnostics `messages` and, if there were more, a
/// last line saying how many.
inline void cap_diagnostics(std::vector<std::string>& messages, std::string_view what) {
    if (messages.size() <= max_kept_diagnostics)
        return;
    const std::size_t more = messages.size() - max_kept_diagnostics;
    messages.resize(max_kept_diagnostics);
    messages.push_back(more_diagnostics(more, what));
}

} // namespace cpd::daemon
