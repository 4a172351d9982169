// SPDX-License-Identifier: MIT
// XEDIT as a CMS command through the CommandProcessor: opening new and
// existing files, the console mode while XEDIT holds the console, input mode,
// FILE and re-open, QUIT refused on a changed file, QQUIT, CMS commands typed
// inside XEDIT, operand errors, and the macro hook for PROFILE XEDIT and
// macros typed as subcommands.
#include "cms_test_support.hpp"

#include "xedit/macro_hook.hpp"

#include <doctest/doctest.h>

using namespace cms_test;
using cpd::proto::ConsoleMode;
using Lines = std::vector<std::string>;

namespace {

// Installs a macro runner for one test and removes it after.
struct RunnerGuard {
    explicit RunnerGuard(cpd::cms::xedit::MacroRunner r) {
        cpd::cms::xedit::macro_runner() = std::move(r);
    }
    ~RunnerGuard() { cpd::cms::xedit::macro_runner() = nullptr; }
    RunnerGuard(const RunnerGuard&) = delete;
    RunnerGuard& operator=(const RunnerGuard&) = delete;
};

} // namespace

TEST_SUITE("guest.cms_xedit_session") {
    TEST_CASE("XEDIT of a new file: input mode, FILE writes it and CMS has the console again") {
        Machine m;
        auto r = m.run("XEDIT NEW FILE A");
        CHECK(r.rc == 0);
        CHECK(r.lines == Lines{"DMSXIN561I New file"});
        CHECK(m.cms.console_mode() == ConsoleMode::xedit);
        r = m.run("INPUT");
        CHECK(r.lines == Lines{"DMSXIN573I Input mode:"});
        CHECK(m.cms.console_mode() == ConsoleMode::xedit_input);
        m.run("line one");
        m.run("LISTFILE is text here");
        r = m.run("");
        CHECK(m.cms.console_mode() == ConsoleMode::xedit);
        r = m.run("FILE");
        CHECK(r.rc == 0);
        CHECK(m.cms.console_mode() == ConsoleMode::command);
        CHECK(get(m.a / "new.file") == "line one\nLISTFILE is text here\n");
        r = m.run("STATE NEW FILE A");
        CHECK(r.rc == 0); // the next line is a CMS command again
    }

    TEST_CASE("re-opening a file shows its lines; QUIT is refused after a change, QQUIT is not") {
        Machine m;
        put(m.a / "notes.text", "first\nsecond\n");
        auto r = m.run("x notes text");
        CHECK(r.lines.empty()); // an existing file: no "New file"
        r = m.run("TYPE *");
        CHECK(r.lines == Lines{"TOF:", "first", "second", "EOF:"});
        r = m.run("-/first/");
        CHECK(r.lines == Lines{"first"});
        r = m.run("CHANGE /first/1st/");
        CHECK(r.lines == Lines{"DMSXCG517I 1 occurrence(s) changed on 1 line(s)", "1st"});
        r = m.run("QUIT");
        CHECK(r.rc == 12);
        CHECK(r.lines == Lines{"DMSXSU577E File has been changed; type QQUIT to quit anyway"});
        CHECK(m.cms.console_mode() == ConsoleMode::xedit);
        r = m.run("QQUIT");
        CHECK(r.rc == 0);
        CHECK(m.cms.console_mode() == ConsoleMode::command);
        CHECK(get(m.a / "notes.text") == "first\nsecond\n");
    }

    TEST_CASE("QUIT of an unchanged file ends XEDIT with QUIT's rc") {
        Machine m;
        put(m.a / "notes.text", "x\n");
        m.run("XEDIT NOTES TEXT");
        const auto r = m.run("QUIT 3");
        CHECK(r.rc == 3);
        CHECK(m.cms.console_mode() == ConsoleMode::command);
    }

    TEST_CASE(
        "without a filemode the file is found on any disk, R/O ones too; a new one goes to A") {
        Machine m;
        put(m.b / "readme.text", "read only\n");
        auto r = m.run("XEDIT README TEXT");
        CHECK(r.rc == 0);
        r = m.run("NEXT");
        CHECK(r.lines == Lines{"read only"});
        r = m.run("SAVE");
        CHECK(r.rc == 28);
        CHECK(r.lines == Lines{"DMSXSU037E Filemode B is accessed as read/only"});
        CHECK(m.cms.console_mode() == ConsoleMode::xedit);
        r = m.run("FILE README TEXT A"); // FILE to another fileid on a R/W disk is allowed
        CHECK(r.rc == 0);
        CHECK(m.cms.console_mode() == ConsoleMode::command);
        CHECK(get(m.a / "readme.text") == "read only\n");
        r = m.run("XEDIT BRAND NEW");
        CHECK(r.lines == Lines{"DMSXIN561I New file"});
        m.run("INPUT x");
        m.run("FILE");
        CHECK(get(m.a / "brand.new") == "x\n");
    }

    TEST_CASE("operand errors of the XEDIT command") {
        Machine m;
        CHECK(m.run("XEDIT").rc == 24);
        CHECK(m.run("XEDIT ONE").rc == 24);
        CHECK(m.run("XEDIT * TEXT A").rc == 24);
        CHECK(m.run("XEDIT A B A ( BOGUS").rc == 24);
        const auto r = m.run("XEDIT A B Q");
        CHECK(r.rc == 28);
        CHECK(r.lines == Lines{"DMSXIN069E Filemode Q not accessed"});
        CHECK(m.cms.console_mode() == ConsoleMode::command);
    }

    TEST_CASE("a CMS command typed in XEDIT runs, and XEDIT keeps the console") {
        Machine m;
        put(m.a / "some.file", "x\n");
        m.run("XEDIT NEW FILE A");
        auto r = m.run("LISTFILE * * A");
        CHECK(r.rc == 0);
        CHECK(r.lines == Lines{"SOME     FILE     A1"});
        CHECK(m.cms.console_mode() == ConsoleMode::xedit);
        r = m.run("NOSUCHCMD");
        CHECK(r.rc == -3);
        r = m.run("XEDIT OTHER FILE");
        CHECK(r.rc == 5);
        CHECK(r.lines[0].starts_with("DMSXMS521E"));
        r = m.run("CP QUERY NAMES");
        REQUIRE(r.cp_command);
        CHECK(*r.cp_command == "QUERY NAMES");
        CHECK(m.cms.console_mode() == ConsoleMode::xedit);
        m.run("QQUIT");
    }

    TEST_CASE("PROFILE XEDIT runs through the macro hook when one is installed") {
        Machine m;
        put(m.a / "profile.xedit", "/* */\n'SET CASE U'\n");
        std::vector<std::string> seen;
        RunnerGuard guard([&](const cpd::cms::FileEntry& macro, std::string_view args,
                              cpd::cms::xedit::Editor& ed) {
            seen.push_back(macro.fn + " " + macro.ft + " " + std::string(args));
            cpd::cms::CommandResult r;
            r.rc = ed.subcommand("SET CASE U").rc; // what ADDRESS XEDIT would do
            r.lines.push_back("profile ran on " + ed.extract("FNAME")->values[0]);
            return r;
        });
        auto r = m.run("XEDIT NEW FILE A");
        CHECK(r.lines == Lines{"profile ran on NEW", "DMSXIN561I New file"});
        m.run("INPUT lower");
        put(m.a / "mymac.xedit", "/* */\n");
        r = m.run("MYMAC one two");
        CHECK(r.lines == Lines{"profile ran on NEW"});
        m.run("FILE");
        CHECK(get(m.a / "new.file") == "LOWER\n");
        CHECK(seen == Lines{"PROFILE XEDIT ", "MYMAC XEDIT one two"});
        SUBCASE("( NOPROFILE skips it") {
            seen.clear();
            m.run("XEDIT NEW FILE A ( NOPROF");
            CHECK(seen.empty());
            m.run("QUIT");
        }
    }

    TEST_CASE("a PROFILE XEDIT that shows nothing leaves XEDIT's opening lines as they were") {
        Machine m;
        put(m.a / "profile.xedit", "/* */\n");
        const auto r = m.run("XEDIT NEW FILE A");
        CHECK(r.rc == 0);
        CHECK(r.lines == Lines{"DMSXIN561I New file"});
        CHECK(m.cms.console_mode() == ConsoleMode::xedit);
    }
}
