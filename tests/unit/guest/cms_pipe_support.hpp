// SPDX-License-Identifier: MIT
// Helpers for the PIPE tests: run a PIPE line on a Machine and compare its
// output lines; files on the Machine's A-disk.
#pragma once

#include "cms_test_support.hpp"

#include <string>
#include <vector>

namespace cms_test {

using Lines = std::vector<std::string>;

/// Runs `line` and returns the result.
inline cpd::cms::CommandResult pipe(Machine& m, std::string_view line) {
    return m.run(line);
}

/// The output lines of a PIPE that must succeed with rc 0 and not wait.
inline Lines out(Machine& m, std::string_view line) {
    const auto r = m.run(line);
    CHECK_MESSAGE(r.rc == 0, text(r));
    CHECK(r.running == nullptr);
    return r.lines;
}

} // namespace cms_test
