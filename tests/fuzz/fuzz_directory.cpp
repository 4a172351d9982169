// SPDX-License-Identifier: MIT
// libFuzzer target: the user directory parser (an administrator's file, read
// at start and on every SIGHUP). Properties: no crash or sanitizer report, and
// every diagnostic names the file and a line that exists in the input (or
// line 0, a remark on the whole file such as "the directory is empty").
#include "fuzz_check.hpp"

#include "config/directory/directory_parser.hpp"

#include <algorithm>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto lines = static_cast<int>(std::count(text.begin(), text.end(), '\n')) + 1;
    const auto result = cpd::daemon::parse_directory(text, "user.direct");
    for (const auto* list : {&result.errors, &result.warnings}) {
        for (const auto& d : *list) {
            cpd::fuzz::require(d.file == "user.direct", "a diagnostic does not name the file");
            cpd::fuzz::require(d.line >= 0 && d.line <= lines,
                               "a diagnostic names a line the input does not have");
            cpd::fuzz::require(!d.message.empty(), "a diagnostic without a message");
        }
    }
    return 0;
}
