// SPDX-License-Identifier: MIT
// Helpers for the XEDIT engine tests: an Editor on a file of given records,
// written through a real FileSystem (the test machine's A-disk), and the
// lines of a Reply joined for substring checks.
#pragma once

#include "cms_test_support.hpp"

#include "xedit/editor.hpp"

#include <string>
#include <vector>

namespace cms_test {

/// An Editor on "T FILE A" holding `records`, current line at TOF.
struct EditorFixture {
    Machine m;
    cpd::cms::xedit::Editor ed;

    explicit EditorFixture(std::vector<std::string> records = {"alpha", "beta", "gamma", "delta",
                                                               "epsilon"})
        : ed(m.session().fs, cpd::cms::xedit::EditFile({"T", "FILE", 'A'}, std::move(records))) {}

    /// Runs one line (a subcommand, or input in input mode).
    cpd::cms::xedit::Reply run(std::string_view line) { return ed.execute(line); }
    /// The current line number.
    std::size_t cur() const { return ed.file().current(); }
    /// Every record.
    const std::vector<std::string>& records() const { return ed.file().records(); }
};

/// The lines of a Reply joined by '\n'.
inline std::string text(const cpd::cms::xedit::Reply& r) {
    std::string out;
    for (const auto& l : r.lines) {
        out += l + '\n';
    }
    return out;
}

} // namespace cms_test
