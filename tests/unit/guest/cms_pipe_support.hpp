// SPDX-License-Identifier: MIT
// Helpers for the PIPE tests: run a PIPE line on a Machine and compare its
// output lines; files on the Machine's A-disk.
#pragma once

#include "cms_test_support.hpp"

#include "cpd/cms/running_command.hpp"

#include <string>
#include <vector>

namespace cms_test {

using Lines = std::vector<std::string>;

/// Runs `line`, resuming it while it pauses to show output; the result
/// with every line shown.
inline cpd::cms::CommandResult pipe(Machine& m, std::string_view line) {
    auto r = m.run(line);
    while (r.running && r.running->is_ready()) {
        auto next = r.running->resume();
        r.lines.insert(r.lines.end(), next.lines.begin(), next.lines.end());
        r.rc = next.rc;
        r.cp_command = next.cp_command;
        r.running = next.running;
    }
    return r;
}

/// The output lines of a PIPE that must succeed with rc 0 and not wait.
inline Lines out(Machine& m, std::string_view line) {
    const auto r = pipe(m, line);
    CHECK_MESSAGE(r.rc == 0, text(r));
    CHECK(r.running == nullptr);
    return r.lines;
}

} // namespace cms_test
