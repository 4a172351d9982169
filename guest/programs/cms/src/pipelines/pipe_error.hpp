// SPDX-License-Identifier: MIT
// PipeError: one CMS Pipelines message (FPL + module + number + severity +
// text) and where it was raised (stage and pipeline, 1-based), plus how a
// failed scan or run is shown: the message, then the "... Issued from stage"
// and "... Running" lines, as CMS Pipelines does by default.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace cpd::cms {

/// One FPL message raised by the scanner or a stage.
struct PipeError {
    int number = 0;           ///< message number, e.g. 27
    char severity = 'E';      ///< I, W, E or S
    std::string module;       ///< 3 letters, e.g. "SCA"
    std::string text;         ///< the message text, inserts filled in
    std::size_t stage = 0;    ///< 1-based stage number, 0 if none
    std::size_t pipeline = 0; ///< 1-based pipeline number
    std::string running;      ///< the stage's text as typed, for "... Running"
};

/// A stage error: module and number, text; the dispatcher adds the position.
PipeError pipe_error(std::string_view module, int number, std::string text);

/// The console lines for `e`: the message, then "... Issued from" and
/// "... Running" when the error belongs to a stage.
std::vector<std::string> pipe_error_lines(const PipeError& e);

} // namespace cpd::cms
