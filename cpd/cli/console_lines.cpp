// SPDX-License-Identifier: MIT
// What a typed console line asks for, the prompt of each console mode, and
// why a line cannot be sent: pure text rules shared by pipe and terminal
// mode, unit-tested on their own.
#include "console_modes.hpp"

#include <cctype>

namespace cpd::cli {

using namespace cpd::proto;

namespace {

std::string upper(std::string_view s) {
    std::string out(s);
    for (auto& c : out) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return out;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) {
        s.remove_prefix(1);
    }
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) {
        s.remove_suffix(1);
    }
    return s;
}

// True if `word` is DISCONNECT or an abbreviation of it down to DISC.
bool is_disconnect(std::string_view word) {
    const std::string w = upper(word);
    const std::string full = "DISCONNECT";
    return w.size() >= 4 && w.size() <= full.size() && full.compare(0, w.size(), w) == 0;
}

} // namespace

LineAction classify_line(std::string_view line) {
    const std::string_view t = trim(line);
    if (t.empty()) {
        return {};
    }
    if (t.size() >= 3 && upper(t.substr(0, 3)) == "#CP" &&
        (t.size() == 3 || std::isspace(static_cast<unsigned char>(t[3])))) {
        const std::string_view cmd = trim(t.substr(3));
        if (cmd.empty()) {
            return {LineAction::Kind::cp, ""};
        }
        const auto space = cmd.find_first_of(" \t");
        if (is_disconnect(cmd.substr(0, space)) && space == std::string_view::npos) {
            return {LineAction::Kind::disconnect, ""};
        }
        return {LineAction::Kind::cp, std::string(cmd)};
    }
    return {LineAction::Kind::input, std::string(line)};
}

LineAction classify_line(std::string_view line, ConsoleMode mode) {
    LineAction action = classify_line(line);
    const bool null_is_input = mode == ConsoleMode::xedit_input || mode == ConsoleMode::vm_read;
    if (null_is_input && action.kind == LineAction::Kind::empty) {
        action = {LineAction::Kind::input, std::string(line)};
    }
    return action;
}

std::string prompt_for(const Userid& userid, ConsoleMode mode) {
    std::string prompt(userid.str());
    switch (mode) {
    case ConsoleMode::command: break;
    case ConsoleMode::xedit: prompt += " XEDIT"; break;
    case ConsoleMode::xedit_input: prompt += " INPUT"; break;
    case ConsoleMode::vm_read: prompt += " VM READ"; break;
    }
    return prompt + "> ";
}

std::string line_refusal(const LineAction& action) {
    const bool is_cp = action.kind == LineAction::Kind::cp;
    const ClientFrame frame = is_cp ? ClientFrame{ClientConsoleCp{action.text}}
                                    : ClientFrame{ClientConsoleInput{action.text}};
    const auto checked = validate(frame);
    if (checked) {
        return "";
    }
    const std::string what = is_cp ? "CP command" : "line";
    std::string why = what + " contains NUL or CR";
    if (checked.error() == errc::text_too_long) {
        why = what + " is " + std::to_string(action.text.size()) + " bytes, the limit is " +
              std::to_string(is_cp ? cp_command_max : console_max_line);
    }
    return "HCP026E Operand missing or invalid: " + why + " (rc " +
           std::to_string(static_cast<int>(CpRc::invalid_operand)) + ")";
}

} // namespace cpd::cli
