// SPDX-License-Identifier: MIT
// cmsconsole's line rules: what a typed line asks for in each console mode,
// the prompt of each mode, and the refusal of a line cpd would refuse.
#include "console_modes.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace cpd::cli;
using cpd::proto::ConsoleMode;
using Kind = LineAction::Kind;

TEST_SUITE("cli.console_lines") {

    TEST_CASE("#CP lines go to CP, DISCONNECT down to DISC detaches, the rest is input") {
        CHECK(classify_line("").kind == Kind::empty);
        CHECK(classify_line("   ").kind == Kind::empty);
        const LineAction q = classify_line("  #cp  query names ");
        CHECK(q.kind == Kind::cp);
        CHECK(q.text == "query names");
        CHECK(classify_line("#CP").kind == Kind::cp); // CP's own prompt: an empty command
        for (const char* disc : {"#CP DISC", "#cp disconnect", "#CP DISCON"}) {
            CHECK_MESSAGE(classify_line(disc).kind == Kind::disconnect, disc);
        }
        CHECK(classify_line("#CP DIS").kind == Kind::cp);          // shorter than DISC
        CHECK(classify_line("#CP DISC HOLD").kind == Kind::cp);    // operands: CP's to judge
        CHECK(classify_line("#CPQ N").kind == Kind::input);        // no blank after #CP
        const LineAction in = classify_line("  listfile * exec a ");
        CHECK(in.kind == Kind::input);
        CHECK(in.text == "  listfile * exec a "); // input is sent as typed
    }

    TEST_CASE("a null or blank line is input where the guest reads one") {
        for (const ConsoleMode reading : {ConsoleMode::xedit_input, ConsoleMode::vm_read}) {
            CHECK(classify_line("", reading).kind == Kind::input);
            const LineAction blanks = classify_line("   ", reading);
            CHECK(blanks.kind == Kind::input);
            CHECK(blanks.text == "   ");
            CHECK(classify_line("#CP Q T", reading).kind == Kind::cp);
        }
        for (const ConsoleMode commands : {ConsoleMode::command, ConsoleMode::xedit}) {
            CHECK(classify_line("", commands).kind == Kind::empty);
        }
    }

    TEST_CASE("each mode has its prompt") {
        const auto maint = *cpd::proto::Userid::parse("MAINT");
        CHECK(prompt_for(maint, ConsoleMode::command) == "MAINT> ");
        CHECK(prompt_for(maint, ConsoleMode::xedit) == "MAINT XEDIT> ");
        CHECK(prompt_for(maint, ConsoleMode::xedit_input) == "MAINT INPUT> ");
        CHECK(prompt_for(maint, ConsoleMode::vm_read) == "MAINT VM READ> ");
    }

    TEST_CASE("a line cpd would refuse is refused here, with CP's message and rc") {
        CHECK(line_refusal(classify_line("listfile")).empty());
        CHECK(line_refusal(classify_line("#CP Q N")).empty());
        const std::string cr = line_refusal(LineAction{Kind::input, "a\rb"});
        CHECK(cr.rfind("HCP026E Operand missing or invalid: line contains NUL or CR", 0) == 0);
        CHECK(cr.find("(rc 26)") != std::string::npos);
        const std::string lng =
            line_refusal(LineAction{Kind::cp, std::string(cpd::proto::cp_command_max + 1, 'Q')});
        CHECK(lng.find("CP command is " + std::to_string(cpd::proto::cp_command_max + 1) +
                       " bytes, the limit is " + std::to_string(cpd::proto::cp_command_max)) !=
              std::string::npos);
    }
}
