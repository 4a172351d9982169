// SPDX-License-Identifier: MIT
// Multi-stream pipelines: labels with the end character connect a stage's
// secondary streams; fanout copies to every output, faninany merges; the
// selection stages write rejected records to their secondary output; count
// with a secondary output passes its input on.
#include <doctest/doctest.h>

#include "cms_pipe_support.hpp"

using namespace cms_test;

TEST_SUITE("guest.cms_pipe_multistream") {

    TEST_CASE("locate's secondary output carries the rejected records") {
        Machine m;
        put(m.a / "data.file", "apple\nbanana\ncherry\n");
        CHECK(out(m, "PIPE (end ?) < DATA FILE A | l: locate /an/ | specs /yes / 1 1-* n | console"
                     " ? l: | specs /no  / 1 1-* n | console") ==
              Lines{"no  apple", "yes banana", "no  cherry"});
    }

    TEST_CASE("fanout copies each record to every output; faninany merges them") {
        Machine m;
        CHECK(out(m, "PIPE (end ?) literal x | f: fanout | console ? f: | reverse | console") ==
              Lines{"x", "x"});
        CHECK(out(m, "PIPE (end ?) literal ab | f: fanout | j: faninany | console"
                     " ? f: | reverse | j:") == Lines{"ab", "ba"});
    }

    TEST_CASE("take FIRST writes the rest to its secondary output when connected") {
        Machine m;
        put(m.a / "data.file", "1\n2\n3\n");
        CHECK(
            out(m,
                "PIPE (end ?) < DATA FILE A | t: take 1 | console ? t: | count lines | console") ==
            Lines{"1", "2"});
    }

    TEST_CASE("count with a secondary output passes the records and counts there") {
        Machine m;
        CHECK(out(m, "PIPE (end ?) literal b | literal a | c: count lines | console"
                     " ? c: | specs /n=/ 1 1-* n | console") == Lines{"a", "b", "n=2"});
    }

    TEST_CASE("change writes unchanged records to its secondary output when connected") {
        Machine m;
        put(m.a / "data.file", "a1\nb2\n");
        CHECK(out(m, "PIPE (end ?) < DATA FILE A | c: change /a/A/ | console ? c: | hole") ==
              Lines{"A1"});
    }

    TEST_CASE("a stage with several outputs keeps running while any is consumed") {
        Machine m;
        put(m.a / "data.file", "1\n2\n3\n4\n");
        CHECK(out(m, "PIPE (end ?) < DATA FILE A | f: fanout | take 1 | console"
                     " ? f: | count lines | console") == Lines{"1", "4"});
    }

} // TEST_SUITE
