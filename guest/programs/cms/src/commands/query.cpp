// SPDX-License-Identifier: MIT
// QUERY: the CMS operands DISK, ACCESSED and SEARCH, in real CMS's tabular
// layout; any other operand is passed to CP as "QUERY ...", as CMS does,
// so Q NAMES or Q TIME work from the CMS command line.
#include "commands/command_table.hpp"
#include "messages/messages.hpp"

#include "cpd/cms/filespec.hpp"

#include <cstdio>

namespace cpd::cms {

namespace {

// A disk's label column: CPDvvv for a minidisk, HOST for a host directory.
std::string label(const Disk& d) {
    return d.vdev.empty() ? "HOST" : "CPD" + d.vdev;
}
std::string vdev_text(const Disk& d) {
    return d.vdev.empty() ? "DIR" : d.vdev;
}

// printf into a std::string (short table rows only).
template <class... A> std::string row(const char* fmt, A... a) {
    char buf[128];
    std::snprintf(buf, sizeof buf, fmt, a...);
    return buf;
}

CommandResult query_disk(const Session& s, const std::vector<std::string>& args) {
    char mode = '*';
    if (args.size() > 2) {
        return fail(rc_bad_operand,
                    dms("QRY", 26, 'E',
                        "Invalid parameter " + to_upper(args[2]) + " in the QUERY command"));
    }
    if (args.size() == 2) {
        const auto m = parse_filemode(args[1], true, 9);
        if (!m) {
            return fail(rc_bad_operand, dms("QRY", 48, 'E', m.error));
        }
        mode = m.value->letter;
        if (mode != '*' && s.fs.disk(mode) == nullptr) {
            return fail(rc_file_error, fs_message("QRY", FsStatus::not_accessed, "", mode));
        }
    }
    CommandResult r;
    r.lines.push_back("LABEL  VDEV M  STAT   FILES  DIRECTORY");
    for (const Disk& d : s.fs.disks()) {
        if (mode == '*' || d.letter == mode) {
            r.lines.push_back(row("%-6s %-4s %c  %-3s %8zu  ", label(d).c_str(),
                                  vdev_text(d).c_str(), d.letter, d.status().data(),
                                  s.fs.file_count(d.letter)) +
                              d.dir.string());
        }
    }
    return r;
}

CommandResult query_accessed(const Session& s) {
    CommandResult r;
    r.lines.push_back("Mode  Stat  Files  Vdev  Label/Directory");
    for (const Disk& d : s.fs.disks()) {
        r.lines.push_back(row("%-5c %-4s %6zu  %-4s  %-6s ", d.letter, d.status().data(),
                              s.fs.file_count(d.letter), vdev_text(d).c_str(), label(d).c_str()) +
                          d.dir.string());
    }
    return r;
}

CommandResult query_search(const Session& s) {
    CommandResult r;
    for (const Disk& d : s.fs.disks()) {
        r.lines.push_back(row("%-8s %-4s %c   %s", label(d).c_str(), vdev_text(d).c_str(), d.letter,
                              d.status().data()));
    }
    if (r.lines.empty()) {
        r.lines.push_back(dms("QRY", 69, 'I', "No disks accessed"));
    }
    return r;
}

} // namespace

// QUERY DISK [fm|*] | ACCESSED | SEARCH | anything else -> CP QUERY
CommandResult cmd_query(Session& s, const CommandLine& cl) {
    const auto args = cl.args();
    if (args.empty()) {
        return fail(rc_bad_operand, dms("QRY", 42, 'E', "No function specified"));
    }
    if (is_abbrev(args[0], "DISK", 4)) {
        return query_disk(s, args);
    }
    const bool accessed = is_abbrev(args[0], "ACCESSED", 3);
    if (accessed || is_abbrev(args[0], "SEARCH", 3)) {
        if (args.size() > 1) {
            return fail(rc_bad_operand,
                        dms("QRY", 26, 'E',
                            "Invalid parameter " + to_upper(args[1]) + " in the QUERY command"));
        }
        return accessed ? query_accessed(s) : query_search(s);
    }
    CommandResult r;
    r.cp_command = "QUERY " + std::string(cl.rest_from(1));
    return r;
}

} // namespace cpd::cms
