// SPDX-License-Identifier: MIT
// The minidisk LINK rules: every mode against every kind of link another user
// may hold (one table, checked cell by cell), the WR / MR read alternates, the
// blocker and counts the messages use, MDISK password checks, and the LINK and
// DETACH operand parsers.
#include "minidisks/link_rules.hpp"

#include <doctest/doctest.h>

#include <array>
#include <string>
#include <string_view>
#include <vector>

using namespace cpd::daemon;
using Outcome = LinkDecision::Outcome;
using Blocker = LinkDecision::Blocker;

namespace {

constexpr std::array all_modes = {LinkMode::r,  LinkMode::rr, LinkMode::w,  LinkMode::wr,
                                  LinkMode::m,  LinkMode::mr, LinkMode::mw, LinkMode::sr,
                                  LinkMode::sw, LinkMode::sm, LinkMode::er, LinkMode::ew};

/// Every kind of link another user can hold, as arbitration would have granted it.
struct HeldKind {
    const char* name;
    HeldLink link;
};
constexpr std::array<HeldKind, 14> held_kinds = {{
    {"R", {LinkMode::r, false}},
    {"RR", {LinkMode::rr, false}},
    {"W", {LinkMode::w, true}},
    {"WR as write", {LinkMode::wr, true}},
    {"WR as read", {LinkMode::wr, false}},
    {"M", {LinkMode::m, true}},
    {"MR as write", {LinkMode::mr, true}},
    {"MR as read", {LinkMode::mr, false}},
    {"MW", {LinkMode::mw, true}},
    {"SR", {LinkMode::sr, false}},
    {"SW", {LinkMode::sw, true}},
    {"SM", {LinkMode::sm, true}},
    {"ER", {LinkMode::er, false}},
    {"EW", {LinkMode::ew, true}},
}};

/// Expected outcome per wanted mode (rows, in LinkMode order) and held kind
/// (columns, in held_kinds order: R RR W WR-as-write WR-as-read M MR-as-write
/// MR-as-read MW SR SW SM ER EW): W write, R read, F forced read, - refused.
constexpr std::array<std::string_view, 12> expected = {
    "RR--R--R-R----", // R
    "RRRRRRRRRRRR--", // RR
    "--------------", // W
    "FFFFFFFFFFFF--", // WR
    "WW--W--W------", // M
    "WWFFWFFWFFFF--", // MR
    "WWWWWWWWW-----", // MW
    "RR--R--R-R----", // SR
    "--------------", // SW
    "WW--W--W------", // SM
    "--------------", // ER
    "--------------", // EW
};

char letter(Outcome o) {
    switch (o) {
    case Outcome::granted_write:
        return 'W';
    case Outcome::granted_read:
        return 'R';
    case Outcome::forced_read:
        return 'F';
    case Outcome::refused:
        return '-';
    }
    return '?';
}

LinkDecision decide(LinkMode wanted, std::vector<HeldLink> others) {
    return arbitrate(wanted, others);
}

LinkRequest parsed(std::string_view operands) {
    LinkParse p = parse_link_command(operands);
    INFO("operands: ", operands, " error: ", p.error);
    REQUIRE(p.request.has_value());
    CHECK(p.rc == 0);
    CHECK(p.error.empty());
    return *p.request;
}

void check_error(std::string_view operands, int rc, std::string_view text) {
    LinkParse p = parse_link_command(operands);
    INFO("operands: ", operands);
    CHECK_FALSE(p.request.has_value());
    CHECK(p.rc == rc);
    CHECK(p.error == text);
}

constexpr std::string_view userid_error = "HCPLNM020E Userid missing or invalid";
constexpr std::string_view vdev_error =
    "HCPLNM022E A virtual device number was not supplied or it was invalid";

} // namespace

TEST_SUITE("cpd.link_rules") {

    TEST_CASE("mode words parse in any case and print as CP spells them") {
        for (LinkMode m : all_modes) {
            const std::string_view name = to_string(m);
            CHECK(parse_link_mode(name) == m);
            std::string lower(name);
            for (char& c : lower)
                c = static_cast<char>(c - 'A' + 'a');
            CHECK(parse_link_mode(lower) == m);
        }
        CHECK(to_string(LinkMode::mr) == "MR");
        CHECK(parse_link_mode("Mw") == LinkMode::mw);
        for (std::string_view bad : {"", "X", "RW", "RRR", "E", "S", "MR ", "PASS=R"})
            CHECK_FALSE(parse_link_mode(bad).has_value());
    }

    TEST_CASE("each mode needs the password of its primary access") {
        CHECK(password_kind(LinkMode::r) == PasswordKind::read);
        CHECK(password_kind(LinkMode::rr) == PasswordKind::read);
        CHECK(password_kind(LinkMode::sr) == PasswordKind::read);
        CHECK(password_kind(LinkMode::er) == PasswordKind::read);
        CHECK(password_kind(LinkMode::w) == PasswordKind::write);
        CHECK(password_kind(LinkMode::wr) == PasswordKind::write);
        CHECK(password_kind(LinkMode::sw) == PasswordKind::write);
        CHECK(password_kind(LinkMode::ew) == PasswordKind::write);
        CHECK(password_kind(LinkMode::m) == PasswordKind::multi);
        CHECK(password_kind(LinkMode::mr) == PasswordKind::multi);
        CHECK(password_kind(LinkMode::mw) == PasswordKind::multi);
        CHECK(password_kind(LinkMode::sm) == PasswordKind::multi);
    }

    TEST_CASE("with no other links every mode gets its primary access") {
        for (LinkMode m : all_modes) {
            const LinkDecision d = arbitrate(m, {});
            INFO("mode ", to_string(m));
            const bool write = password_kind(m) != PasswordKind::read;
            CHECK(d.outcome == (write ? Outcome::granted_write : Outcome::granted_read));
            CHECK(d.blocker == Blocker::none);
            CHECK(d.readers == 0);
            CHECK(d.writers == 0);
        }
    }

    TEST_CASE("every mode against every kind of held link follows the arbitration table") {
        for (std::size_t row = 0; row < all_modes.size(); ++row) {
            for (std::size_t col = 0; col < held_kinds.size(); ++col) {
                const LinkMode wanted = all_modes[row];
                const HeldKind& held = held_kinds[col];
                const LinkDecision d = decide(wanted, {held.link});
                INFO("wanted ", to_string(wanted), " while another user holds ", held.name);
                CHECK(letter(d.outcome) == expected[row][col]);
                CHECK(d.readers + d.writers == 1);
                CHECK(d.writers == (held.link.write ? 1u : 0u));
                const bool primary =
                    d.outcome == Outcome::granted_write || d.outcome == Outcome::granted_read;
                CHECK((d.blocker == Blocker::none) == primary);
            }
        }
    }

    TEST_CASE("MR is forced read-only while another user writes") {
        SUBCASE("one writer among readers") {
            const LinkDecision d = decide(LinkMode::mr, {{LinkMode::rr, false},
                                                         {LinkMode::m, true},
                                                         {LinkMode::r, false},
                                                         {LinkMode::r, false}});
            CHECK(d.outcome == Outcome::forced_read);
            CHECK(d.blocker == Blocker::writer);
            CHECK(d.readers == 3);
            CHECK(d.writers == 1);
        }
        SUBCASE("a stable read link also forces read") {
            const LinkDecision d = decide(LinkMode::mr, {{LinkMode::sr, false}});
            CHECK(d.outcome == Outcome::forced_read);
            CHECK(d.blocker == Blocker::stable);
        }
        SUBCASE("readers alone do not") {
            const LinkDecision d =
                decide(LinkMode::mr, {{LinkMode::r, false}, {LinkMode::rr, false}});
            CHECK(d.outcome == Outcome::granted_write);
            CHECK(d.readers == 2);
        }
        SUBCASE("an exclusive link refuses even the read") {
            const LinkDecision d = decide(LinkMode::mr, {{LinkMode::ew, true}});
            CHECK(d.outcome == Outcome::refused);
            CHECK(d.blocker == Blocker::exclusive);
        }
    }

    TEST_CASE("WR falls back to read when anyone else is linked") {
        SUBCASE("readers") {
            const LinkDecision d =
                decide(LinkMode::wr, {{LinkMode::r, false}, {LinkMode::r, false}});
            CHECK(d.outcome == Outcome::forced_read);
            CHECK(d.blocker == Blocker::readers);
            CHECK(d.readers == 2);
            CHECK(d.writers == 0);
        }
        SUBCASE("a writer") {
            const LinkDecision d =
                decide(LinkMode::wr, {{LinkMode::mw, true}, {LinkMode::mw, true}});
            CHECK(d.outcome == Outcome::forced_read);
            CHECK(d.blocker == Blocker::writer);
            CHECK(d.writers == 2);
        }
        SUBCASE("an exclusive read link refuses it") {
            const LinkDecision d = decide(LinkMode::wr, {{LinkMode::er, false}});
            CHECK(d.outcome == Outcome::refused);
            CHECK(d.blocker == Blocker::exclusive);
            CHECK(d.readers == 1);
        }
    }

    TEST_CASE("refusals name the blocker a message needs") {
        SUBCASE("W refused by readers, even a stable one") {
            const LinkDecision d =
                decide(LinkMode::w, {{LinkMode::sr, false}, {LinkMode::r, false}});
            CHECK(d.outcome == Outcome::refused);
            CHECK(d.blocker == Blocker::readers);
            CHECK(d.readers == 2);
        }
        SUBCASE("exclusive is reported before a writer") {
            const LinkDecision d =
                decide(LinkMode::r, {{LinkMode::w, true}, {LinkMode::er, false}});
            CHECK(d.blocker == Blocker::exclusive);
            CHECK(d.writers == 1);
            CHECK(d.readers == 1);
        }
        SUBCASE("M refused by a writer") {
            const LinkDecision d =
                decide(LinkMode::m, {{LinkMode::r, false}, {LinkMode::wr, true}});
            CHECK(d.outcome == Outcome::refused);
            CHECK(d.blocker == Blocker::writer);
        }
        SUBCASE("M refused by a stable read link") {
            const LinkDecision d = decide(LinkMode::m, {{LinkMode::sr, false}});
            CHECK(d.blocker == Blocker::stable);
        }
        SUBCASE("MW refused by a stable read link") {
            const LinkDecision d =
                decide(LinkMode::mw, {{LinkMode::sr, false}, {LinkMode::mw, true}});
            CHECK(d.outcome == Outcome::refused);
            CHECK(d.blocker == Blocker::stable);
        }
    }

    TEST_CASE("MW gives a second and third writer") {
        const LinkDecision d = decide(LinkMode::mw, {{LinkMode::m, true}, {LinkMode::mw, true}});
        CHECK(d.outcome == Outcome::granted_write);
        CHECK(d.writers == 2);
    }

    TEST_CASE("a held write-only mode counts as a writer whatever its flag says") {
        const LinkDecision d = decide(LinkMode::r, {{LinkMode::w, false}});
        CHECK(d.outcome == Outcome::refused);
        CHECK(d.blocker == Blocker::writer);
        CHECK(d.writers == 1);
        CHECK(d.readers == 0);
    }

    TEST_CASE("password checks") {
        MdiskPasswords pw{"RSECRET", "WSECRET", "MSECRET"};
        SUBCASE("the password of the mode's kind matches") {
            CHECK(check_password(pw, LinkMode::rr, "RSECRET") == PasswordCheck::ok);
            CHECK(check_password(pw, LinkMode::wr, "WSECRET") == PasswordCheck::ok);
            CHECK(check_password(pw, LinkMode::mw, "MSECRET") == PasswordCheck::ok);
            CHECK(check_password(pw, LinkMode::sm, "MSECRET") == PasswordCheck::ok);
        }
        SUBCASE("another kind's password is wrong") {
            CHECK(check_password(pw, LinkMode::r, "WSECRET") == PasswordCheck::wrong);
            CHECK(check_password(pw, LinkMode::w, "RSECRET") == PasswordCheck::wrong);
            CHECK(check_password(pw, LinkMode::m, "WSECRET") == PasswordCheck::wrong);
            CHECK(check_password(pw, LinkMode::r, "RSECRE") == PasswordCheck::wrong);
            CHECK(check_password(pw, LinkMode::r, "RSECRETX") == PasswordCheck::wrong);
        }
        SUBCASE("case does not matter") {
            CHECK(check_password(pw, LinkMode::r, "rsecret") == PasswordCheck::ok);
            pw.write = "wSeCrEt";
            CHECK(check_password(pw, LinkMode::w, "WSECRET") == PasswordCheck::ok);
        }
        SUBCASE("none given") {
            CHECK(check_password(pw, LinkMode::r, std::nullopt) == PasswordCheck::missing);
            CHECK(check_password(pw, LinkMode::m, "") == PasswordCheck::missing);
        }
        SUBCASE("ALL needs no password and accepts any") {
            pw.read = "ALL";
            pw.write = "all";
            CHECK(check_password(pw, LinkMode::r, std::nullopt) == PasswordCheck::ok);
            CHECK(check_password(pw, LinkMode::er, "ANYTHING") == PasswordCheck::ok);
            CHECK(check_password(pw, LinkMode::w, std::nullopt) == PasswordCheck::ok);
            CHECK(check_password(pw, LinkMode::m, std::nullopt) == PasswordCheck::missing);
        }
        SUBCASE("a kind without a password is not allowed") {
            const MdiskPasswords read_only{"ALL", std::nullopt, std::nullopt};
            CHECK(check_password(read_only, LinkMode::w, "ALL") == PasswordCheck::not_allowed);
            CHECK(check_password(read_only, LinkMode::mr, std::nullopt) ==
                  PasswordCheck::not_allowed);
            CHECK(check_password(MdiskPasswords{}, LinkMode::r, "X") == PasswordCheck::not_allowed);
            CHECK(check_password(MdiskPasswords{"", "", ""}, LinkMode::r, "") ==
                  PasswordCheck::not_allowed);
        }
    }

    TEST_CASE("LINK operands in every form") {
        SUBCASE("the shortest form takes the default mode") {
            const LinkRequest r = parsed("maint 190 190");
            CHECK(r.owner == "MAINT");
            CHECK(r.owner_vdev == "0190");
            CHECK(r.vdev == "0190");
            CHECK(r.mode == LinkMode::r);
            CHECK_FALSE(r.mode_given);
            CHECK_FALSE(r.password.has_value());
        }
        SUBCASE("TO and AS keywords, any case, abbreviated") {
            for (std::string_view s :
                 {"TO MAINT 19e AS 19F MR", "to maint 19E as 19f mr", "T MAINT 19E A 19F MR",
                  "MAINT 19E AS 19F MR", "TO MAINT 19E 19F MR", "  \tTO  MAINT\t19E  19F MR  "}) {
                const LinkRequest r = parsed(s);
                CHECK(r.owner == "MAINT");
                CHECK(r.owner_vdev == "019E");
                CHECK(r.vdev == "019F");
                CHECK(r.mode == LinkMode::mr);
                CHECK(r.mode_given);
            }
        }
        SUBCASE("own disk with an explicit mode") {
            const LinkRequest r = parsed("* 191 291 RR");
            CHECK(r.owner == "*");
            CHECK(r.owner_vdev == "0191");
            CHECK(r.vdev == "0291");
            CHECK(r.mode == LinkMode::rr);
            CHECK(r.mode_given);
        }
        SUBCASE("TO and T are userids after the TO keyword; A is a vdev after AS") {
            CHECK(parsed("TO TO 1 2").owner == "TO");
            CHECK(parsed("TO T 1 2").owner == "T");
            CHECK(parsed("USER1 1 AS A").vdev == "000A");
            CHECK(parsed("USER1 A A 2").owner_vdev == "000A");
        }
        SUBCASE("passwords with and without PASS=") {
            LinkRequest r = parsed("MAINT 190 190 RR PASS=Secret");
            CHECK(r.mode == LinkMode::rr);
            CHECK(r.password == "Secret");
            r = parsed("MAINT 190 190 W WPASS");
            CHECK(r.mode == LinkMode::w);
            CHECK(r.password == "WPASS");
            r = parsed("MAINT 190 190 pass=RPASS");
            CHECK_FALSE(r.mode_given);
            CHECK(r.password == "RPASS");
            r = parsed("MAINT 190 190 M PASS= MPASS");
            CHECK(r.mode == LinkMode::m);
            CHECK(r.password == "MPASS");
        }
        SUBCASE("a lone word that is no mode is the password with the default mode") {
            const LinkRequest r = parsed("MAINT 190 190 RPASS");
            CHECK_FALSE(r.mode_given);
            CHECK(r.mode == LinkMode::r);
            CHECK(r.password == "RPASS");
        }
        SUBCASE("a lone mode word is the mode, not a password") {
            const LinkRequest r = parsed("MAINT 190 190 W");
            CHECK(r.mode == LinkMode::w);
            CHECK_FALSE(r.password.has_value());
        }
        SUBCASE("PASS= can carry a password spelt like a mode") {
            const LinkRequest r = parsed("MAINT 190 190 PASS=MW");
            CHECK_FALSE(r.mode_given);
            CHECK(r.password == "MW");
        }
        SUBCASE("vdevs are zero-padded upper-case hex") {
            const LinkRequest r = parsed("OPERATOR 0 fFfF");
            CHECK(r.owner_vdev == "0000");
            CHECK(r.vdev == "FFFF");
        }
        SUBCASE("userids of 8 characters and special characters") {
            CHECK(parsed("ab@#$123 1 2").owner == "AB@#$123");
        }
    }

    TEST_CASE("LINK operand errors carry z/VM message numbers") {
        SUBCASE("userid missing or invalid") {
            for (std::string_view s : {"", "   ", "TO", "T", "NINECHARS 1 2", "BAD-ID 1 2",
                                       "M\xc3\xa4INT 1 2", "** 1 2"})
                check_error(s, 20, userid_error);
        }
        SUBCASE("TO alone swallows the userid position") {
            check_error("TO 191 291", 22, vdev_error);
        }
        SUBCASE("vdev missing or invalid") {
            for (std::string_view s : {"MAINT", "MAINT 190", "MAINT 12345 190", "MAINT 190 G",
                                       "MAINT 190 AS", "MAINT 190 A", "MAINT 190 AS AS",
                                       "MAINT -1 190", "MAINT 190 0x1", "* 191", "TO * "})
                check_error(s, 22, vdev_error);
        }
        SUBCASE("a word before the password that is no mode") {
            check_error("MAINT 190 190 XR PASS=X", 2, "HCPLNM002E Invalid operand - XR");
            check_error("MAINT 190 190 rw secret", 2, "HCPLNM002E Invalid operand - RW");
        }
        SUBCASE("PASS= without a password") {
            check_error("MAINT 190 190 R PASS=", 26, "HCPLNM026E Operand missing or invalid");
            check_error("MAINT 190 190 PASS=", 26, "HCPLNM026E Operand missing or invalid");
        }
        SUBCASE("extra operands") {
            const std::string_view prefix =
                "HCPLNM003E Invalid option - command contains extra option(s) starting with ";
            check_error("MAINT 190 190 R PW extra", 3, std::string(prefix) + "EXTRA");
            check_error("MAINT 190 190 PASS=PW R", 3, std::string(prefix) + "R");
            check_error("MAINT 190 190 RR PASS= PW X", 3, std::string(prefix) + "X");
        }
    }

    TEST_CASE("DETACH vdev operands") {
        CHECK(parse_vdev("191") == "0191");
        CHECK(parse_vdev("c") == "000C");
        CHECK(parse_vdev("0191") == "0191");
        CHECK(parse_vdev("abCD") == "ABCD");
        for (std::string_view bad : {"", "10000", "G", "19 1", " 191", "+1", "0x19", "\xc3\xa4"})
            CHECK_FALSE(parse_vdev(bad).has_value());
    }

} // TEST_SUITE
