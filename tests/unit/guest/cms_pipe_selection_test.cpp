// SPDX-License-Identifier: MIT
// The selection stages through PIPE: locate and nlocate (strings, ranges,
// ANYCASE, no string), find and nfind (XEDIT rules), take and drop (FIRST,
// LAST, *), and each one's operand errors.
#include <doctest/doctest.h>

#include "cms_pipe_support.hpp"

using namespace cms_test;

namespace {

// Writes the lines as DATA FILE A on m's A-disk.
void data(Machine& m, const std::string& content) {
    put(m.a / "data.file", content);
}

} // namespace

TEST_SUITE("guest.cms_pipe_selection") {

    TEST_CASE("locate selects records containing the string; nlocate the others") {
        Machine m;
        data(m, "apple\nbanana\ncherry\nApple pie\n");
        CHECK(out(m, "PIPE < DATA FILE | locate /an/ | console") == Lines{"banana"});
        CHECK(out(m, "PIPE < DATA FILE | nlocate /an/ | console") ==
              Lines{"apple", "cherry", "Apple pie"});
        CHECK(out(m, "PIPE < DATA FILE | locate ,e p, | console") == Lines{"Apple pie"});
        CHECK(out(m, "PIPE < DATA FILE | locate /zzz/ | console").empty());
    }

    TEST_CASE("locate ANYCASE ignores case") {
        Machine m;
        data(m, "apple\nAPPLE\nbanana\n");
        CHECK(out(m, "PIPE < DATA FILE | locate anycase /Apple/ | console") ==
              Lines{"apple", "APPLE"});
        CHECK(out(m, "PIPE < DATA FILE | nlocate any /APPLE/ | console") == Lines{"banana"});
    }

    TEST_CASE("locate in a column, word or field range") {
        Machine m;
        data(m, "ab cd ef\ncd ab ef\nxx yy ab\n");
        CHECK(out(m, "PIPE < DATA FILE | locate 1-2 /ab/ | console") == Lines{"ab cd ef"});
        CHECK(out(m, "PIPE < DATA FILE | locate 4.2 /ab/ | console") == Lines{"cd ab ef"});
        CHECK(out(m, "PIPE < DATA FILE | locate w3 /ab/ | console") == Lines{"xx yy ab"});
        CHECK(out(m, "PIPE < DATA FILE | locate words 2-3 /ab/ | console") ==
              Lines{"cd ab ef", "xx yy ab"});
        CHECK(out(m, "PIPE < DATA FILE | locate 7-* /ab/ | console") == Lines{"xx yy ab"});
        data(m, "a\tb\tc\nb\ta\tc\n");
        CHECK(out(m, "PIPE < DATA FILE | locate f2 /a/ | console") == Lines{"b\ta\tc"});
    }

    TEST_CASE("locate with no string selects records that reach the range") {
        Machine m;
        data(m, "\nshort\na longer line\n");
        CHECK(out(m, "PIPE < DATA FILE | locate | console") == Lines{"short", "a longer line"});
        CHECK(out(m, "PIPE < DATA FILE | locate 7 | console") == Lines{"a longer line"});
        CHECK(out(m, "PIPE < DATA FILE | nlocate 7 | count lines | console") == Lines{"2"});
    }

    TEST_CASE("locate refuses a missing delimiter (60), a bad range (54), extra operands (112)") {
        Machine m;
        auto r = pipe(m, "PIPE literal x | locate /abc | console");
        CHECK(r.rc == 60);
        CHECK(r.lines[0] == "FPLLOC060E Delimiter missing after string \"/abc\"");
        r = pipe(m, "PIPE literal x | locate 5-2 /a/ | console");
        CHECK(r.rc == 54);
        CHECK(r.lines[0] == "FPLLOC054E Range \"5-2\" not valid");
        r = pipe(m, "PIPE literal x | locate /a/ extra | console");
        CHECK(r.rc == 112);
        CHECK(r.lines[0] == "FPLLOC112E Excessive options \"extra\"");
        CHECK(pipe(m, "PIPE literal x | locate w0 /a/ | console").rc == 54);
    }

    TEST_CASE("find selects records beginning with the text: blank any, underscore blank") {
        Machine m;
        data(m, "abc\nabd\nxbc\na c\n");
        CHECK(out(m, "PIPE < DATA FILE | find ab| console") == Lines{"abc", "abd"});
        CHECK(out(m, "PIPE < DATA FILE | find a c| console") == Lines{"abc", "a c"});
        CHECK(out(m, "PIPE < DATA FILE | find a_c| console") == Lines{"a c"});
        CHECK(out(m, "PIPE < DATA FILE | nfind ab| console") == Lines{"xbc", "a c"});
        CHECK(pipe(m, "PIPE find x | console").rc == 127);
    }

    TEST_CASE("take and drop FIRST and LAST n, and *") {
        Machine m;
        data(m, "1\n2\n3\n4\n5\n");
        CHECK(out(m, "PIPE < DATA FILE | take | console") == Lines{"1"});
        CHECK(out(m, "PIPE < DATA FILE | take 2 | console") == Lines{"1", "2"});
        CHECK(out(m, "PIPE < DATA FILE | take first 2 | console") == Lines{"1", "2"});
        CHECK(out(m, "PIPE < DATA FILE | take last 2 | console") == Lines{"4", "5"});
        CHECK(out(m, "PIPE < DATA FILE | take * | count lines | console") == Lines{"5"});
        CHECK(out(m, "PIPE < DATA FILE | take 0 | console").empty());
        CHECK(out(m, "PIPE < DATA FILE | drop | console") == Lines{"2", "3", "4", "5"});
        CHECK(out(m, "PIPE < DATA FILE | drop 3 | console") == Lines{"4", "5"});
        CHECK(out(m, "PIPE < DATA FILE | drop last 2 | console") == Lines{"1", "2", "3"});
        CHECK(out(m, "PIPE < DATA FILE | drop last 9 | console").empty());
        CHECK(out(m, "PIPE < DATA FILE | take last 9 | console") == Lines{"1", "2", "3", "4", "5"});
    }

    TEST_CASE("take and drop refuse a bad count") {
        Machine m;
        auto r = pipe(m, "PIPE literal x | take first x | console");
        CHECK(r.rc == 58);
        r = pipe(m, "PIPE literal x | drop 2 3 | console");
        CHECK(r.rc == 112);
        CHECK(r.lines[0] == "FPLDRP112E Excessive options \"3\"");
    }

    TEST_CASE("take 2 of a large file writes two records and ends") {
        Machine m;
        std::string big;
        for (int i = 0; i < 200000; ++i) {
            big += "line " + std::to_string(i) + "\n";
        }
        data(m, big);
        CHECK(out(m, "PIPE < DATA FILE | take 2 | console") == Lines{"line 0", "line 1"});
    }

} // TEST_SUITE
