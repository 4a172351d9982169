// SPDX-License-Identifier: MIT
// Reading stage operands. Keywords are case-insensitive and abbreviable to
// their documented minimum; a delimited string is any non-blank character,
// the text, and the same character again.
#include "pipelines/operands.hpp"

#include <charconv>

namespace cpd::cms {

namespace {

bool is_blank(char c) {
    return c == ' ' || c == '\t';
}

char upper(char c) {
    return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}

} // namespace

bool is_keyword(std::string_view word, std::string_view name, std::size_t min) noexcept {
    if (word.size() < min || word.size() > name.size()) {
        return false;
    }
    for (std::size_t i = 0; i < word.size(); ++i) {
        if (upper(word[i]) != name[i]) {
            return false;
        }
    }
    return true;
}

std::optional<std::size_t> parse_count(std::string_view word) noexcept {
    std::size_t n = 0;
    const auto [end, ec] = std::from_chars(word.data(), word.data() + word.size(), n);
    if (word.empty() || ec != std::errc{} || end != word.data() + word.size()) {
        return std::nullopt;
    }
    return n;
}

std::string_view Operands::rest() const noexcept {
    std::string_view r = rest_;
    while (!r.empty() && is_blank(r.front())) {
        r.remove_prefix(1);
    }
    return r;
}

bool Operands::at_end() const noexcept {
    return rest().empty();
}

std::string_view Operands::peek() const noexcept {
    const std::string_view r = rest();
    std::size_t n = 0;
    while (n < r.size() && !is_blank(r[n])) {
        ++n;
    }
    return r.substr(0, n);
}

std::string_view Operands::word() noexcept {
    const std::string_view w = peek();
    rest_ = rest().substr(w.size());
    return w;
}

bool Operands::keyword(std::string_view name, std::size_t min) noexcept {
    if (is_keyword(peek(), name, min)) {
        word();
        return true;
    }
    return false;
}

void Operands::skip(std::size_t n) noexcept {
    rest_ = rest().substr(n);
}

std::optional<std::string> Operands::delimited(PipeError& error) {
    const std::string_view r = rest();
    if (r.empty()) {
        error = missing();
        return std::nullopt;
    }
    const auto close = r.find(r[0], 1);
    if (close == std::string_view::npos) {
        error =
            pipe_error(module_, 60, "Delimiter missing after string \"" + std::string(r) + "\"");
        return std::nullopt;
    }
    std::string s(r.substr(1, close - 1));
    rest_ = r.substr(close + 1);
    return s;
}

std::optional<std::size_t> Operands::number(std::size_t star) noexcept {
    const std::string_view w = peek();
    if (w == "*") {
        word();
        return star;
    }
    const auto n = parse_count(w);
    if (n) {
        word();
    }
    return n;
}

std::optional<PipeError> Operands::check_end() const {
    if (at_end()) {
        return std::nullopt;
    }
    return pipe_error(module_, 112, "Excessive options \"" + std::string(rest()) + "\"");
}

PipeError Operands::bad(std::string_view w) const {
    return pipe_error(module_, 111, "Operand " + std::string(w) + " is not valid");
}

PipeError Operands::not_number(std::string_view w) const {
    return pipe_error(module_, 58,
                      "Decimal number expected, but \"" + std::string(w) + "\" was found");
}

PipeError Operands::missing() const {
    return pipe_error(module_, 113, "Required operand missing");
}

} // namespace cpd::cms
