// SPDX-License-Identifier: MIT
// Small operand readers the XEDIT subcommands share: blank-separated words,
// a count that may be "*", and the rule that a subcommand taking no operands
// refuses any. Private to the subcommand files.
#pragma once

#include "xedit/editor.hpp"
#include "xedit/xedit_messages.hpp"

#include <cctype>
#include <charconv>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cpd::cms::xedit {

/// `s` without leading and trailing blanks.
inline std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
        s.remove_prefix(1);
    }
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
        s.remove_suffix(1);
    }
    return s;
}

/// The blank-separated words of `s`.
inline std::vector<std::string_view> words(std::string_view s) {
    std::vector<std::string_view> out;
    while (!(s = trim(s)).empty()) {
        const auto end = s.find_first_of(" \t");
        out.push_back(s.substr(0, end));
        s = end == std::string_view::npos ? std::string_view{} : s.substr(end);
    }
    return out;
}

/// "*" (as the largest count) or a non-negative decimal number; nullopt otherwise.
inline std::optional<std::size_t> count_operand(std::string_view w) {
    if (w == "*") {
        return std::numeric_limits<std::size_t>::max() / 2;
    }
    std::size_t n = 0;
    const auto [end, ec] = std::from_chars(w.data(), w.data() + w.size(), n);
    if (ec != std::errc() || end != w.data() + w.size() || n > 1'000'000'000) {
        return std::nullopt;
    }
    return n;
}

/// A reply with one message and `rc`.
inline Reply refuse(int rc, std::string line) {
    Reply r;
    r.rc = rc;
    r.lines.push_back(std::move(line));
    return r;
}

} // namespace cpd::cms::xedit
