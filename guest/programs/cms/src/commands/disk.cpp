// SPDX-License-Identifier: MIT
// ACCESS and RELEASE: map a minidisk CP has linked to this guest (by vdev,
// as in CMS: ACCESS 191 A, ACCESS 192 B/A) to a filemode, and unmap it.
// There is no host path form: a guest reaches only the disks its directory
// entry and LINK give it. Mode digit 0/1 or none is R/W, 2-9 is R/O (§7.2).
#include "commands/command_table.hpp"
#include "messages/messages.hpp"

#include "cpd/cms/filespec.hpp"

namespace cpd::cms {

namespace {

// The name a disk goes by in messages: its vdev.
std::string disk_name(const Disk& d) {
    return d.vdev;
}

// Resolves ACCESS's first operand to a disk (letter and R/O still to set).
std::optional<Disk> resolve_source(const Session& s, const std::string& source, char letter,
                                   CommandResult& err) {
    if (!is_vdev(source)) {
        err = fail(rc_bad_operand, dms("ACC", 17, 'E', "Invalid device address " + source));
        return std::nullopt;
    }
    const std::string vdev = canonical_vdev(source);
    for (const DiskConfig& c : s.configured) {
        if (c.vdev == vdev) {
            return Disk{'A', c.read_only, c.vdev, c.path};
        }
    }
    err = fail(100, dms("ACP", 113, 'S',
                        std::string(1, letter) + "(" + vdev +
                            ") not attached or invalid device address"));
    return std::nullopt;
}

} // namespace

// ACCESS vdev fm
CommandResult cmd_access(Session& s, const CommandLine& cl) {
    const auto args = cl.args();
    if (args.size() != 2) {
        return fail(rc_bad_operand, dms("ACC", 24, 'E',
                                        "Invalid command: ACCESS requires a "
                                        "virtual device and a filemode"));
    }
    const auto mode = parse_filemode(args[1], false, 9);
    if (!mode) {
        return fail(rc_bad_operand, dms("ACC", 48, 'E', mode.error));
    }
    CommandResult r;
    std::optional<Disk> disk = resolve_source(s, args[0], mode.value->letter, r);
    if (!disk) {
        return r;
    }
    disk->letter = mode.value->letter;
    disk->read_only = disk->read_only || (mode.value->digit_given && mode.value->digit > 1);
    const Disk* old = s.fs.disk(disk->letter);
    const bool is_same = old != nullptr && old->vdev == disk->vdev && old->dir == disk->dir;
    const std::string replaced = old == nullptr || is_same ? "" : disk_name(*old);
    std::string detail;
    if (s.fs.access(*disk, &detail) != FsStatus::ok) {
        return fail(rc_file_error, dms("ACC", 112, 'S',
                                       "Disk " + disk_name(*disk) + " (" + mode.value->text() +
                                           ") cannot be accessed: " + detail));
    }
    const std::string fm(1, disk->letter);
    if (!replaced.empty()) {
        r.lines.push_back(
            dms("ACC", 724, 'I', disk_name(*disk) + " replaces " + fm + " (" + replaced + ")"));
    }
    for (const Disk& other : s.fs.disks()) { // a minidisk is accessed at one mode only
        if (!disk->vdev.empty() && other.vdev == disk->vdev && other.letter != disk->letter) {
            s.fs.release(other.letter);
            r.lines.push_back(dms("ACC", 726, 'I', other.vdev + ' ' + other.letter + " released"));
        }
    }
    if (s.fs.disk(disk->letter)->read_only) { // linked R/O, digit 2-9, or not writable
        r.lines.push_back(dms("ACP", 723, 'I', fm + " (" + disk_name(*disk) + ") R/O"));
    }
    return r;
}

// RELEASE fm|vdev: always RC 0 for a valid operand, accessed or not (§7.2).
CommandResult cmd_release(Session& s, const CommandLine& cl) {
    const auto args = cl.args();
    if (args.size() != 1) {
        return fail(rc_bad_operand,
                    dms("ARL", 24, 'E', "Invalid command: RELEASE requires one filemode or vdev"));
    }
    const std::string op = to_upper(args[0]);
    if (op.size() == 1 && op[0] >= 'A' && op[0] <= 'Z') {
        s.fs.release(op[0]);
        return {};
    }
    if (!is_vdev(op)) {
        return fail(rc_bad_operand, dms("ARL", 48, 'E', "Invalid mode " + op));
    }
    for (const Disk& d : s.fs.disks()) {
        if (d.vdev == canonical_vdev(op)) {
            s.fs.release(d.letter);
        }
    }
    return {};
}

} // namespace cpd::cms
