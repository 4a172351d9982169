// SPDX-License-Identifier: MIT
// Operand words of the spool commands and their error outcomes (spool_devices.hpp).
#include "spool/spool_devices.hpp"

#include <cctype>
#include <cstdio>

namespace cpd::daemon::spool_words {

bool is(std::string_view word, std::string_view name, std::size_t min) {
    if (min == 0) {
        min = name.size();
    }
    if (word.size() < min || word.size() > name.size()) {
        return false;
    }
    for (std::size_t i = 0; i < word.size(); ++i) {
        if (std::toupper(static_cast<unsigned char>(word[i])) != name[i]) {
            return false;
        }
    }
    return true;
}

std::string upper(std::string_view word) {
    std::string s(word);
    for (char& c : s) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return s;
}

std::optional<SpoolDevice> queue(std::string_view w) {
    if (is(w, "READER", 1) || is(w, "RDR")) {
        return SpoolDevice::rdr;
    }
    if (is(w, "PRINTER", 1) || is(w, "PRT")) {
        return SpoolDevice::prt;
    }
    if (is(w, "PUNCH", 2) || is(w, "PUN")) {
        return SpoolDevice::pun;
    }
    return std::nullopt;
}

std::optional<std::uint16_t> vdev(std::string_view w) {
    if (auto q = queue(w)) {
        return *q == SpoolDevice::rdr   ? reader_vdev
               : *q == SpoolDevice::pun ? punch_vdev
                                        : printer_vdev;
    }
    if (w.empty() || w.size() > 4) {
        return std::nullopt;
    }
    unsigned v = 0;
    for (char c : w) {
        if (!std::isxdigit(static_cast<unsigned char>(c))) {
            return std::nullopt;
        }
        v = v * 16 +
            static_cast<unsigned>(std::isdigit(static_cast<unsigned char>(c))
                                      ? c - '0'
                                      : std::toupper(static_cast<unsigned char>(c)) - 'A' + 10);
    }
    return static_cast<std::uint16_t>(v);
}

std::optional<std::uint16_t> spoolid(std::string_view w) {
    if (w.empty() || w.size() > 4) {
        return std::nullopt;
    }
    unsigned v = 0;
    for (char c : w) {
        if (c < '0' || c > '9') {
            return std::nullopt;
        }
        v = v * 10 + static_cast<unsigned>(c - '0');
    }
    return v == 0 ? std::nullopt : std::optional<std::uint16_t>(static_cast<std::uint16_t>(v));
}

std::optional<char> spool_class(std::string_view w, bool star_ok) {
    if (w.size() != 1) {
        return std::nullopt;
    }
    const char c = static_cast<char>(std::toupper(static_cast<unsigned char>(w[0])));
    if (is_spool_class(c) || (star_ok && c == '*')) {
        return c;
    }
    return std::nullopt;
}

bool is_token(std::string_view w) {
    if (w.empty() || w.size() > 8) {
        return false;
    }
    for (char c : w) {
        if (c <= ' ' || c > '~') {
            return false;
        }
    }
    return true;
}

CpOutcome invalid_option(std::string_view mod, std::string_view word) {
    return {proto::CpRc::invalid_option,
            "HCP" + std::string(mod) + "003E Invalid option - " + upper(word)};
}

CpOutcome missing_operand(std::string_view mod) {
    return {proto::CpRc::invalid_operand,
            "HCP" + std::string(mod) + "026E Operand missing or invalid"};
}

CpOutcome no_device(std::string_view mod, std::string_view word) {
    return {proto::CpRc::no_such_device,
            "HCP" + std::string(mod) + "040E Device " + upper(word) + " does not exist"};
}

CpOutcome no_spoolid(std::string_view mod, std::uint16_t id) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%04u", static_cast<unsigned>(id));
    return {proto::CpRc::no_spool_file,
            "HCP" + std::string(mod) + "042E Spoolid " + buf + " does not exist"};
}

} // namespace cpd::daemon::spool_words
