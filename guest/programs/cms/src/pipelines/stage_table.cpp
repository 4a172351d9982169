// SPDX-License-Identifier: MIT
// The built-in stage table. A new stage is one row here (and its factory in
// stages/stages.hpp); the compiler checks that the table is sorted and that
// no abbreviation of a row selects another row, as for the command table.
#include "pipelines/stage_table.hpp"

#include "pipelines/stages/stages.hpp"

#include "cpd/cms/filespec.hpp"

#include <array>

namespace cpd::cms {

namespace {

constexpr bool abbreviates(std::string_view upper, std::string_view name, std::size_t min) {
    return upper.size() >= min && upper.size() <= name.size() && name.starts_with(upper);
}

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

// Sorted, each minimum 1..name length, and every abbreviation of a row
// selects that row alone.
constexpr bool is_well_formed(std::span<const StageSpec> rows) {
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const StageSpec& c = rows[i];
        if (c.min_length == 0 || c.min_length > c.name.size() ||
            (i > 0 && !(rows[i - 1].name < c.name))) {
            return false;
        }
        for (std::size_t n = c.min_length; n <= c.name.size(); ++n) {
            const std::string_view word = c.name.substr(0, n);
            for (std::size_t j = 0; j < rows.size(); ++j) {
                if (j != i &&
                    (rows[j].name == word || abbreviates(word, rows[j].name, rows[j].min_length))) {
                    return false;
                }
            }
        }
    }
    return true;
}
static_assert(is_well_formed(table),
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
