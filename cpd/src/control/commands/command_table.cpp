// SPDX-License-Identifier: MIT
// The verb table and the dispatcher: find the verb by abbreviation, check the
// caller's privilege classes, run the handler. QUERY, SMSG and SET are class
// G; XAUTOLOG is A or B (or G for oneself); FORCE and SHUTDOWN are A; LOGOFF
// is any user's, for itself; LINK and DETACH are G, for one's own virtual
// machine (class B links without passwords). MSG is any user's, WARNING A or
// B, MSGNOH B; INDICATE is E or G (G for oneself), checked in indicate.cpp.
#include "control/commands/command_table.hpp"

#include "cpd/proto/version.hpp"

#include <cctype>

namespace cpd::daemon {

bool Caller::has_any_class(std::string_view any_of) const noexcept {
    return classes.find_first_of(any_of) != std::string::npos;
}

CommandArgs::CommandArgs(std::string_view line) : line_(line) {
    std::size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) {
            ++i;
        }
        std::size_t start = i;
        while (i < line.size() && line[i] != ' ' && line[i] != '\t') {
            ++i;
        }
        if (i > start) {
            words_.push_back(line.substr(start, i - start));
        }
    }
}

std::string_view CommandArgs::word(std::size_t i) const noexcept {
    return i < words_.size() ? words_[i] : std::string_view{};
}

std::string CommandArgs::upper(std::size_t i) const {
    std::string s(word(i));
    for (char& c : s) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return s;
}

std::string_view CommandArgs::rest_after(std::size_t i) const noexcept {
    if (i >= words_.size()) {
        return {};
    }
    std::size_t pos = static_cast<std::size_t>(words_[i].data() - line_.data()) + words_[i].size();
    while (pos < line_.size() && (line_[pos] == ' ' || line_[pos] == '\t')) {
        ++pos;
    }
    return line_.substr(pos);
}

bool matches_abbrev(std::string_view word, std::string_view name, std::size_t min_len) noexcept {
    if (word.size() < min_len || word.size() > name.size()) {
        return false;
    }
    for (std::size_t i = 0; i < word.size(); ++i) {
        if (std::toupper(static_cast<unsigned char>(word[i])) != name[i]) {
            return false;
        }
    }
    return true;
}

const std::vector<CommandSpec>& command_table() {
    static const std::vector<CommandSpec> table = {
        {"QUERY", 1, "G", cmd_query},
        {"SMSG", 2, "G", cmd_smsg},
        {"SET", 3, "G", cmd_set},
        {"XAUTOLOG", 5, "", cmd_xautolog}, // A/B, or G for oneself: checked in the handler
        {"AUTOLOG", 4, "", cmd_xautolog},
        {"FORCE", 5, "A", cmd_force},
        {"SHUTDOWN", 8, "A", cmd_shutdown},
        {"LOGOFF", 3, "", cmd_logoff},
        {"LINK", 4, "G", cmd_link},
        {"DETACH", 3, "G", cmd_detach},
        {"MESSAGE", 1, "", cmd_msg},
        {"MSG", 3, "", cmd_msg},
        {"MSGNOH", 6, "B", cmd_msgnoh},
        {"WARNING", 1, "AB", cmd_warning},
        {"WNG", 3, "AB", cmd_warning},
        {"INDICATE", 3, "EG", cmd_indicate},
        // The spool: class G for one's own files; class D for anyone's (checked inside).
        {"SPOOL", 2, "G", cmd_spool},
        {"CLOSE", 2, "G", cmd_close},
        {"PURGE", 3, "G", cmd_purge},
        {"TRANSFER", 3, "G", cmd_transfer},
        {"ORDER", 2, "G", cmd_order},
        {"CHANGE", 2, "G", cmd_change},
    };
    return table;
}

const CommandSpec* find_command(std::string_view verb) noexcept {
    for (const CommandSpec& spec : command_table()) {
        if (matches_abbrev(verb, spec.name, spec.min_len)) {
            return &spec;
        }
    }
    return nullptr;
}

CpOutcome invalid_userid(std::string_view operand) {
    if (operand.empty()) {
        return {proto::CpRc::invalid_userid, "HCPCMD020E Userid missing or invalid"};
    }
    return {proto::CpRc::invalid_userid,
            "HCPCMD020E Userid missing or invalid: " + std::string(operand)};
}

CpOutcome not_authorized(std::string_view verb) {
    return {proto::CpRc::not_authorized,
            "HCPCMD002E Command " + std::string(verb) + " not authorized"};
}

CpOutcome execute_command(std::string_view line, const Caller& caller, CpServices& services) {
    CommandArgs args(line);
    if (args.size() == 0) {
        return {};
    }
    const CommandSpec* spec = find_command(args.word(0));
    if (spec == nullptr) {
        return {proto::CpRc::unknown_command,
                "HCPCMD001E Unknown CP command: " + args.upper(0)};
    }
    if (*spec->classes != '\0' && !caller.has_any_class(spec->classes)) {
        return not_authorized(spec->name);
    }
    CpOutcome r = spec->run(args, caller, services);
    if (r.text.size() > proto::cp_response_max) { // every path (ring, socket, #CP) has this bound
        r.text.resize(proto::cp_response_max);
    }
    return r;
}

} // namespace cpd::daemon
