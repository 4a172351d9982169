// SPDX-License-Identifier: MIT
// The PIPE scanner: turns the text after PIPE into pipelines of stage texts.
// It applies the global options (STAGESEP, ENDCHAR, ESCAPE, ...), splits at
// the stage separator and the end character, removes escape characters and
// finds labels. It knows no stage names: the dispatcher looks them up.
#pragma once

#include "pipelines/pipe_error.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cpd::cms {

/// One stage as typed: an optional label, the stage name and its operands.
struct StageText {
    std::string label;    ///< "a" for "a: ..." or "a:", else empty
    std::string name;     ///< first word of the stage; empty for a label reference
    std::string operands; ///< the rest, leading blanks removed, trailing blanks kept if escaped
    std::string text;     ///< the whole stage text, for messages
};

/// A scanned PIPE command: one or more pipelines of stages.
struct PipeSpec {
    std::vector<std::vector<StageText>> pipelines;
    char stagesep = '|';         ///< the stage separator
    std::optional<char> endchar; ///< the end character, if given
    std::optional<char> escape;  ///< the escape character, if given
};

/// The spec or the error that stops the scan (stage and pipeline are set
/// when the error belongs to one stage).
struct ScanResult {
    PipeSpec spec;
    std::optional<PipeError> error;
};

/// Scans `text`, the operands of PIPE; error 256 if it holds no pipeline.
ScanResult scan_pipe(std::string_view text);

} // namespace cpd::cms
