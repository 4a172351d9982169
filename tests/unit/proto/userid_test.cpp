// SPDX-License-Identifier: MIT
// Tests of Userid: the CP naming rules on parse (ASCII only, folded to upper
// case, 1-8 of A-Z 0-9 @ # $) and the canonical blank-padded wire form.
#include "cpd/proto/userid.hpp"

#include <doctest/doctest.h>

#include <string>
#include <string_view>
#include <unordered_set>

using cpd::proto::errc;
using cpd::proto::Userid;

namespace {

bool parses(std::string_view s) {
    return Userid::parse(s).has_value();
}

} // namespace

TEST_SUITE("proto.userid") {

    TEST_CASE("lower-case input is folded to upper case") {
        auto u = Userid::parse("maint");
        REQUIRE(u);
        CHECK(u->str() == "MAINT");
        CHECK(u->padded() == "MAINT   ");
        CHECK(u->length() == 5);
        CHECK(Userid::parse("MaInT").value() == u.value());
    }

    TEST_CASE("one to eight characters are accepted, nine and none are refused") {
        CHECK(parses("A"));
        CHECK(parses("ABCDEFGH"));
        CHECK(Userid::parse("ABCDEFGH")->padded() == "ABCDEFGH");
        CHECK(Userid::parse("ABCDEFGH")->length() == 8);
        CHECK_FALSE(parses("ABCDEFGHI"));
        CHECK_FALSE(parses(""));
        CHECK(Userid::parse("").error() == errc::bad_userid);
    }

    TEST_CASE("digits and the national characters @ # $ are accepted") {
        CHECK(parses("@#$"));
        CHECK(parses("0123"));
        CHECK(parses("A1@B#C$9"));
        CHECK(Userid::parse("$y#1")->str() == "$Y#1");
    }

    TEST_CASE("punctuation, blanks and control characters are refused") {
        for (std::string_view s : {"A B", " AB", "AB ", "A-B", "A.B", "A_B", "A/B", "A\tB", "A*"}) {
            CAPTURE(s);
            CHECK_FALSE(parses(s));
        }
        CHECK_FALSE(parses(std::string_view{"A\0B", 3}));
    }

    TEST_CASE("non-ASCII is refused before upper-casing") {
        // "ß" upper-cases to "SS" under Unicode rules; CP must never see that.
        CHECK_FALSE(parses("\xC3\x9F")); // ß
        CHECK_FALSE(parses("STRA\xC3\x9F"
                           "E"));                 // STRAßE
        CHECK_FALSE(parses("\xC3\xA9T\xC3\xA9")); // été
        CHECK_FALSE(parses("\xC4\xB1"));          // dotless i, upper-cases to I
        CHECK_FALSE(parses("\xEF\xBD\x81"));      // fullwidth a
        CHECK_FALSE(parses("\x80"));
        CHECK_FALSE(parses("\xFF"));
        for (int b = 0x80; b <= 0xFF; ++b) {
            std::string s = "AB";
            s += static_cast<char>(b);
            CAPTURE(b);
            CHECK_FALSE(parses(s));
        }
    }

    TEST_CASE("every single ASCII byte is accepted exactly when CP allows it") {
        for (int b = 0; b < 0x80; ++b) {
            const char c = static_cast<char>(b);
            const bool lower = c >= 'a' && c <= 'z';
            CAPTURE(b);
            CHECK(parses(std::string_view{&c, 1}) == (Userid::is_userid_char(c) || lower));
        }
    }

    TEST_CASE("the blank-padded wire form round-trips") {
        for (std::string_view s : {"A", "ECHO", "MAINT", "@#$", "ABCDEFGH"}) {
            auto u = Userid::parse(s);
            REQUIRE(u);
            auto back = Userid::from_wire(u->padded().data());
            REQUIRE(back);
            CHECK(back.value() == u.value());
            CHECK(back->str() == s);
        }
    }

    TEST_CASE("non-canonical wire forms are refused") {
        using namespace std::string_view_literals;
        for (std::string_view w :
             {"        "sv, " ECHO   "sv, "echo    "sv, "EC HO   "sv, "ECHO   \0"sv,
              "ECHO\0\0\0\0"sv, "ECHO-   "sv, "\xC3\x9F      "sv, "ECHO   x"sv}) {
            REQUIRE(w.size() == 8);
            CAPTURE(w);
            CHECK(Userid::from_wire(w.data()).error() == errc::bad_userid);
        }
        CHECK_FALSE(Userid::from_wire(nullptr));
    }

    TEST_CASE("userids compare, order and hash by their characters") {
        auto a = Userid::parse("ALPHA").value();
        auto b = Userid::parse("BETA").value();
        CHECK(a < b);
        CHECK(a != b);
        CHECK(a == Userid::parse("alpha").value());
        std::unordered_set<Userid> set{a, b, Userid::parse("alpha").value()};
        CHECK(set.size() == 2);
    }

} // TEST_SUITE
