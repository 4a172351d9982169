// SPDX-License-Identifier: MIT
// The stage table: every built-in stage's name, minimum abbreviation and
// factory, as the command table is for commands. A factory parses the
// stage's operands and returns the stage, or the message that refuses them.
#pragma once

#include "pipelines/stage.hpp"

#include <cstddef>
#include <memory>
#include <span>
#include <string_view>

namespace cpd::cms {

/// A stage made from its operands, or the error that refuses them.
struct StageMade {
    std::unique_ptr<Stage> stage;
    PipeError error;
};

/// Makes a stage from its operands (the text after the stage name).
using StageFactory = StageMade (*)(std::string_view operands);

/// One row of the stage table.
struct StageSpec {
    std::string_view name;  ///< upper-case name, e.g. "LOCATE"
    std::size_t min_length; ///< shortest accepted abbreviation
    StageFactory make;      ///< parses the operands
};

/// Every built-in stage, in alphabetical order.
std::span<const StageSpec> stage_table() noexcept;
/// The stage `word` names (any case), or nullptr.
const StageSpec* find_stage(std::string_view word) noexcept;

} // namespace cpd::cms
