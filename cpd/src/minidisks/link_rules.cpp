// SPDX-License-Identifier: MIT
// Minidisk LINK rules: see link_rules.hpp. Arbitration is a table of which
// held-link conditions block each mode's primary access and its read
// alternate; the parsers work on blank-separated words. No I/O, no logging.
#include "minidisks/link_rules.hpp"

#include "cpd/proto/userid.hpp"

#include <array>
#include <cstdint>
#include <vector>

namespace cpd::daemon {

namespace {

constexpr std::array<std::string_view, 12> mode_names = {"R",  "RR", "W",  "WR", "M",  "MR",
                                                         "MW", "SR", "SW", "SM", "ER", "EW"};

constexpr std::size_t index_of(LinkMode m) noexcept {
    return static_cast<std::size_t>(m);
}

char ascii_upper(char c) noexcept {
    return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}

std::string upper(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        c = ascii_upper(c);
    return out;
}

// Held-link conditions, as bits, in the order a blocker is reported.
enum Condition : std::uint8_t {
    excl = 1,   // another user holds ER or EW
    writer = 2, // another user holds a write link
    stable = 4, // another user holds SR, SW or SM
    any = 8,    // another user holds any link
};
constexpr std::uint8_t all = excl | writer | any;

/// What blocks a mode: its primary access and, for WR and MR, the read alternate.
struct Rule {
    bool write;                   // the primary access is write
    std::uint8_t blocks;          // conditions that refuse the primary access
    std::uint8_t fallback_blocks; // conditions that refuse the read alternate
    bool has_fallback;
};

// Indexed by LinkMode. The [U] rows take the conservative reading (header).
constexpr std::array<Rule, 12> rules = {{
    {false, excl | writer, 0, false},           // R  (SW/SM holders are writers)
    {false, excl, 0, false},                    // RR
    {true, all, 0, false},                      // W
    {true, all, excl, true},                    // WR
    {true, excl | writer | stable, 0, false},   // M
    {true, excl | writer | stable, excl, true}, // MR
    {true, excl | stable, 0, false},            // MW [U] exclusive and stable block it
    {false, excl | writer, 0, false},           // SR
    {true, all, 0, false},                      // SW [U] as W
    {true, excl | writer | stable, 0, false},   // SM [U] as M
    {false, all, 0, false},                     // ER
    {true, all, 0, false},                      // EW
}};

/// True when a held link grants write: its flag, or a mode that only grants write.
bool is_writer(const HeldLink& h) noexcept {
    switch (h.mode) {
    case LinkMode::w:
    case LinkMode::m:
    case LinkMode::mw:
    case LinkMode::sw:
    case LinkMode::sm:
    case LinkMode::ew:
        return true;
    default:
        return h.write;
    }
}

/// The first present condition in `mask`, as a blocker.
LinkDecision::Blocker first_blocker(std::uint8_t present, std::uint8_t mask) noexcept {
    const auto hit = static_cast<std::uint8_t>(present & mask);
    if (hit & excl)
        return LinkDecision::Blocker::exclusive;
    if (hit & writer)
        return LinkDecision::Blocker::writer;
    if (hit & stable)
        return LinkDecision::Blocker::stable;
    if (hit & any)
        return LinkDecision::Blocker::readers;
    return LinkDecision::Blocker::none;
}

bool is_hex(char c) noexcept {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
}

/// The blank- or tab-separated words of `s`.
std::vector<std::string_view> split_words(std::string_view s) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && (s[i] == ' ' || s[i] == '\t'))
            ++i;
        const std::size_t start = i;
        while (i < s.size() && s[i] != ' ' && s[i] != '\t')
            ++i;
        if (i > start)
            out.push_back(s.substr(start, i - start));
    }
    return out;
}

bool is_word(std::string_view w, std::string_view a, std::string_view b) {
    const std::string u = upper(w);
    return u == a || u == b;
}

bool has_pass_prefix(std::string_view w) {
    return w.size() >= 5 && upper(w.substr(0, 5)) == "PASS=";
}

LinkParse fail(int rc, std::string text) {
    return LinkParse{std::nullopt, std::move(text), rc};
}

LinkParse bad_userid() {
    return fail(20, "HCPLNM020E Userid missing or invalid");
}

LinkParse bad_vdev() {
    return fail(22, "HCPLNM022E A virtual device number was not supplied or it was invalid");
}

LinkParse extra_operand(std::string_view w) {
    return fail(3, "HCPLNM003E Invalid option - command contains extra option(s) starting with " +
                       upper(w));
}

/// Reads the operands after vdev2: [mode] [[PASS=] password]; empty error on success.
LinkParse parse_tail(std::span<const std::string_view> words, LinkRequest& req) {
    std::size_t i = 0;
    if (i < words.size() && !has_pass_prefix(words[i])) {
        if (auto m = parse_link_mode(words[i])) {
            req.mode = *m;
            req.mode_given = true;
            ++i;
        } else if (words.size() > 1) {
            return fail(2, "HCPLNM002E Invalid operand - " + upper(words[i]));
        }
    }
    if (i < words.size()) {
        std::string_view pw = words[i++];
        if (has_pass_prefix(pw)) {
            pw.remove_prefix(5);
            if (pw.empty()) {
                if (i == words.size())
                    return fail(26, "HCPLNM026E Operand missing or invalid");
                pw = words[i++];
            }
        }
        req.password = std::string(pw);
    }
    if (i < words.size())
        return extra_operand(words[i]);
    return {};
}

} // namespace

std::optional<LinkMode> parse_link_mode(std::string_view word) {
    const std::string u = upper(word);
    for (std::size_t i = 0; i < mode_names.size(); ++i)
        if (u == mode_names[i])
            return static_cast<LinkMode>(i);
    return std::nullopt;
}

std::string_view to_string(LinkMode m) noexcept {
    return mode_names[index_of(m)];
}

PasswordKind password_kind(LinkMode m) noexcept {
    switch (m) {
    case LinkMode::w:
    case LinkMode::wr:
    case LinkMode::sw:
    case LinkMode::ew:
        return PasswordKind::write;
    case LinkMode::m:
    case LinkMode::mr:
    case LinkMode::mw:
    case LinkMode::sm:
        return PasswordKind::multi;
    default:
        return PasswordKind::read;
    }
}

/// Decides a LINK: the primary access, else the read alternate, else a refusal.
LinkDecision arbitrate(LinkMode wanted, std::span<const HeldLink> others) {
    LinkDecision d; // refused until a rule grants
    std::uint8_t present = 0;
    for (const HeldLink& h : others) {
        present |= any;
        if (is_writer(h)) {
            present |= writer;
            ++d.writers;
        } else {
            ++d.readers;
        }
        if (h.mode == LinkMode::er || h.mode == LinkMode::ew)
            present |= excl;
        if (h.mode == LinkMode::sr || h.mode == LinkMode::sw || h.mode == LinkMode::sm)
            present |= stable;
    }
    const Rule& rule = rules[index_of(wanted)];
    if ((present & rule.blocks) == 0) {
        d.outcome =
            rule.write ? LinkDecision::Outcome::granted_write : LinkDecision::Outcome::granted_read;
        return d;
    }
    d.blocker = first_blocker(present, rule.blocks);
    if (rule.has_fallback && (present & rule.fallback_blocks) == 0) {
        d.outcome = LinkDecision::Outcome::forced_read;
        return d;
    }
    if (rule.has_fallback)
        d.blocker = first_blocker(present, rule.fallback_blocks);
    return d;
}

/// Checks a typed password against the MDISK password of the mode's kind.
PasswordCheck check_password(const MdiskPasswords& pw, LinkMode mode,
                             std::optional<std::string_view> given) {
    const std::optional<std::string>* wanted = &pw.read;
    switch (password_kind(mode)) {
    case PasswordKind::read:
        break;
    case PasswordKind::write:
        wanted = &pw.write;
        break;
    case PasswordKind::multi:
        wanted = &pw.multi;
        break;
    }
    if (!wanted->has_value() || (*wanted)->empty())
        return PasswordCheck::not_allowed;
    const std::string expected = upper(**wanted);
    if (expected == "ALL")
        return PasswordCheck::ok;
    if (!given || given->empty())
        return PasswordCheck::missing;
    return upper(*given) == expected ? PasswordCheck::ok : PasswordCheck::wrong;
}

/// Parses LINK [TO] userid vdev1 [AS] vdev2 [mode] [[PASS=] password].
LinkParse parse_link_command(std::string_view operands) {
    const std::vector<std::string_view> words = split_words(operands);
    std::size_t i = 0;
    if (i < words.size() && is_word(words[i], "TO", "T"))
        ++i;
    if (i == words.size())
        return bad_userid();
    LinkRequest req;
    if (words[i] == "*") {
        req.owner = "*";
    } else if (auto id = proto::Userid::parse(words[i])) {
        req.owner = std::string(id->str());
    } else {
        return bad_userid();
    }
    ++i;
    auto vdev1 = i < words.size() ? parse_vdev(words[i]) : std::nullopt;
    if (!vdev1)
        return bad_vdev();
    req.owner_vdev = std::move(*vdev1);
    ++i;
    if (i < words.size() && is_word(words[i], "AS", "A"))
        ++i;
    auto vdev2 = i < words.size() ? parse_vdev(words[i]) : std::nullopt;
    if (!vdev2)
        return bad_vdev();
    req.vdev = std::move(*vdev2);
    ++i;
    LinkParse tail = parse_tail(std::span(words).subspan(i), req);
    if (tail.rc != 0)
        return tail;
    return LinkParse{std::move(req), {}, 0};
}

/// Canonicalises a device number: 1-4 hex digits to 4 upper-case digits.
std::optional<std::string> parse_vdev(std::string_view word) {
    if (word.empty() || word.size() > 4)
        return std::nullopt;
    std::string out(4 - word.size(), '0');
    for (char c : word) {
        if (!is_hex(c))
            return std::nullopt;
        out += ascii_upper(c);
    }
    return out;
}

} // namespace cpd::daemon
