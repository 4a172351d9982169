// SPDX-License-Identifier: MIT
// The reader listing (spool_records.hpp).
#include "cpd/cms/spool_records.hpp"

#include <charconv>

namespace cpd::cms {

std::vector<ReaderEntry> parse_reader_list(std::string_view response) {
    std::vector<ReaderEntry> out;
    std::size_t start = response.find('\n');
    while (start != std::string_view::npos) {
        const std::size_t end = response.find('\n', start + 1);
        const std::string_view line = response.substr(start + 1, end - start - 1);
        start = end;
        if (line.size() < 37) {
            continue;
        }
        ReaderEntry e;
        std::from_chars(line.data() + 9, line.data() + 13, e.spoolid);
        auto field = [&](std::size_t at, std::size_t n) {
            std::string f(line.size() > at ? line.substr(at, n) : "");
            f.erase(f.find_last_not_of(' ') + 1);
            return f;
        };
        e.origin = field(0, 8);
        e.held = field(33, 4) != "NONE";
        e.records = field(20, 8);
        e.spool_class = line[14];
        e.name = field(53, 8);
        e.type = field(63, 8);
        out.push_back(std::move(e));
    }
    return out;
}

} // namespace cpd::cms
