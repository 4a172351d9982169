// SPDX-License-Identifier: MIT
// The filing subcommands: SAVE writes the file and stays, FILE writes it and
// leaves, QUIT leaves only if nothing is unsaved (else rc 12 with
// DMSXSU577E), QQUIT leaves regardless. SAVE and FILE may name another
// fileid ("=" keeps a part); a file opened on a read-only disk is refused
// with the disk's message, as any write to it would be.
#include "xedit/subcommand_table.hpp"
#include "xedit/subcommands/operands.hpp"

#include "messages/messages.hpp"

#include "cpd/cms/filespec.hpp"

namespace cpd::cms::xedit {

namespace {

// The fileid SAVE or FILE writes to: the edited one, with parts replaced.
std::optional<Reply> target_fileid(const Editor& e, std::string_view operands, FileId& out) {
    out = e.file().id();
    const auto w = words(operands);
    if (w.size() > 3) {
        return refuse(rc_invalid, invalid_operand(w[3]));
    }
    for (std::size_t i = 0; i < w.size(); ++i) {
        if (w[i] == "=") {
            continue;
        }
        if (i == 2) {
            const auto mode = parse_filemode(w[i], false);
            if (!mode) {
                return refuse(rc_invalid, invalid_operand(w[i]));
            }
            out.letter = mode.value->letter;
        } else if (!is_valid_name(w[i])) {
            return refuse(rc_invalid, invalid_operand(w[i]));
        } else {
            (i == 0 ? out.fn : out.ft) = to_upper(w[i]);
        }
    }
    return std::nullopt;
}

// Writes the records as `id`; a reply with the disk's message if it fails.
std::optional<Reply> write(Editor& e, const FileId& id) {
    FsStatus s = FsStatus::read_only;
    if (!e.is_read_only() || id.letter != e.file().id().letter) {
        std::string content;
        for (const std::string& rec : e.file().records()) {
            content += rec;
            content += '\n';
        }
        s = e.fs().write_file(id.letter, id.fn, id.ft, content);
    }
    if (s != FsStatus::ok) {
        return refuse(rc_file_error,
                      fs_message("XSU", s, id.text(), id.letter, e.fs().last_error()));
    }
    if (id.fn == e.file().id().fn && id.ft == e.file().id().ft &&
        id.letter == e.file().id().letter) {
        e.file().mark_saved(); // a copy under another name leaves this one unsaved
    }
    return std::nullopt;
}

// The optional return code operand of QUIT and QQUIT.
std::optional<Reply> quit_rc(std::string_view operands, int& rc) {
    const auto w = words(operands);
    if (w.size() > 1) {
        return refuse(rc_invalid, invalid_operand(w[1]));
    }
    if (!w.empty()) {
        const auto n = count_operand(w[0]);
        if (!n || w[0] == "*") {
            return refuse(rc_invalid, invalid_operand(w[0]));
        }
        rc = static_cast<int>(*n);
    }
    return std::nullopt;
}

} // namespace

Reply sub_save(Editor& e, std::string_view operands) {
    FileId id;
    if (auto bad = target_fileid(e, operands, id)) {
        return *bad;
    }
    if (auto bad = write(e, id)) {
        return *bad;
    }
    return {};
}

Reply sub_file(Editor& e, std::string_view operands) {
    FileId id;
    if (auto bad = target_fileid(e, operands, id)) {
        return *bad;
    }
    if (auto bad = write(e, id)) {
        return *bad;
    }
    e.finish(rc_ok);
    return {};
}

Reply sub_quit(Editor& e, std::string_view operands) {
    int rc = 0;
    if (auto bad = quit_rc(operands, rc)) {
        return *bad;
    }
    if (e.file().alterations() > 0) {
        return refuse(rc_file_changed, file_changed());
    }
    e.finish(rc);
    return {};
}

Reply sub_qquit(Editor& e, std::string_view operands) {
    int rc = 0;
    if (auto bad = quit_rc(operands, rc)) {
        return *bad;
    }
    e.finish(rc);
    return {};
}

} // namespace cpd::cms::xedit
