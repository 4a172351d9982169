// SPDX-License-Identifier: MIT
// The disk stages through PIPE: < and diskr read a file (mode * searches
// the disks), > and diskw replace one, >> and diskwa append; their errors
// (146 no file, 119 mode not accessed or R/O, 113 missing operands); lines
// across the reader's block boundaries; CRLF lines; writers pass records on.
#include <doctest/doctest.h>

#include "cms_pipe_support.hpp"

using namespace cms_test;

TEST_SUITE("guest.cms_pipe_disk") {

    TEST_CASE("< reads a file's lines; fm defaults to * and diskr is the same") {
        Machine m;
        put(m.b / "notes.text", "first\nsecond\nlast without newline");
        CHECK(out(m, "PIPE < NOTES TEXT | console") ==
              Lines{"first", "second", "last without newline"});
        CHECK(out(m, "PIPE < notes text b | console") ==
              Lines{"first", "second", "last without newline"});
        CHECK(out(m, "PIPE diskr NOTES TEXT * | count lines | console") == Lines{"3"});
        put(m.a / "crlf.text", "one\r\ntwo\r\n");
        CHECK(out(m, "PIPE < CRLF TEXT A | console") == Lines{"one", "two"});
        put(m.a / "empty.text", "");
        CHECK(out(m, "PIPE < EMPTY TEXT A | count lines | console") == Lines{"0"});
    }

    TEST_CASE("< of a missing file is 146; of a disk not accessed 119") {
        Machine m;
        auto r = pipe(m, "PIPE < NOPE TEXT A | console");
        CHECK(r.rc == 146);
        CHECK(r.lines == Lines{"FPLDSR146E File \"NOPE TEXT A\" does not exist",
                               "FPLSCA003I ... Issued from stage 1 of pipeline 1",
                               "FPLSCA001I ... Running \"< NOPE TEXT A\""});
        r = pipe(m, "PIPE < TEST FILE J | console");
        CHECK(r.rc == 119);
        CHECK(r.lines[0] == "FPLDSR119E Mode J not available or read only");
        CHECK(pipe(m, "PIPE < ONLYFN | console").rc == 113);
        CHECK(pipe(m, "PIPE < * TEXT A | console").rc == 111);
        CHECK(pipe(m, "PIPE < A B C D | console").rc == 112);
    }

    TEST_CASE("lines that cross the reader's 1 MiB blocks arrive whole") {
        Machine m;
        std::string content;
        std::size_t lines = 0;
        for (int i = 0; content.size() < 3u * 1024 * 1024; ++i, ++lines) {
            content +=
                std::string(static_cast<std::size_t>(i % 997), 'x') + std::to_string(i) + "\n";
        }
        content += std::string(2u * 1024 * 1024, 'L') + "\n"; // longer than a block
        ++lines;
        put(m.a / "big.data", content);
        CHECK(out(m, "PIPE < BIG DATA A | count lines chars | console") ==
              Lines{std::to_string(lines) + " " + std::to_string(content.size() - lines)});
        CHECK(out(m, "PIPE < BIG DATA A | > COPY DATA A") == Lines{});
        CHECK(get(m.a / "copy.data") == content);
    }

    TEST_CASE("> replaces the file and passes the records on; >> appends") {
        Machine m;
        put(m.a / "out.file", "old\n");
        CHECK(out(m, "PIPE literal b | literal a | > OUT FILE A | console") == Lines{"a", "b"});
        CHECK(get(m.a / "out.file") == "a\nb\n");
        CHECK(out(m, "PIPE literal c | >> OUT FILE A") == Lines{});
        CHECK(get(m.a / "out.file") == "a\nb\nc\n");
        CHECK(out(m, "PIPE literal d | diskwa OUT FILE A | diskw NEW FILE A F 80") == Lines{});
        CHECK(get(m.a / "out.file") == "a\nb\nc\nd\n");
        CHECK(get(m.a / "new.file") == "d\n");
        CHECK(out(m, "PIPE literal x | >> FRESH FILE A") == Lines{});
        CHECK(get(m.a / "fresh.file") == "x\n");
        CHECK(out(m, "TYPE OUT FILE A") == Lines{"a", "b", "c", "d"});
    }

    TEST_CASE("> refuses a R/O or missing disk (119), a missing fm (113), being first (127)") {
        Machine m;
        auto r = pipe(m, "PIPE literal x | > OUT FILE B");
        CHECK(r.rc == 119);
        CHECK(r.lines[0] == "FPLDSW119E Mode B not available or read only");
        CHECK(!std::filesystem::exists(m.b / "out.file"));
        CHECK(pipe(m, "PIPE literal x | > OUT FILE Q").rc == 119);
        CHECK(pipe(m, "PIPE literal x | > OUT FILE").rc == 113);
        CHECK(pipe(m, "PIPE literal x | > OUT FILE A X").rc == 111);
        CHECK(pipe(m, "PIPE > OUT FILE A").rc == 127);
    }

    TEST_CASE("a pipeline that fails to start leaves the old file and no temporary") {
        Machine m;
        put(m.a / "keep.file", "kept\n");
        CHECK(pipe(m, "PIPE < NOPE FILE A | > KEEP FILE A").rc == 146);
        CHECK(get(m.a / "keep.file") == "kept\n");
        std::size_t files = 0;
        for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(m.a)) {
            ++files;
        }
        CHECK(files == 1);
    }

} // TEST_SUITE

TEST_SUITE("guest.cms_pipe_disk") {

    TEST_CASE("console output pauses every 1024 lines so memory stays bounded") {
        Machine m;
        std::string content;
        for (int i = 0; i < 300000; ++i) {
            content += std::to_string(i) + "\n";
        }
        put(m.a / "many.data", content);
        auto r = m.run("PIPE < MANY DATA A | console");
        std::size_t shown = r.lines.size();
        std::size_t pauses = 0;
        std::size_t largest = shown;
        while (r.running && r.running->is_ready()) {
            ++pauses;
            r = r.running->resume();
            shown += r.lines.size();
            largest = std::max(largest, r.lines.size());
        }
        CHECK(r.running == nullptr);
        CHECK(r.rc == 0);
        CHECK(shown == 300000);
        CHECK(pauses > 100);
        CHECK(largest < 300000 / 2); // at most one read block's lines at a time
        CHECK(r.lines.back() == "299999");
    }

} // TEST_SUITE
