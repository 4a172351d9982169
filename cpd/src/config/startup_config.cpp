// SPDX-License-Identifier: MIT
// read_startup_config: options first; a usage error, --help or --version ends
// there, but configuration errors do not, so the directory's problems are
// reported next to cpd.conf's (see startup_config.hpp).
#include "config/startup_config.hpp"

#include "config/autolog_check.hpp"

#include <utility>

namespace cpd::daemon {

StartupConfig read_startup_config(int argc, const char* const* argv) {
    StartupConfig out;
    OptionsResult parsed = parse_options(argc, argv);
    out.output = std::move(parsed.output);
    out.errors = std::move(parsed.errors); // capped by parse_options
    out.options = std::move(parsed.options);
    const bool config_errors =
        parsed.action == OptionsResult::Action::exit && parsed.exit_code == 78;
    if (parsed.action == OptionsResult::Action::exit && !config_errors) {
        out.exit_code = parsed.exit_code; // --help, --version or a usage error
        return out;
    }
    // An empty path means none was given and there is no default; cpd.conf's
    // errors already say so ("no user directory: ...").
    if (!out.options.directory_file.empty()) {
        out.dir = load_directory(out.options.directory_file);
        for (auto& e : out.dir.error_lines()) { // capped: "... and N more errors"
            out.errors.push_back(std::move(e));
        }
        for (auto& e : autolog_errors(out.options, out.dir)) {
            out.errors.push_back(std::move(e));
        }
    }
    if (!out.errors.empty()) {
        out.exit_code = 78;
        return out;
    }
    out.run = true;
    return out;
}

} // namespace cpd::daemon
