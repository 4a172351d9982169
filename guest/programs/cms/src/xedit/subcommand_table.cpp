// SPDX-License-Identifier: MIT
// The XEDIT subcommand table and its lookup: an exact name wins; otherwise
// the word must be a prefix, at least the minimum length, of exactly one
// subcommand. The compiler checks, as for the CMS command table, that the
// rows are sorted and that no row's abbreviations select another row.
#include "xedit/subcommand_table.hpp"
#include "tables/abbrev_table.hpp"

#include "cpd/cms/filespec.hpp"

#include <array>

namespace cpd::cms::xedit {

namespace {

// Minimum abbreviations are XEDIT's (the upper-case part of its syntax
// diagrams): B, C, DEL, D, EXT, FILE, I, L, N, QQ, QUIT, R, SAVE, SET, TOP, T, U.
constexpr auto table = std::to_array<SubcommandSpec>({
    {"BOTTOM", 1, sub_bottom, ""},
    {"CHANGE", 1, sub_change, "/old/new/ [target [n|* [m]]]"},
    {"DELETE", 3, sub_delete, "[target|*]"},
    {"DOWN", 1, sub_down, "[n|*]"},
    {"EXTRACT", 3, sub_extract, "/item/item/..."},
    {"FILE", 4, sub_file, "[fn [ft [fm]]]"},
    {"INPUT", 1, sub_input, "[text]"},
    {"LOCATE", 1, sub_locate, "[target [subcommand]]"},
    {"NEXT", 1, sub_next, "[n|*]"},
    {"QQUIT", 2, sub_qquit, "[rc]"},
    {"QUIT", 4, sub_quit, "[rc]"},
    {"REPLACE", 1, sub_replace, "[text]"},
    {"SAVE", 4, sub_save, "[fn [ft [fm]]]"},
    {"SET", 3, sub_set, "CASE M|U [R|I] | ZONE first [last|*] | VERIFY ON|OFF"},
    {"TOP", 3, sub_top, ""},
    {"TYPE", 1, sub_type, "[n|*]"},
    {"UP", 1, sub_up, "[n|*]"},
});

static_assert(is_well_formed_table<SubcommandSpec>(table),
              "XEDIT subcommand table: keep it sorted, and give each subcommand a minimum "
              "abbreviation no other subcommand accepts");

} // namespace

std::span<const SubcommandSpec> subcommand_table() noexcept {
    return table;
}

bool is_abbrev_of(std::string_view word, std::string_view name, std::size_t min_length) {
    return abbreviates(to_upper(word), name, min_length);
}

const SubcommandSpec* find_subcommand(std::string_view word) noexcept {
    const std::string up = to_upper(word);
    for (const SubcommandSpec& c : table) {
        if (c.name == up) {
            return &c;
        }
    }
    for (const SubcommandSpec& c : table) {
        if (abbreviates(up, c.name, c.min_length)) {
            return &c; // the static_assert makes the first match the only one
        }
    }
    return nullptr;
}

} // namespace cpd::cms::xedit
