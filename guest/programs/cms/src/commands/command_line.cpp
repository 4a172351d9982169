// SPDX-License-Identifier: MIT
// Splitting of console lines into words (blank or tab delimited), with the
// start offset of each word kept for rest-of-line operands.
#include "commands/command_line.hpp"

namespace cpd::cms {

CommandLine::CommandLine(std::string_view line) : line_(line) {
    std::size_t i = 0;
    while (i < line_.size()) {
        const auto start = line_.find_first_not_of(" \t", i);
        if (start == std::string::npos) {
            break;
        }
        const auto end = line_.find_first_of(" \t", start);
        const auto stop = end == std::string::npos ? line_.size() : end;
        words_.push_back(line_.substr(start, stop - start));
        starts_.push_back(start);
        i = stop;
    }
}

std::vector<std::string> CommandLine::args() const {
    if (words_.empty()) {
        return {};
    }
    return {words_.begin() + 1, words_.end()};
}

std::string_view CommandLine::rest_from(std::size_t index) const noexcept {
    if (index >= starts_.size()) {
        return {};
    }
    std::string_view rest = std::string_view(line_).substr(starts_[index]);
    const auto last = rest.find_last_not_of(" \t");
    return rest.substr(0, last + 1);
}

} // namespace cpd::cms
