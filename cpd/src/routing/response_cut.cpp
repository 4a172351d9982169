// SPDX-License-Identifier: MIT
// cut_response: keep whole lines that fit in front of the mark; a single line
// longer than the room is cut mid-line. The mark is sized before the cut, so
// the result never exceeds the bound.
#include "routing/response_cut.hpp"

namespace cpd::daemon {

namespace {

std::string mark(std::size_t total, std::size_t shown) {
    return std::string(response_cut_mark) + " Response truncated: " + std::to_string(total) +
           " bytes, " + std::to_string(shown) + " shown";
}

} // namespace

std::string cut_response(std::string_view text, std::size_t max_bytes) {
    if (text.size() <= max_bytes) {
        return std::string(text);
    }
    // The mark's length depends on the count shown, which is at most text.size().
    const std::size_t mark_room = mark(text.size(), text.size()).size() + 1; // with its '\n'
    if (max_bytes < mark_room) {
        return mark(text.size(), 0).substr(0, max_bytes);
    }
    std::string_view kept = text.substr(0, max_bytes - mark_room);
    if (const auto nl = kept.rfind('\n'); nl != std::string_view::npos) {
        kept = kept.substr(0, nl); // whole lines only
    }
    std::string out(kept);
    if (!out.empty()) {
        out += '\n';
    }
    out += mark(text.size(), kept.size());
    return out;
}

} // namespace cpd::daemon
