// SPDX-License-Identifier: MIT
// Input ranges and their extraction. Words are runs of non-separator
// characters (several separators count as one); fields are what lies
// between single field separators, so two tabs in a row hold a null field.
#include "pipelines/input_range.hpp"

#include <cctype>

namespace cpd::cms {

namespace {

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

// Words from..to of `rec`, separated by runs of `sep`.
std::string_view words(std::string_view rec, std::size_t from, std::size_t to, char sep) {
    std::size_t i = 0;
    std::size_t n = 0;
    std::size_t start = std::string_view::npos;
    while (i < rec.size()) {
        while (i < rec.size() && rec[i] == sep) {
            ++i;
        }
        if (i == rec.size()) {
            break;
        }
        ++n;
        if (n == from) {
            start = i;
        }
        while (i < rec.size() && rec[i] != sep) {
            ++i;
        }
        if (n == to) {
            return rec.substr(start, i - start);
        }
    }
    if (start == std::string_view::npos) {
        return {};
    }
    std::size_t e = rec.size(); // to beyond the last word: up to the last word's end
    while (e > start && rec[e - 1] == sep) {
        --e;
    }
    return rec.substr(start, e - start);
}

// Fields from..to of `rec`, separated by single `sep` characters.
std::string_view fields(std::string_view rec, std::size_t from, std::size_t to, char sep) {
    std::size_t start = 0;
    for (std::size_t n = 1; n < from; ++n) {
        const auto p = rec.find(sep, start);
        if (p == std::string_view::npos) {
            return {};
        }
        start = p + 1;
    }
    std::size_t stop = start;
    for (std::size_t n = from; n <= to; ++n) {
        const auto p = rec.find(sep, stop);
        if (p == std::string_view::npos) {
            return rec.substr(start);
        }
        if (n == to) {
            return rec.substr(start, p - start);
        }
        stop = p + 1;
    }
    return rec.substr(start);
}

// Parses "n", "n-m", "n-*", "n.len", "*", "*-m" into from/to.
bool parse_span(std::string_view s, std::size_t& from, std::size_t& to) {
    auto num = [](std::string_view t, std::size_t& v) {
        if (t == "*") {
            v = InputRange::end;
            return true;
        }
        auto n = parse_count(t);
        if (!n) {
            return false;
        }
        v = *n;
        return true;
    };
    if (const auto dot = s.find('.'); dot != std::string_view::npos) {
        std::size_t len = 0;
        if (!num(s.substr(0, dot), from) || from == InputRange::end ||
            !num(s.substr(dot + 1), len) || len == 0) {
            return false;
        }
        to = len == InputRange::end ? InputRange::end : from + len - 1;
        return from >= 1;
    }
    const auto dash = s.find('-');
    if (!num(s.substr(0, dash), from)) {
        return false;
    }
    if (from == InputRange::end) { // "*" or "*-m": from the first
        from = 1;
        if (dash == std::string_view::npos) {
            to = InputRange::end;
            return true;
        }
    }
    if (dash == std::string_view::npos) {
        to = from;
    } else if (!num(s.substr(dash + 1), to)) {
        return false;
    }
    return from >= 1 && to >= from;
}

} // namespace

std::string_view InputRange::extract(std::string_view record) const noexcept {
    switch (unit) {
    case Unit::column:
        if (from > record.size()) {
            return {};
        }
        return record.substr(from - 1, to == end ? end : to - from + 1);
    case Unit::word:
        return words(record, from, to, separator);
    case Unit::field:
        return fields(record, from, to, separator);
    }
    return {};
}

bool looks_like_range(std::string_view w) noexcept {
    if (w.empty()) {
        return false;
    }
    if (is_digit(w[0]) || w == "*" || w.starts_with("*-") || w.starts_with("*.")) {
        return true;
    }
    const char u = static_cast<char>(std::toupper(static_cast<unsigned char>(w[0])));
    if ((u == 'W' || u == 'F') && w.size() > 1 && (is_digit(w[1]) || w[1] == '*')) {
        return true;
    }
    return is_keyword(w, "WORDS", 4) || is_keyword(w, "FIELDS", 5);
}

std::optional<InputRange> take_range(Operands& ops, PipeError& error, char ws, char fs) {
    InputRange r;
    std::string_view w = ops.word();
    const std::string_view typed = w;
    const char u = static_cast<char>(std::toupper(static_cast<unsigned char>(w[0])));
    if (is_keyword(w, "WORDS", 4) || is_keyword(w, "FIELDS", 5)) {
        r.unit = u == 'W' ? InputRange::Unit::word : InputRange::Unit::field;
        w = ops.word();
    } else if ((u == 'W' || u == 'F') && w.size() > 1) {
        r.unit = u == 'W' ? InputRange::Unit::word : InputRange::Unit::field;
        w.remove_prefix(1);
    }
    r.separator = r.unit == InputRange::Unit::field ? fs : ws;
    if (!parse_span(w, r.from, r.to)) {
        error = pipe_error(ops.module(), 54, "Range \"" + std::string(typed) + "\" not valid");
        return std::nullopt;
    }
    return r;
}

} // namespace cpd::cms
