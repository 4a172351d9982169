// SPDX-License-Identifier: MIT
// Parsing of the CPD_GUEST_DISKS lines cpd hands the CMS guest. A bad line
// is reported and skipped, so one typo in the directory never costs the
// guest its other disks.
#include "cpd/cms/disk_config.hpp"

#include "cpd/cms/filespec.hpp"

#include <cctype>

namespace cpd::cms {

namespace {

// Splits off the next blank-delimited word of `rest`.
std::string_view next_word(std::string_view& rest) {
    const auto start = rest.find_first_not_of(" \t");
    if (start == std::string_view::npos) {
        rest = {};
        return {};
    }
    rest.remove_prefix(start);
    const auto end = rest.find_first_of(" \t");
    const std::string_view word = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end);
    return word;
}

// Parses one non-blank line; returns an error text or "" on success.
std::string parse_line(std::string_view line, DiskConfig& d) {
    std::string_view rest = line;
    const std::string letter = to_upper(next_word(rest));
    const std::string access = to_upper(next_word(rest));
    const std::string_view vdev = next_word(rest);
    const auto path_start = rest.find_first_not_of(" \t");
    if (letter.size() != 1 || letter[0] < 'A' || letter[0] > 'Z') {
        return "bad filemode letter '" + letter + "'";
    }
    if (access != "RO" && access != "RW") {
        return "bad access mode '" + access + "' (RO or RW)";
    }
    if (!is_vdev(vdev)) {
        return "bad virtual device '" + std::string(vdev) + "'";
    }
    if (path_start == std::string_view::npos) {
        return "missing host path";
    }
    d.letter = letter[0];
    d.read_only = access == "RO";
    d.vdev = canonical_vdev(vdev);
    d.path = std::string(rest.substr(path_start));
    while (!d.path.empty() && (d.path.back() == ' ' || d.path.back() == '\r')) {
        d.path.pop_back();
    }
    return "";
}

} // namespace

bool is_vdev(std::string_view s) noexcept {
    if (s.empty() || s.size() > 4) {
        return false;
    }
    for (char c : s) {
        if (!std::isxdigit(static_cast<unsigned char>(c))) {
            return false;
        }
    }
    return true;
}

std::string canonical_vdev(std::string_view s) {
    std::string up = to_upper(s);
    const auto first = up.find_first_not_of('0');
    return first == std::string::npos ? "0" : up.substr(first);
}

DiskConfigList parse_disk_config(std::string_view text) {
    DiskConfigList out;
    while (!text.empty()) {
        const auto eol = text.find('\n');
        const std::string_view line = text.substr(0, eol);
        text = eol == std::string_view::npos ? std::string_view{} : text.substr(eol + 1);
        if (line.find_first_not_of(" \t\r") == std::string_view::npos) {
            continue;
        }
        DiskConfig d;
        if (std::string err = parse_line(line, d); err.empty()) {
            out.disks.push_back(std::move(d));
        } else {
            out.errors.push_back("CPD_GUEST_DISKS line '" + std::string(line) + "': " + err);
        }
    }
    return out;
}

} // namespace cpd::cms
