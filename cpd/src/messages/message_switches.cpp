// SPDX-License-Identifier: MIT
// Parsing and showing the message switches (message_switches.hpp).
#include "messages/message_switches.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace cpd::daemon {
namespace {

bool same(std::string_view a, std::string_view upper) noexcept {
    if (a.size() != upper.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (std::toupper(static_cast<unsigned char>(a[i])) != upper[i]) {
            return false;
        }
    }
    return true;
}

/// "NAME value" padded to z/VM's QUERY SET column width.
std::string item(std::string_view name, std::string_view value, int width) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*s %-*.*s", static_cast<int>(name.size()), name.data(), width,
                  static_cast<int>(value.size()), value.data());
    return buf;
}

/// True if `word` looks like a CP message id: HCP, 3 letters, digits, a severity letter.
bool is_message_id(std::string_view word) noexcept {
    if (word.size() < 8 || word.substr(0, 3) != "HCP") {
        return false;
    }
    const char severity = word.back();
    return severity == 'E' || severity == 'I' || severity == 'W' || severity == 'R' ||
           severity == 'S' || severity == 'A';
}

} // namespace

const proto::Userid& cp_sender() {
    static const proto::Userid id = *proto::Userid::parse("SYSTEM");
    return id;
}

std::optional<MessageSwitch> parse_switch(std::string_view value) noexcept {
    if (same(value, "ON")) {
        return MessageSwitch::on;
    }
    if (same(value, "OFF")) {
        return MessageSwitch::off;
    }
    if (same(value, "IUCV")) {
        return MessageSwitch::iucv;
    }
    return std::nullopt;
}

std::optional<EmsgMode> parse_emsg(std::string_view value) noexcept {
    if (same(value, "TEXT")) {
        return EmsgMode::text;
    }
    if (same(value, "CODE")) {
        return EmsgMode::code;
    }
    if (const auto s = parse_switch(value)) {
        return *s == MessageSwitch::on    ? EmsgMode::on
               : *s == MessageSwitch::off ? EmsgMode::off
                                          : EmsgMode::iucv;
    }
    return std::nullopt;
}

std::string_view to_string(MessageSwitch s) noexcept {
    return s == MessageSwitch::on ? "ON" : s == MessageSwitch::off ? "OFF" : "IUCV";
}

std::string_view to_string(EmsgMode m) noexcept {
    switch (m) {
    case EmsgMode::on:
        return "ON";
    case EmsgMode::off:
        return "OFF";
    case EmsgMode::text:
        return "TEXT";
    case EmsgMode::code:
        return "CODE";
    case EmsgMode::iucv:
        return "IUCV";
    }
    return "ON";
}

std::string format_query_set(const MessageSwitches& s, bool smsg_on) {
    const std::string_view smsg = !smsg_on ? "OFF" : s.smsg_iucv ? "IUCV" : "ON";
    return item("MSG", to_string(s.msg), 5) + " , " + item("WNG", to_string(s.wng), 5) + " , " +
           item("EMSG", to_string(s.emsg), 5) + " , ACNT OFF, RUN OFF\n" +
           item("IMSG", to_string(s.imsg), 5) + " , " + item("SMSG", smsg, 5) + " , " +
           "VMCONIO OFF, CPCONIO OFF";
}

std::optional<std::string> shape_emsg(EmsgMode mode, std::string_view text) {
    const std::size_t blank = text.find(' ');
    const std::string_view id = text.substr(0, blank);
    if (mode == EmsgMode::off) {
        return std::nullopt;
    }
    if (!is_message_id(id) || mode == EmsgMode::on || mode == EmsgMode::iucv) {
        return std::string(text);
    }
    if (mode == EmsgMode::code) {
        return std::string(id);
    }
    return blank == std::string_view::npos ? std::string() : std::string(text.substr(blank + 1));
}

std::string shape_cp_response(EmsgMode mode, std::string_view text) {
    if (mode == EmsgMode::on || mode == EmsgMode::iucv) {
        return std::string(text);
    }
    std::string out;
    bool first = true;
    for (std::size_t pos = 0; pos <= text.size();) {
        const std::size_t end = std::min(text.find('\n', pos), text.size());
        const std::string_view line = text.substr(pos, end - pos);
        pos = end + 1;
        const std::string_view id = line.substr(0, line.find(' '));
        std::optional<std::string> shown(line);
        if (is_message_id(id) && (id.back() == 'E' || id.back() == 'S')) {
            shown = shape_emsg(mode, line);
        }
        if (shown) {
            if (!first) {
                out += '\n';
            }
            out += *shown;
            first = false;
        }
        if (end == text.size()) {
            break;
        }
    }
    return out;
}

} // namespace cpd::daemon
