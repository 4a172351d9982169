// SPDX-License-Identifier: MIT
// Persistence of lasting GLOBALV variables: LASTING GLOBALV on whatever
// disk is accessed at A, read at IPL and rewritten once per change of the
// lasting variables (GlobalvStore counts the changes), never when nothing
// changed, so an SMSG or a logoff that alters nothing does not touch the disk.
#include "cpd/cms/session.hpp"

#include "messages/messages.hpp"

namespace cpd::cms {

std::vector<std::string> Session::load_lasting() {
    FileEntry file;
    std::vector<std::string> lines;
    if (fs.find(lasting_file_fn, lasting_file_ft, 'A', file) != FsStatus::ok) {
        globalv.mark_lasting_saved(); // nothing on disk and nothing to put there
        return {};
    }
    std::vector<std::string> messages;
    if (const FsStatus s = fs.read_lines(file, lines); s != FsStatus::ok) {
        messages.push_back(fs_message("GLB", s, "LASTING GLOBALV A", 'A', fs.last_error()));
    }
    std::string content;
    for (const std::string& l : lines) {
        content += l + '\n';
    }
    if (const std::size_t bad = globalv.load_lasting(content); bad > 0) {
        messages.push_back(
            dms("GLB", 104, 'W',
                "LASTING GLOBALV A: " + std::to_string(bad) + " malformed line(s) ignored"));
    }
    globalv.mark_lasting_saved(); // what was just read needs no writing back
    return messages;
}

FsStatus Session::save_lasting() {
    if (!globalv.is_lasting_dirty()) {
        return FsStatus::ok;
    }
    const FsStatus s =
        fs.write_file('A', lasting_file_fn, lasting_file_ft, globalv.serialize_lasting());
    if (s == FsStatus::ok) {
        globalv.mark_lasting_saved();
    }
    return s;
}

} // namespace cpd::cms
