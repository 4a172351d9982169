// SPDX-License-Identifier: MIT
// The record-changing stages through PIPE: change, count, sort, unique,
// specs, strip, xlate, split, join, chop, reverse, duplicate, hole and
// buffer, each with its operands and its errors.
#include <doctest/doctest.h>

#include "cms_pipe_support.hpp"

using namespace cms_test;

namespace {

void data(Machine& m, const std::string& content) {
    put(m.a / "data.file", content);
}

} // namespace

TEST_SUITE("guest.cms_pipe_reformat") {

    TEST_CASE("change replaces in the range, up to max; unchanged records pass") {
        Machine m;
        data(m, "aaa\nbab\nccc\n");
        CHECK(out(m, "PIPE < DATA FILE | change /a/x/ | console") == Lines{"xxx", "bxb", "ccc"});
        CHECK(out(m, "PIPE < DATA FILE | change /a/xy/ 1 | console") ==
              Lines{"xyaa", "bxyb", "ccc"});
        CHECK(out(m, "PIPE < DATA FILE | change 2-3 /a/-/ | console") ==
              Lines{"a--", "b-b", "ccc"});
        CHECK(out(m, "PIPE < DATA FILE | change /a// | console") == Lines{"", "bb", "ccc"});
        CHECK(out(m, "PIPE < DATA FILE | change //>/ | console") == Lines{">aaa", ">bab", ">ccc"});
        CHECK(out(m, "PIPE < DATA FILE | change anycase /A/z/ | console") ==
              Lines{"zzz", "bzb", "ccc"});
        CHECK(pipe(m, "PIPE literal x | change /a/b | console").rc == 60);
        CHECK(pipe(m, "PIPE literal x | change /a/b/ q | console").rc == 58);
        CHECK(pipe(m, "PIPE literal x | change | console").rc == 113);
    }

    TEST_CASE("count CHARS, WORDS, LINES, MINLINE, MAXLINE in the order asked") {
        Machine m;
        data(m, "one two\n\nthree  four five\n");
        CHECK(out(m, "PIPE < DATA FILE | count | console") == Lines{"3"});
        CHECK(out(m, "PIPE < DATA FILE | count words lines chars | console") == Lines{"5 3 23"});
        CHECK(out(m, "PIPE < DATA FILE | count minline maxline | console") == Lines{"0 16"});
        CHECK(out(m, "PIPE literal | hole | count lines bytes | console") == Lines{"0 0"});
        const auto r = pipe(m, "PIPE literal x | count bogus | console");
        CHECK(r.rc == 111);
        CHECK(r.lines[0] == "FPLCNT111E Operand bogus is not valid");
    }

    TEST_CASE("sort: ascending, descending, ranges, ANYCASE, UNIQUE, COUNT, PAD") {
        Machine m;
        data(m, "pear 3\napple 1\nPeach 2\napple 1\n");
        CHECK(out(m, "PIPE < DATA FILE | sort | console") ==
              Lines{"Peach 2", "apple 1", "apple 1", "pear 3"});
        CHECK(out(m, "PIPE < DATA FILE | sort descending | console") ==
              Lines{"pear 3", "apple 1", "apple 1", "Peach 2"});
        CHECK(out(m, "PIPE < DATA FILE | sort 1-* d | console") ==
              Lines{"pear 3", "apple 1", "apple 1", "Peach 2"});
        CHECK(out(m, "PIPE < DATA FILE | sort w2 | console") ==
              Lines{"apple 1", "apple 1", "Peach 2", "pear 3"});
        CHECK(out(m, "PIPE < DATA FILE | sort anycase | console") ==
              Lines{"apple 1", "apple 1", "Peach 2", "pear 3"});
        CHECK(out(m, "PIPE < DATA FILE | sort unique | console") ==
              Lines{"Peach 2", "apple 1", "pear 3"});
        CHECK(out(m, "PIPE < DATA FILE | sort count | console") ==
              Lines{"         1Peach 2", "         2apple 1", "         1pear 3"});
        CHECK(out(m, "PIPE literal x | sort | console") == Lines{"x"});
        CHECK(pipe(m, "PIPE literal x | sort bogus | console").rc == 111);
        CHECK(pipe(m, "PIPE literal x | sort 3-1 | console").rc == 54);
    }

    TEST_CASE("sort orders long records that share an 8-byte prefix") {
        Machine m;
        data(m, "abcdefghZ\nabcdefgh\nabcdefghA\nabcdefg\n");
        CHECK(out(m, "PIPE < DATA FILE | sort | console") ==
              Lines{"abcdefg", "abcdefgh", "abcdefghA", "abcdefghZ"});
    }

    TEST_CASE("unique keeps one record per run; FIRST, LAST, SINGLE, MULTIPLE, COUNT") {
        Machine m;
        data(m, "a 1\na 2\nb 3\nc 4\nc 5\n");
        CHECK(out(m, "PIPE < DATA FILE | unique | console") ==
              Lines{"a 1", "a 2", "b 3", "c 4", "c 5"});
        CHECK(out(m, "PIPE < DATA FILE | unique w1 | console") == Lines{"a 2", "b 3", "c 5"});
        CHECK(out(m, "PIPE < DATA FILE | unique w1 first | console") == Lines{"a 1", "b 3", "c 4"});
        CHECK(out(m, "PIPE < DATA FILE | unique w1 single | console") == Lines{"b 3"});
        CHECK(out(m, "PIPE < DATA FILE | unique w1 multiple | console") == Lines{"a 1", "c 4"});
        CHECK(out(m, "PIPE < DATA FILE | unique 1 count | console") ==
              Lines{"         2a 1", "         1b 3", "         2c 4"});
        CHECK(pipe(m, "PIPE literal x | unique bogus | console").rc == 111);
    }

    TEST_CASE("specs: ranges, words, fields, literals, NEXT, NEXTWORD, columns, alignment") {
        Machine m;
        data(m, "alpha beta gamma\n");
        CHECK(out(m, "PIPE < DATA FILE | specs w2 1 w1 nextword | console") == Lines{"beta alpha"});
        CHECK(out(m, "PIPE < DATA FILE | specs w3 1 /:/ n w1 n | console") == Lines{"gamma:alpha"});
        CHECK(out(m, "PIPE < DATA FILE | specs 1-5 5 | console") == Lines{"    alpha"});
        CHECK(out(m, "PIPE < DATA FILE | specs w2 1.8 right /]/ next | console") ==
              Lines{"    beta]"});
        CHECK(out(m, "PIPE < DATA FILE | specs w2 1.8 center /]/ n | console") ==
              Lines{"  beta  ]"});
        CHECK(out(m, "PIPE < DATA FILE | specs number 1 w1 nw | console") ==
              Lines{"         1 alpha"});
        CHECK(out(m, "PIPE < DATA FILE | specs 1-* 1 /!/ 3 | console") ==
              Lines{"al!ha beta gamma"});
        CHECK(out(m, "PIPE < DATA FILE | specs words 2-3 1 | console") == Lines{"beta gamma"});
        data(m, "a,b,c\n");
        CHECK(out(m, "PIPE < DATA FILE | specs fs , f3 1 f1 nw | console") == Lines{"c a"});
        CHECK(out(m, "PIPE < DATA FILE | specs ws , w2 1 | console") == Lines{"b"});
    }

    TEST_CASE("specs refuses a missing output (61), a bad placement (111), nothing (11)") {
        Machine m;
        auto r = pipe(m, "PIPE literal x | specs 1-* | console");
        CHECK(r.rc == 61);
        CHECK(r.lines[0] == "FPLSPE061E Output specification missing");
        CHECK(pipe(m, "PIPE literal x | specs 1-* 0 | console").rc == 111);
        CHECK(pipe(m, "PIPE literal x | specs | console").rc == 11);
        CHECK(pipe(m, "PIPE literal x | specs /abc 1 | console").rc == 60);
    }

    TEST_CASE("strip, xlate, chop, reverse") {
        Machine m;
        data(m, "  Hello World  \n");
        CHECK(out(m, "PIPE < DATA FILE | strip | specs /[/ 1 1-* n /]/ n | console") ==
              Lines{"[Hello World]"});
        CHECK(out(m, "PIPE < DATA FILE | strip leading | specs 1-* 1 /]/ n | console") ==
              Lines{"Hello World  ]"});
        CHECK(out(m, "PIPE < DATA FILE | strip trailing | specs 1-* 1 /]/ n | console") ==
              Lines{"  Hello World]"});
        CHECK(out(m, "PIPE literal xxabcxx | strip anyof /x/ | console") == Lines{"abc"});
        CHECK(out(m, "PIPE literal --abc-- | strip - | console") == Lines{"abc"});
        CHECK(out(m, "PIPE literal Hello | xlate | console") == Lines{"HELLO"});
        CHECK(out(m, "PIPE literal Hello | xlate upper | console") == Lines{"HELLO"});
        CHECK(out(m, "PIPE literal HeLLo | xlate lower | console") == Lines{"hello"});
        CHECK(out(m, "PIPE literal hello | xlate 1-2 | console") == Lines{"HEllo"});
        CHECK(out(m, "PIPE literal a-b | xlate - + | console") == Lines{"A+B"});
        CHECK(pipe(m, "PIPE literal x | xlate abc d | console").rc == 111);
        CHECK(out(m, "PIPE literal abcdef | chop 3 | console") == Lines{"abc"});
        CHECK(out(m, "PIPE literal abc | chop 0 | console") == Lines{""});
        CHECK(pipe(m, "PIPE literal x | chop q | console").rc == 58);
        CHECK(out(m, "PIPE literal abc | reverse | console") == Lines{"cba"});
        CHECK(pipe(m, "PIPE literal x | reverse 2 | console").rc == 112);
    }

    TEST_CASE("split at blanks, at a character, before and after a string") {
        Machine m;
        CHECK(out(m, "PIPE literal  a  bb c | split | console") == Lines{"a", "bb", "c"});
        CHECK(out(m, "PIPE literal a,b,,c | split , | console") == Lines{"a", "b", "", "c"});
        CHECK(out(m, "PIPE literal a=1;b=2 | split at anyof /=;/ | console") ==
              Lines{"a", "1", "b", "2"});
        CHECK(out(m, "PIPE literal xxABxxABxx | split before string /AB/ | console") ==
              Lines{"xx", "ABxx", "ABxx"});
        CHECK(out(m, "PIPE literal xxABxxABxx | split after string /AB/ | console") ==
              Lines{"xxAB", "xxAB", "xx"});
        CHECK(pipe(m, "PIPE literal x | split string | console").rc == 113);
    }

    TEST_CASE("join pairs, n+1 records, all, with a separator") {
        Machine m;
        data(m, "1\n2\n3\n4\n5\n");
        CHECK(out(m, "PIPE < DATA FILE | join | console") == Lines{"12", "34", "5"});
        CHECK(out(m, "PIPE < DATA FILE | join 2 /,/ | console") == Lines{"1,2,3", "4,5"});
        CHECK(out(m, "PIPE < DATA FILE | join * / / | console") == Lines{"1 2 3 4 5"});
        CHECK(pipe(m, "PIPE literal x | join /x | console").rc == 60);
    }

    TEST_CASE("duplicate, hole, buffer") {
        Machine m;
        CHECK(out(m, "PIPE literal a | duplicate | console") == Lines{"a", "a"});
        CHECK(out(m, "PIPE literal a | duplicate 2 | console") == Lines{"a", "a", "a"});
        CHECK(out(m, "PIPE literal a | duplicate 0 | console") == Lines{"a"});
        CHECK(pipe(m, "PIPE literal a | duplicate x | console").rc == 58);
        CHECK(out(m, "PIPE literal a | hole | console").empty());
        CHECK(pipe(m, "PIPE literal a | hole x | console").rc == 112);
        CHECK(out(m, "PIPE literal b | literal a | buffer | console") == Lines{"a", "b"});
        CHECK(out(m, "PIPE literal a | buffer 2 | console") == Lines{"a", "a"});
    }

    TEST_CASE("literal not first writes its record before its input") {
        Machine m;
        CHECK(out(m, "PIPE literal two | literal one | console") == Lines{"one", "two"});
        CHECK(out(m, "PIPE literal | console") == Lines{""});
    }

} // TEST_SUITE
