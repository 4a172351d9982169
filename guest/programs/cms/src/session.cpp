// SPDX-License-Identifier: MIT
// Persistence of lasting GLOBALV variables: LASTING GLOBALV on whatever
// disk is accessed at A, read at IPL and rewritten whenever the lasting
// variables change (and at logoff).
#include "cpd/cms/session.hpp"

#include "messages.hpp"

namespace cpd::cms {

std::vector<std::string> Session::load_lasting() {
    FileEntry file;
    std::vector<std::string> lines;
    if (fs.find(lasting_file_fn, lasting_file_ft, 'A', file) != FsStatus::ok) {
        saved_lasting = globalv.serialize_lasting();
        return {};
    }
    std::vector<std::string> messages;
    if (const FsStatus s = fs.read_lines(file, lines); s != FsStatus::ok) {
        messages.push_back(fs_message("GLB", s, "LASTING GLOBALV A", 'A'));
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
    saved_lasting = globalv.serialize_lasting();
    return messages;
}

FsStatus Session::save_lasting() {
    if (!is_lasting_dirty()) {
        return FsStatus::ok;
    }
    std::string content = globalv.serialize_lasting();
    const FsStatus s = fs.write_file('A', lasting_file_fn, lasting_file_ft, content);
    if (s == FsStatus::ok) {
        saved_lasting = std::move(content);
    }
    return s;
}

} // namespace cpd::cms
