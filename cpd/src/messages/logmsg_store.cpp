// SPDX-License-Identifier: MIT
// LogmsgStore (logmsg_store.hpp): the crash-safe replace and the bounded read.
#include "messages/logmsg_store.hpp"

#include "service/durable_file.hpp"

#include "cpd/ipc/log.hpp"

#include <algorithm>
#include <fstream>

#include <unistd.h>

namespace cpd::daemon {

LogmsgStore::LogmsgStore(const std::string& state_dir)
    : dir_(state_dir), path_(state_dir + "/logmsg") {}

std::vector<std::string> LogmsgStore::load() const {
    const std::string tmp = path_ + ".tmp";
    if (::unlink(tmp.c_str()) == 0) {
        CPD_LOG(info, "cpd: removed ", tmp, ", left half-written by a crash");
    }
    // Read at most what save() can write: the file is cpd's, but never trusted.
    std::string text(max_lines * (max_line + 1), '\0');
    std::ifstream in(path_, std::ios::binary);
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<std::size_t>(in.gcount()));
    std::vector<std::string> lines;
    for (std::size_t pos = 0; pos < text.size() && lines.size() < max_lines;) {
        const std::size_t end = std::min(text.find('\n', pos), text.size());
        lines.push_back(text.substr(pos, std::min(end - pos, max_line)));
        pos = end + 1;
    }
    while (!lines.empty() && lines.back().empty()) {
        lines.pop_back();
    }
    if (!lines.empty()) {
        CPD_LOG(info, "cpd: LOGMSG: ", lines.size(), " lines from ", path_);
    }
    return lines;
}

bool LogmsgStore::save(const std::vector<std::string>& lines) const {
    std::string text;
    for (const std::string& l : lines) {
        for (const char c : l) { // one line each: a line break cannot be stored
            text += c == '\n' || c == '\r' ? ' ' : c;
        }
        text += '\n';
    }
    if (auto problem = replace_durably(dir_, path_, std::as_bytes(std::span(text)));
        !problem.empty()) {
        CPD_LOG(error, "cpd: unable to store LOGMSG in ", path_, ": ", problem,
                "; it lasts until cpd stops");
        return false;
    }
    return true;
}

} // namespace cpd::daemon
