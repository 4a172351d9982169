// SPDX-License-Identifier: MIT
// REXX EXECs through CommandProcessor::execute with no CommandHost: the
// output is collected in the result. The rc rules, nesting, the program
// stack and its buffer commands, GLOBALV GET/PUT into REXX variables and
// EXECIO on the minidisks, on the real Regina.
#include "cms_test_support.hpp"

#include <doctest/doctest.h>

using namespace cms_test;

namespace {

void exec_file(Machine& m, const char* fn, const std::string& body) {
    put(m.a / (std::string(fn) + ".exec"), "/* " + std::string(fn) + " */\n" + body);
}

} // namespace

TEST_SUITE("guest.cms.rexx") {

    TEST_CASE("the rc of an EXEC: exit n, a normal end, a non-numeric result, a REXX error") {
        Machine m;
        exec_file(m, "five", "exit 5\n");
        exec_file(m, "plain", "say 'done'\n");
        exec_file(m, "word", "exit 'abc'\n");
        exec_file(m, "div", "x = 0\nsay 1 / x\n");
        CHECK(m.run("FIVE").rc == 5);
        auto plain = m.run("EXEC PLAIN");
        CHECK(plain.rc == 0);
        CHECK(text(plain) == "done\n");
        auto word = m.run("WORD");
        CHECK(word.rc == 20026);
        CHECK(has(text(word), "DMSREX466E Error 26 running WORD EXEC"));
        auto div = m.run("DIV");
        CHECK(div.rc == 20042);
        CHECK(has(text(div), "     3 +++ say 1 / x\n"));
        CHECK(has(text(div), "DMSREX482E Error 42 running DIV EXEC, line 3: "));
        CHECK_FALSE(has(text(div), "Error 42.")); // no sub-codes, as REXX/VM
    }

    TEST_CASE("EXECs nest as commands and as functions, and recursion is bounded") {
        Machine m;
        exec_file(m, "inner", "parse arg a\nsay 'inner' a\nreturn 7\n");
        exec_file(m, "outer", "'INNER x y'\nsay 'rc' rc\nsay 'fn' inner('z')\n");
        CHECK(text(m.run("OUTER")) == "inner x y\nrc 7\ninner z\nfn 7\n");
        exec_file(m, "deep", "'DEEP'\nexit rc\n");
        CHECK(m.run("DEEP").rc == 20011);
    }

    TEST_CASE("ADDRESS COMMAND runs commands only; an unknown word is -3") {
        Machine m;
        exec_file(m, "hello", "exit 3\n");
        exec_file(m, "addr",
                  "'HELLO'; a = rc\naddress command 'HELLO'; b = rc\n"
                  "address command 'STATE NOPE X A'; c = rc\nsay a b c\n");
        auto r = m.run("ADDR");
        CHECK(has(text(r), "3 -3 28\n"));
    }

    TEST_CASE("ADDRESS SYSTEM, PATH and Regina's other environments are unknown: rc -3") {
        Machine m;
        const std::string marker = (m.dir.path() / "ran").string();
        exec_file(m, "shell",
                  "address system 'touch " + marker + "'; a = rc\n"
                  "address path 'touch " + marker + "'; b = rc\n"
                  "address cmd 'touch " + marker + "'; c = rc\n"
                  "address regina 'touch'; d = rc\n"
                  "address 'SYSTEM'; 'touch " + marker + "'; e = rc\n"
                  "say a b c d e\n");
        for (int run = 0; run < 2; ++run) { // closed for good, not only in the first program
            auto r = m.run("SHELL");
            CHECK(has(text(r), "-3 -3 -3 -3 -3\n"));
            CHECK_FALSE(std::filesystem::exists(marker));
        }
    }

    TEST_CASE("the stack is shared by EXECs and the buffer commands, with their rcs") {
        Machine m;
        m.run("DESBUF"); // Regina's stack is the thread's: start from an empty one
        exec_file(m, "fill", "push 'top'; 'MAKEBUF'; queue 'in buffer'\n");
        CHECK(m.run("FILL").rc == 0);
        CHECK(m.run("SENTRIES").rc == 2);
        CHECK(m.run("MAKEBUF").rc == 2);
        CHECK(m.run("DROPBUF 1").rc == 0);
        CHECK(m.run("SENTRIES").rc == 1);
        CHECK(m.cms.take_stacked_line() == std::optional<std::string>("top"));
        CHECK_FALSE(m.cms.take_stacked_line().has_value());
        CHECK(m.run("DROPBUF X").rc == 24);
        m.run("MAKEBUF");
        exec_file(m, "more", "queue 'a'; queue 'b'\n");
        m.run("MORE");
        CHECK(m.run("DESBUF").rc == 0);
        CHECK(m.run("SENTRIES").rc == 0);
    }

    TEST_CASE("GLOBALV GET and PUT move values between GLOBALV and the EXEC's variables") {
        Machine m;
        m.run("GLOBALV SELECT APP SET COLOR blue");
        exec_file(m, "gv",
                  "'GLOBALV SELECT APP GET COLOR NONE'\nsay color '['none']'\n"
                  "size = 'large'; 'GLOBALV SELECT APP PUT SIZE'\n");
        CHECK(text(m.run("GV")) == "blue []\n");
        CHECK(text(m.run("GLOBALV SELECT APP LIST")) == "COLOR = blue\nSIZE = large\n");
        CHECK(m.run("GLOBALV PUT X").rc == 24); // only from an EXEC
    }

    TEST_CASE("EXECIO writes and reads a file, and says end of file and missing file") {
        Machine m;
        exec_file(m, "eio",
                  "l.1 = 'one'; l.2 = 'two'\n'EXECIO 2 DISKW OUT DATA A (STEM L. FINIS'\n"
                  "'EXECIO 5 DISKR OUT DATA A (STEM R. FINIS'; say rc r.0 r.2\n"
                  "'EXECIO 1 DISKR NONE DATA A (VAR V'; say rc\n"
                  "'EXECIO 1 DISKW OUT DATA B (STRING x'; say rc\n");
        const std::string t = text(m.run("EIO"));
        CHECK(has(t, "2 2 two\n"));
        CHECK(has(t, "DMSEIO002E File NONE DATA A not found\n28\n"));
        CHECK(has(t, "\n112\n"));
        CHECK(get(m.a / "out.data") == "one\ntwo\n");
        CHECK(m.run("EXECIO 1 DISKR OUT DATA A").rc == 24); // only from an EXEC
    }
}
