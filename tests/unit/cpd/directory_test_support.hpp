// SPDX-License-Identifier: MIT
// Helpers the directory parser tests share: parse a text as "user.direct",
// and render diagnostics for a failure message.
#pragma once

#include "config/directory/directory_parser.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace cpd::daemon::test {

/// Parses `text` as if it were the file "user.direct".
inline DirectoryParseResult parse(std::string_view text) {
    return parse_directory(text, "user.direct");
}

/// All diagnostics, one "file:line: message" per line.
inline std::string all(const std::vector<DirectoryDiagnostic>& diags) {
    std::string out;
    for (const auto& d : diags) {
        out += d.to_string() + "\n";
    }
    return out;
}

} // namespace cpd::daemon::test
