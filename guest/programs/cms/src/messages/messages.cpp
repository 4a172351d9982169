// SPDX-License-Identifier: MIT
// Texts of the CMS messages shared by several commands, numbered as z/VM
// numbers them (002 file not found, 024 already exists, 037 read/only,
// 069 not accessed, 104 error accessing, 105 error writing). A host failure
// always names its cause: permission denied, no space, or the host's reason.
#include "messages/messages.hpp"

#include <cstdio>

namespace cpd::cms {

namespace {

// "Input/output error" -> "input/output error", to follow a colon.
std::string to_lower_first(std::string_view text) {
    std::string out(text);
    if (!out.empty() && out[0] >= 'A' && out[0] <= 'Z') {
        out[0] = static_cast<char>(out[0] - 'A' + 'a');
    }
    return out;
}

} // namespace

std::string dms(std::string_view module, int number, char severity, std::string_view text) {
    char id[16];
    std::snprintf(id, sizeof id, "%03d", number);
    std::string out = "DMS";
    out += module;
    out += id;
    out += severity;
    out += ' ';
    out += text;
    return out;
}

CommandResult fail(int rc, std::string line) {
    CommandResult r;
    r.rc = rc;
    r.lines.push_back(std::move(line));
    return r;
}

std::string fs_message(std::string_view module, FsStatus status, std::string_view fileid,
                       char letter, std::string_view cause) {
    const std::string fm(1, letter);
    const std::string file(fileid);
    switch (status) {
    case FsStatus::ok:
        return {};
    case FsStatus::not_accessed:
        return dms(module, 69, 'E', "Filemode " + fm + " not accessed");
    case FsStatus::read_only:
        return dms(module, 37, 'E', "Filemode " + fm + " is accessed as read/only");
    case FsStatus::not_found:
        return dms(module, 2, 'E', "File " + file + " not found");
    case FsStatus::already_exists:
        return dms(module, 24, 'E', "File " + file + " already exists");
    case FsStatus::permission_denied:
        return dms(module, 104, 'S',
                   "Error accessing file " + file + " on filemode " + fm + ": permission denied");
    case FsStatus::no_space:
        return dms(module, 105, 'S',
                   "Error writing file " + file + " on filemode " + fm + ": no space left on disk");
    case FsStatus::io_error:
        break;
    }
    return dms(module, 104, 'S',
               "Error accessing file " + file + " on filemode " + fm + ": " +
                   (cause.empty() ? std::string("host error") : to_lower_first(cause)));
}

std::string printable(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        const auto u = static_cast<unsigned char>(c);
        if ((u < 0x20 && c != '\t') || u == 0x7f) {
            c = '.';
        }
    }
    return out;
}

} // namespace cpd::cms
