// SPDX-License-Identifier: MIT
// Formatting of FPL messages. The numbers and texts follow the CMS Pipelines
// message repository (cms-programming.md §9.2).
#include "pipelines/pipe_error.hpp"

#include <cstdio>

namespace cpd::cms {

PipeError pipe_error(std::string_view module, int number, std::string text) {
    PipeError e;
    e.number = number;
    e.module = std::string(module);
    e.text = std::move(text);
    return e;
}

std::vector<std::string> pipe_error_lines(const PipeError& e) {
    char id[16];
    std::snprintf(id, sizeof id, "%03d", e.number);
    std::vector<std::string> lines;
    lines.push_back("FPL" + e.module + id + std::string(1, e.severity) + " " + e.text);
    if (e.stage != 0) {
        lines.push_back("FPLSCA003I ... Issued from stage " + std::to_string(e.stage) +
                        " of pipeline " + std::to_string(e.pipeline));
        lines.push_back("FPLSCA001I ... Running \"" + e.running + "\"");
    }
    return lines;
}

} // namespace cpd::cms
