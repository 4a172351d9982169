// SPDX-License-Identifier: MIT
// autolog_errors: every autolog userid must name a directory entry. Userid
// syntax is parse_autolog's job (options.cpp); NOLOG and IPL are logon's.
#include "config/autolog_check.hpp"

namespace cpd::daemon {

std::vector<std::string> autolog_errors(const Options& options, const DirectoryParseResult& dir) {
    std::vector<std::string> errors;
    if (!dir.ok()) {
        return errors; // the directory's own errors say more
    }
    for (const std::string& name : options.autolog) {
        auto id = proto::Userid::parse(name);
        if (!id || dir.directory.find(*id) == nullptr) {
            errors.push_back("autolog: " + name + " is not in the directory " +
                             options.directory_file);
        }
    }
    return errors;
}

} // namespace cpd::daemon
