// SPDX-License-Identifier: MIT
// The in-memory records of an XEDIT file: every edit keeps the current line
// inside 0..size()+1 and counts one alteration, so QUIT can tell whether
// anything would be lost.
#include "xedit/edit_file.hpp"

#include <algorithm>

namespace cpd::cms::xedit {

EditFile::EditFile(FileId id, std::vector<std::string> records)
    : id_(std::move(id)), records_(std::move(records)) {}

void EditFile::set_current(std::size_t n) noexcept {
    current_ = std::min(n, records_.size() + 1);
}

void EditFile::insert_after(std::size_t n, std::string text) {
    n = std::min(n, records_.size());
    records_.insert(records_.begin() + static_cast<std::ptrdiff_t>(n), std::move(text));
    current_ = n + 1;
    ++alterations_;
}

void EditFile::replace(std::size_t n, std::string text) {
    records_.at(n - 1) = std::move(text);
    ++alterations_;
}

void EditFile::erase(std::size_t first, std::size_t count) {
    if (first == 0 || first > records_.size() || count == 0) {
        return;
    }
    count = std::min(count, records_.size() - first + 1);
    const auto at = records_.begin() + static_cast<std::ptrdiff_t>(first - 1);
    records_.erase(at, at + static_cast<std::ptrdiff_t>(count));
    current_ = first; // the line after the block moved up to `first` (or it is EOF)
    ++alterations_;
}

} // namespace cpd::cms::xedit
