// SPDX-License-Identifier: MIT
// The PIPE scanner (cms-programming.md §9.1): global options in parentheses,
// then stages split at the stage separator and pipelines at the end
// character. An escaped character is taken literally and the escape removed.
// Scanner errors (null stage, bad option) are the FPLSCA messages.
#include "pipelines/scanner.hpp"

#include "cpd/cms/filespec.hpp"

#include <cctype>

namespace cpd::cms {

namespace {

bool is_blank(char c) {
    return c == ' ' || c == '\t';
}

std::string_view trim_left(std::string_view s) {
    while (!s.empty() && is_blank(s.front())) {
        s.remove_prefix(1);
    }
    return s;
}

// The next blank-delimited word of `s` (consumed).
std::string_view next_word(std::string_view& s) {
    s = trim_left(s);
    std::size_t n = 0;
    while (n < s.size() && !is_blank(s[n])) {
        ++n;
    }
    const std::string_view w = s.substr(0, n);
    s.remove_prefix(n);
    return w;
}

// True if `word` abbreviates `name` to at least `min` characters (any case).
bool keyword(std::string_view word, std::string_view name, std::size_t min) {
    const std::string up = to_upper(word);
    return up.size() >= min && up.size() <= name.size() && name.starts_with(up);
}

// A separator, end or escape character: one character, or two hex digits.
std::optional<char> option_char(std::string_view w) {
    char c = 0;
    if (w.size() == 1) {
        c = w[0];
    } else if (w.size() == 2 && std::isxdigit(static_cast<unsigned char>(w[0])) &&
               std::isxdigit(static_cast<unsigned char>(w[1]))) {
        c = static_cast<char>(std::stoi(std::string(w), nullptr, 16));
    } else {
        return std::nullopt;
    }
    // Characters that would be ambiguous in a stage (§9.1).
    if (is_blank(c) || c == '(' || c == ')' || c == '*' || c == '.' || c == ':' || c == '\0') {
        return std::nullopt;
    }
    return c;
}

PipeError scan_error(int number, std::string text) {
    return pipe_error("SCA", number, std::move(text));
}

// Applies the global options between the parentheses.
std::optional<PipeError> parse_options(std::string_view opts, PipeSpec& spec) {
    for (std::string_view w = next_word(opts); !w.empty(); w = next_word(opts)) {
        const bool sep = keyword(w, "STAGESEP", 8) || keyword(w, "SEPARATOR", 3);
        const bool end = keyword(w, "ENDCHAR", 3);
        const bool esc = keyword(w, "ESCAPE", 3);
        if (sep || end || esc) {
            const std::string_view v = next_word(opts);
            if (v.empty()) {
                return scan_error(15, "Value missing for keyword \"" + to_upper(w) + "\"");
            }
            const auto c = option_char(v);
            if (!c) {
                return scan_error(14, "Option " + std::string(v) + " not valid");
            }
            (sep ? spec.stagesep : end ? spec.endchar.emplace() : spec.escape.emplace()) = *c;
        } else if (keyword(w, "NAME", 4) || keyword(w, "MSGLEVEL", 3)) {
            if (next_word(opts).empty()) {
                return scan_error(15, "Value missing for keyword \"" + to_upper(w) + "\"");
            }
        } else if (!keyword(w, "TRACE", 5) && !keyword(w, "LISTRC", 6) &&
                   !keyword(w, "LISTERR", 7) && !keyword(w, "LISTCMD", 7) &&
                   !keyword(w, "STOP", 4)) {
            return scan_error(14, "Option " + std::string(w) + " not valid");
        }
    }
    return std::nullopt;
}

// Splits one stage's text into label, name and operands. `keep` is the
// length of the text that must be kept (it ends with an escaped character).
StageText make_stage(std::string raw, std::size_t keep) {
    std::size_t end = raw.size();
    while (end > keep && is_blank(raw[end - 1])) {
        --end;
    }
    raw.resize(end);
    StageText st;
    std::string_view rest = trim_left(raw);
    st.text = std::string(rest);
    std::string_view first = rest.substr(0, rest.find_first_of(" \t"));
    if (const auto colon = first.find(':'); colon != std::string_view::npos && colon > 0) {
        st.label = to_upper(first.substr(0, colon));
        rest = trim_left(rest.substr(colon + 1));
    }
    st.name = std::string(next_word(rest));
    if (!rest.empty()) {
        rest.remove_prefix(1); // the one blank after the name (literal keeps the others)
    }
    st.operands = std::string(rest);
    return st;
}

// Splits the stages (after the options) into pipelines and stages.
std::optional<PipeError> split_stages(std::string_view text, PipeSpec& spec) {
    spec.pipelines.emplace_back();
    std::string cur;
    std::size_t keep = 0;
    auto end_stage = [&] {
        spec.pipelines.back().push_back(make_stage(std::move(cur), keep));
        cur.clear();
        keep = 0;
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (spec.escape && c == *spec.escape && i + 1 < text.size()) {
            cur += text[++i];
            keep = cur.size();
        } else if (c == spec.stagesep) {
            end_stage();
        } else if (spec.endchar && c == *spec.endchar) {
            end_stage();
            spec.pipelines.emplace_back();
        } else {
            cur += c;
        }
    }
    end_stage();
    for (std::size_t p = 0; p < spec.pipelines.size(); ++p) {
        const auto& stages = spec.pipelines[p];
        if (stages.size() == 1 && stages[0].text.empty()) {
            return scan_error(12, "Null pipeline");
        }
        for (std::size_t s = 0; s < stages.size(); ++s) {
            if (stages[s].text.empty()) {
                PipeError e = scan_error(17, "Null stage found");
                e.stage = s + 1;
                e.pipeline = p + 1;
                return e;
            }
        }
    }
    return std::nullopt;
}

} // namespace

ScanResult scan_pipe(std::string_view text) {
    ScanResult r;
    text = trim_left(text);
    if (!text.empty() && text.front() == '(') {
        const auto close = text.find(')');
        if (close == std::string_view::npos) {
            r.error = scan_error(13, "No ending right parenthesis for global options");
            return r;
        }
        r.error = parse_options(text.substr(1, close - 1), r.spec);
        if (r.error) {
            return r;
        }
        text = trim_left(text.substr(close + 1));
    }
    if (text.empty()) {
        r.error = scan_error(256, "No pipeline specified on PIPE command");
        r.error->severity = 'I';
        return r;
    }
    r.error = split_stages(text, r.spec);
    return r;
}

} // namespace cpd::cms
