// SPDX-License-Identifier: MIT
// XEDIT targets: parsing ":n", "n", "+n", "-n", "*", "-*", "/s/", "-/s/",
// "~/s/" and "-~/s/" (also "¬"), and resolving one against an EditFile to a
// line number, honouring SET ZONE and SET CASE for string targets. Pure;
// knows nothing of subcommands. Private to cms_core.
#pragma once

#include "xedit/edit_file.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace cpd::cms::xedit {

/// One parsed target.
struct Target {
    enum class Kind {
        absolute, ///< ":n", line n
        relative, ///< "n", "+n", "-n": n lines from the current line
        end,      ///< "*" (end of file) or "-*" (top of file)
        string    ///< "/s/": the next (or previous) line containing s
    };
    Kind kind = Kind::relative;
    long long lines = 1;   ///< absolute: line number; relative: signed count
    bool backward = false; ///< "-*", "-/s/"
    bool negated = false;  ///< "~/s/": a line NOT containing s
    std::string text;      ///< the string of a string target
};

/// A target and the text after it, or why none could be parsed.
struct ParsedTarget {
    std::optional<Target> target;
    std::string_view rest; ///< operands after the target
    std::string error;     ///< the offending text when target is empty
};

/// True if `c` can start a target (":", "+", "-", digits, "*", "~", or a string delimiter).
bool starts_target(std::string_view text) noexcept;
/// Parses the target at the start of `text` (leading blanks skipped).
ParsedTarget parse_target(std::string_view text);

/// True if record `line` of `file` contains `text` within the zone, with SET CASE.
bool line_contains(const EditFile& file, std::size_t line, std::string_view text);

/// Where a target lands.
struct Landing {
    std::size_t line = 0; ///< the line the target names (0..size()+1)
    bool found = true;    ///< false: a string or absolute target matched no line
};
/// Resolves `t` from the current line. Relative moves stop at TOF or EOF.
Landing resolve(const EditFile& file, const Target& t);

/// The records a "from the current line through target" operand covers
/// (DELETE, CHANGE, TYPE): a half-open range [first, last) of record numbers,
/// clipped to 1..size(); empty when the range holds only TOF or EOF.
struct LineRange {
    std::size_t first = 1;
    std::size_t last = 1;
    std::size_t count() const noexcept { return last - first; }
};
/// The range from the current line to `landing` (exclusive going forward;
/// going backward, the landing line is excluded and the current line included).
LineRange range_to(const EditFile& file, std::size_t landing);

} // namespace cpd::cms::xedit
