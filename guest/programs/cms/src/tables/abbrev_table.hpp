// SPDX-License-Identifier: MIT
// The rule every CMS name table follows (the command table, XEDIT's
// subcommands, the pipeline stages), kept once so the three obey the same one:
// a word selects a row if it is a prefix of the row's name at least its
// minimum abbreviation long, and a well-formed table lets every abbreviation
// of a row select that row alone.
#pragma once

#include <cstddef>
#include <span>
#include <string_view>

namespace cpd::cms {

/// True if `upper` (an upper-case word) abbreviates `name`: a prefix of it, at
/// least `min_length` long.
constexpr bool abbreviates(std::string_view upper, std::string_view name, std::size_t min_length) {
    return upper.size() >= min_length && upper.size() <= name.size() && name.starts_with(upper);
}

/// For a static_assert on a table of rows with `name` and `min_length`: it is
/// sorted (HELP lists it in order), each minimum is 1..name length, and every
/// abbreviation of a row, from its minimum to its full name, selects that row
/// alone (no other row has that exact name or accepts it as an abbreviation).
template <class Row> constexpr bool is_well_formed_table(std::span<const Row> rows) {
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const Row& c = rows[i];
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

} // namespace cpd::cms
