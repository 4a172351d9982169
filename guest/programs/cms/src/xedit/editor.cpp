// SPDX-License-Identifier: MIT
// One XEDIT session: routes a line to input mode or to a subcommand (a bare
// target is LOCATE; a word XEDIT does not know goes to CMS, as with
// IMPCMSCP ON), types the current line after a move (SET VERIFY ON), and
// answers EXTRACT from the live state.
#include "xedit/editor.hpp"

#include "xedit/subcommand_table.hpp"
#include "xedit/subcommands/operands.hpp"
#include "xedit/target.hpp"

#include "messages/messages.hpp"

#include "cpd/cms/filespec.hpp"

#include <cctype>

namespace cpd::cms::xedit {

namespace {

std::string on_off(bool on) {
    return on ? "ON" : "OFF";
}

} // namespace

Editor::Editor(FileSystem& fs, EditFile file, bool read_only)
    : fs_(fs), file_(std::move(file)), read_only_(read_only) {}

std::string Editor::as_input(std::string_view text) const {
    return file_.case_input == CaseInput::upper ? to_upper(text) : std::string(text);
}

std::string Editor::display(std::size_t n) const {
    if (n == 0) {
        return "TOF:";
    }
    if (n > file_.size()) {
        return "EOF:";
    }
    return printable(file_.record(n));
}

// In input mode: a null line ends it; anything else (blanks too) is a record.
Reply Editor::input_line(std::string_view line) {
    if (line.empty()) {
        input_mode_ = false;
        return {};
    }
    file_.insert_after(file_.current(), as_input(line));
    return {};
}

Reply Editor::execute(std::string_view line) {
    if (input_mode_) {
        return input_line(line);
    }
    return subcommand(line);
}

// The subcommand word is the leading letters, so "c/a/b/" and "l/x/" work;
// a line that starts with a target is LOCATE.
Reply Editor::subcommand(std::string_view line) {
    const std::string_view text = trim(line);
    if (text.empty()) {
        return {};
    }
    Reply r;
    if (std::isalpha(static_cast<unsigned char>(text.front())) == 0 && starts_target(text)) {
        r = sub_locate(*this, text);
    } else {
        std::size_t n = 0;
        while (n < text.size() && std::isalpha(static_cast<unsigned char>(text[n])) != 0) {
            ++n;
        }
        const SubcommandSpec* spec = n == 0 ? nullptr : find_subcommand(text.substr(0, n));
        if (spec == nullptr) {
            r.cms_command = std::string(text);
            return r;
        }
        r = spec->run(*this, text.substr(n));
    }
    if (r.show_current && file_.verify && !done_) {
        r.lines.push_back(display(file_.current()));
    }
    return r;
}

std::optional<Extracted> Editor::extract(std::string_view item) const {
    const auto& f = file_;
    const std::size_t cur = f.current();
    const auto one = [](std::string v) { return std::vector<std::string>{std::move(v)}; };
    // Full name, minimum abbreviation, and the values, read at this moment.
    const std::pair<Extracted, std::size_t> items[] = {
        // CURLINE.1: SET CURLINE's value; .2: its screen row (line mode: 1); .3: the text.
        {{"CURLINE", {"M", "1", cur >= 1 && cur <= f.size() ? f.record(cur) : display(cur)}}, 3},
        {{"SIZE", one(std::to_string(f.size()))}, 2},
        {{"LINE", one(std::to_string(cur))}, 4},
        {{"FNAME", one(f.id().fn)}, 5},
        {{"FTYPE", one(f.id().ft)}, 5},
        {{"FMODE", one(std::string(1, f.id().letter) + "1")}, 5},
        {{"CASE",
          {f.case_input == CaseInput::upper ? "UPPER" : "MIXED",
           f.case_match == CaseMatch::ignore ? "IGNORE" : "RESPECT"}},
         2},
        {{"ZONE",
          {std::to_string(f.zone_first), f.zone_last == 0 ? "*" : std::to_string(f.zone_last)}},
         1},
        {{"VERIFY", one(on_off(f.verify))}, 1},
        // Alterations since the last autosave and since the last SAVE: no AUTOSAVE here.
        {{"ALT", {std::to_string(f.alterations()), std::to_string(f.alterations())}}, 3},
        {{"TOF", one(on_off(f.is_tof()))}, 3},
        {{"EOF", one(on_off(f.is_eof()))}, 3},
    };
    for (const auto& [extracted, min_length] : items) {
        if (is_abbrev_of(item, extracted.name, min_length)) {
            return extracted;
        }
    }
    return std::nullopt;
}

} // namespace cpd::cms::xedit
