// SPDX-License-Identifier: MIT
// The built-in stage table. A new stage is one row here (and its factory in
// stages/stages.hpp); the compiler checks that the table is sorted and that
// no abbreviation of a row selects another row, as for the command table.
#include "pipelines/stage_table.hpp"
#include "tables/abbrev_table.hpp"

#include "pipelines/stages/stages.hpp"

#include "cpd/cms/filespec.hpp"

#include <array>

namespace cpd::cms {

namespace {

constexpr auto table = std::to_array<StageSpec>({
    {"<", 1, make_diskr},
    {">", 1, make_diskw},
    {">>", 2, make_diskwa},
    {"BUFFER", 6, make_buffer},
    {"CHANGE", 3, make_change},
    {"CHOP", 4, make_chop},
    {"CMS", 3, make_command},
    {"COMMAND", 3, make_command},
    {"CONSOLE", 4, make_console},
    {"COUNT", 5, make_count},
    {"CP", 2, make_cp},
    {"DISKR", 5, make_diskr},
    {"DISKW", 5, make_diskw},
    {"DISKWA", 6, make_diskwa},
    {"DROP", 4, make_drop},
    {"DUPLICATE", 3, make_duplicate},
    {"FANINANY", 8, make_faninany},
    {"FANOUT", 6, make_fanout},
    {"FIND", 4, make_find},
    {"HOLE", 4, make_hole},
    {"JOIN", 4, make_join},
    {"LITERAL", 3, make_literal},
    {"LOCATE", 3, make_locate},
    {"NFIND", 5, make_nfind},
    {"NLOCATE", 4, make_nlocate},
    {"REVERSE", 7, make_reverse},
    {"SORT", 4, make_sort},
    {"SPECS", 4, make_specs},
    {"SPLIT", 5, make_split},
    {"STACK", 5, make_stack},
    {"STARMSG", 7, make_starmsg},
    {"STEM", 4, make_stem},
    {"STRIP", 5, make_strip},
    {"TAKE", 4, make_take},
    {"TERMINAL", 4, make_console},
    {"UNIQUE", 3, make_unique},
    {"VAR", 3, make_var},
    {"XLATE", 5, make_xlate},
});

static_assert(is_well_formed_table<StageSpec>(table),
              "stage table: keep it sorted, and give each stage a minimum abbreviation no other "
              "stage accepts");

} // namespace

std::span<const StageSpec> stage_table() noexcept {
    return table;
}

const StageSpec* find_stage(std::string_view word) noexcept {
    const std::string up = to_upper(word);
    for (const StageSpec& s : table) {
        if (s.name == up) {
            return &s;
        }
    }
    for (const StageSpec& s : table) {
        if (abbreviates(up, s.name, s.min_length)) {
            return &s; // the check above makes it the only one
        }
    }
    return nullptr;
}

} // namespace cpd::cms
