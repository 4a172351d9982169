// SPDX-License-Identifier: MIT
// The factories of the built-in stages, by family file (stages/<family>.cpp),
// and what the families share: making a stage or refusing its operands, and
// the checks of a stage's place in the pipeline (127, 87).
#pragma once

#include "pipelines/input_range.hpp"
#include "pipelines/operands.hpp"
#include "pipelines/stage_table.hpp"

#include <memory>
#include <optional>
#include <utility>

namespace cpd::cms {

/// A made stage.
template <class T, class... A> StageMade make_stage(A&&... args) {
    return StageMade{std::make_unique<T>(std::forward<A>(args)...), {}};
}
/// A refused operand list.
inline StageMade refuse(PipeError e) {
    return StageMade{nullptr, std::move(e)};
}
/// 127 if `s` is first (a stage that needs input).
inline std::optional<PipeError> needs_input(const Stage& s, std::string_view module) {
    if (s.is_first()) {
        return pipe_error(module, 127, "This stage cannot be first in a pipeline");
    }
    return std::nullopt;
}
/// 87 if `s` is not first (a stage that only produces records).
inline std::optional<PipeError> must_be_first(const Stage& s, std::string_view module) {
    if (!s.is_first()) {
        return pipe_error(module, 87, "This stage must be the first stage of a pipeline");
    }
    return std::nullopt;
}

// literal_console.cpp
StageMade make_literal(std::string_view operands);
StageMade make_console(std::string_view operands);
// disk.cpp
StageMade make_diskr(std::string_view operands);
StageMade make_diskw(std::string_view operands);
StageMade make_diskwa(std::string_view operands);
// selection.cpp
StageMade make_locate(std::string_view operands);
StageMade make_nlocate(std::string_view operands);
StageMade make_find(std::string_view operands);
StageMade make_nfind(std::string_view operands);
StageMade make_take(std::string_view operands);
StageMade make_drop(std::string_view operands);
// change.cpp
StageMade make_change(std::string_view operands);
// count.cpp
StageMade make_count(std::string_view operands);
// sort_unique.cpp
StageMade make_sort(std::string_view operands);
StageMade make_unique(std::string_view operands);
// specs.cpp
StageMade make_specs(std::string_view operands);
// reformat.cpp
StageMade make_strip(std::string_view operands);
StageMade make_xlate(std::string_view operands);
StageMade make_split(std::string_view operands);
StageMade make_join(std::string_view operands);
StageMade make_chop(std::string_view operands);
StageMade make_reverse(std::string_view operands);
// flow.cpp
StageMade make_duplicate(std::string_view operands);
StageMade make_hole(std::string_view operands);
StageMade make_buffer(std::string_view operands);
StageMade make_fanout(std::string_view operands);
StageMade make_faninany(std::string_view operands);
// host.cpp
StageMade make_cp(std::string_view operands);
StageMade make_command(std::string_view operands);
StageMade make_starmsg(std::string_view operands);
// rexx.cpp
StageMade make_stem(std::string_view operands);
StageMade make_var(std::string_view operands);
StageMade make_stack(std::string_view operands);

} // namespace cpd::cms
