// SPDX-License-Identifier: MIT
// safe_line / safe_lines: what the tools print from guests, senders and cpd
// can never drive the operator's terminal (escape sequences, C1 controls, raw
// 0x9B on 8-bit terminals), while TAB and valid UTF-8 pass unchanged.
#include "safe_text.hpp"

#include <doctest/doctest.h>

#include <string>

using cpd::cli::safe_line;
using cpd::cli::safe_lines;
using namespace std::string_literals;

TEST_SUITE("cli.safe_text") {

    TEST_CASE("plain text, TAB and valid UTF-8 pass unchanged") {
        CHECK(safe_line("") == "");
        CHECK(safe_line("ECHO: hello, world ~!") == "ECHO: hello, world ~!");
        CHECK(safe_line("col1\tcol2") == "col1\tcol2");
        CHECK(safe_line("café naïve Größe") == "café naïve Größe");
        CHECK(safe_line("日本語 한국어 中文") == "日本語 한국어 中文");
        CHECK(safe_line("emoji \xF0\x9F\x98\x80 end") == "emoji \xF0\x9F\x98\x80 end");
        CHECK(safe_line("U+00A0 \xC2\xA0 is no C1 control") == "U+00A0 \xC2\xA0 is no C1 control");
        CHECK(safe_line("a\\x1b stays as typed") == "a\\x1b stays as typed");
    }

    TEST_CASE("escape sequences cannot reach the terminal") {
        SUBCASE("clear screen and cursor move") {
            CHECK(safe_line("\x1b[2J\x1b[H") == "\\x1b[2J\\x1b[H");
        }
        SUBCASE("window title") {
            CHECK(safe_line("\x1b]0;evil\x07") == "\\x1b]0;evil\\x07");
        }
        SUBCASE("clipboard write (OSC 52)") {
            CHECK(safe_line("\x1b]52;c;ZXZpbA==\x07") == "\\x1b]52;c;ZXZpbA==\\x07");
        }
    }

    TEST_CASE("C0 controls other than TAB, and DEL, are shown as \\xHH") {
        CHECK(safe_line("ding\a") == "ding\\x07");
        CHECK(safe_line("over\rwrite") == "over\\x0dwrite");
        CHECK(safe_line("back\bspace") == "back\\x08space");
        CHECK(safe_line("nul"s + '\0' + "byte") == "nul\\x00byte");
        CHECK(safe_line("del\x7f") == "del\\x7f");
        CHECK(safe_line("\x01\x1f") == "\\x01\\x1f");
    }

    TEST_CASE("a newline is escaped in one line and kept in many") {
        CHECK(safe_line("one\ntwo") == "one\\x0atwo");
        CHECK(safe_lines("one\ntwo\n") == "one\ntwo\n");
        CHECK(safe_lines("ok\n\x1b[2Jbad\r\n") == "ok\n\\x1b[2Jbad\\x0d\n");
    }

    TEST_CASE("C1 controls are shown byte by byte") {
        SUBCASE("CSI as UTF-8 U+009B") {
            CHECK(safe_line("\xC2\x9B"
                            "2J") == "\\xc2\\x9b2J");
        }
        SUBCASE("the first and last C1, U+0080 and U+009F") {
            CHECK(safe_line("\xC2\x80\xC2\x9F") == "\\xc2\\x80\\xc2\\x9f");
        }
        SUBCASE("raw CSI byte 0x9B, as 8-bit terminals read it") {
            CHECK(safe_line("\x9B"
                            "2J") == "\\x9b2J");
        }
    }

    TEST_CASE("bytes that are not valid UTF-8 are shown as \\xHH") {
        SUBCASE("Latin-1 text") {
            CHECK(safe_line("caf\xE9") == "caf\\xe9");
        }
        SUBCASE("a lone continuation byte") {
            CHECK(safe_line("a\x80z") == "a\\x80z");
        }
        SUBCASE("a sequence cut short, at the end and before ASCII") {
            CHECK(safe_line("\xE6\x97") == "\\xe6\\x97");
            CHECK(safe_line("\xE6\x97x") == "\\xe6\\x97x");
        }
        SUBCASE("overlong forms, including an overlong ESC") {
            CHECK(safe_line("\xC0\x9B") == "\\xc0\\x9b");
            CHECK(safe_line("\xC1\xBF") == "\\xc1\\xbf");
            CHECK(safe_line("\xE0\x80\x9B") == "\\xe0\\x80\\x9b");
            CHECK(safe_line("\xF0\x80\x80\x9B") == "\\xf0\\x80\\x80\\x9b");
        }
        SUBCASE("UTF-16 surrogates and code points past U+10FFFF") {
            CHECK(safe_line("\xED\xA0\x80") == "\\xed\\xa0\\x80");
            CHECK(safe_line("\xF4\x90\x80\x80") == "\\xf4\\x90\\x80\\x80");
            CHECK(safe_line("\xFF\xFE") == "\\xff\\xfe");
        }
        SUBCASE("the last valid code point passes") {
            CHECK(safe_line("\xF4\x8F\xBF\xBF") == "\xF4\x8F\xBF\xBF");
        }
    }
}
