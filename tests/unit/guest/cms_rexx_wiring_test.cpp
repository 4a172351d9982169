// SPDX-License-Identifier: MIT
// REXX wired into XEDIT and Pipelines, on the real Regina: PROFILE XEDIT
// and XEDIT macros with ADDRESS XEDIT (rc of each subcommand, EXTRACT into
// the macro's variables, unknown words to CMS), the stem, var and stack
// stages inside an EXEC, and an EXEC's ADDRESS CMS 'PIPE ...' waiting for
// its cp stage's answers through the CommandHost.
#include "cms_test_support.hpp"

#include "cpd/cms/command_host.hpp"

#include <doctest/doctest.h>

using namespace cms_test;
using Lines = std::vector<std::string>;

namespace {

void file(Machine& m, const std::string& name, const std::string& body) {
    put(m.a / name, body);
}

// A CommandHost that answers CP commands from a script and keeps every line
// written, as the glue would show them.
class FakeHost final : public cpd::cms::CommandHost {
  public:
    Lines written;
    Lines cp_seen;
    std::vector<cpd::cms::HostEvent> events; ///< wait_for_event's answers, in order
    bool halt = false;
    void write_line(std::string_view line) override { written.emplace_back(line); }
    cpd::cms::CpAnswer cp_command(std::string_view command) override {
        cp_seen.emplace_back(command);
        return {0, {"ANSWER TO " + std::string(command), "SECOND LINE"}};
    }
    std::optional<std::string> read_console_line(cpd::proto::ConsoleMode) override {
        return std::nullopt;
    }
    cpd::cms::HostEvent
    wait_for_event(unsigned, std::optional<std::chrono::steady_clock::time_point>) override {
        if (events.empty()) {
            return {}; // halted
        }
        cpd::cms::HostEvent e = events.front();
        events.erase(events.begin());
        return e;
    }
    bool halt_requested() override { return halt; }
    bool take_hx_async() noexcept override { return false; }
    void request_logoff() override {}
};

} // namespace

TEST_SUITE("guest.cms.rexx_wiring") {

    TEST_CASE("PROFILE XEDIT runs in REXX when XEDIT starts; ( NOPROFILE skips it") {
        Machine m;
        file(m, "profile.xedit",
             "/* */\n'SET CASE U'\nsay 'profile rc' rc\n'SET BOGUS'\n"
             "say 'bad set rc' rc\n");
        auto r = m.run("XEDIT NEW FILE A");
        CHECK(r.rc == 0);
        CHECK(has(text(r), "profile rc 0\n"));
        CHECK(r.lines.back() == "DMSXIN561I New file"); // after the profile's lines
        CHECK(has(text(r), "bad set rc 5"));
        m.run("INPUT lower"); // SET CASE UPPER from the profile upper-cases input
        m.run("FILE");
        CHECK(get(m.a / "new.file") == "LOWER\n");
        r = m.run("XEDIT NEW FILE A ( NOPROF");
        CHECK_FALSE(has(text(r), "profile rc"));
        m.run("BOTTOM");
        m.run("INPUT lower");
        m.run("FILE");
        CHECK(get(m.a / "new.file") == "LOWER\nlower\n");
    }

    TEST_CASE("a macro typed as a subcommand: ADDRESS XEDIT sets rc, EXTRACT sets variables") {
        Machine m;
        file(m, "poem.text", "one\ntwo\nthree\n");
        file(m, "info.xedit",
             "/* */\nparse arg word\n'EXTRACT /SIZE/FNAME/CURLINE/LINE'\n"
             "say 'extract' rc size.0 size.1 fname.1 'line' line.1 'cur' curline.3\n"
             "'LOCATE /' || word || '/'\nsay 'locate rc' rc\n"
             "'EXTRACT /CURLINE/LINE'\nsay 'now' line.1 curline.3\n"
             "'LOCATE /nowhere/'\nsay 'missing rc' rc\n"
             "'CHANGE /t/T/ * *'\n'EXTRACT /SIZE/'\nsay 'size' size.1\n"
             "'LISTFILE POEM TEXT A'\nsay 'cms rc' rc\nexit 3\n");
        m.run("XEDIT POEM TEXT A");
        m.run("DOWN 1");
        const auto r = m.run("INFO thr");
        CHECK(r.rc == 3);
        const std::string t = text(r);
        CHECK(has(t, "extract 0 1 3 POEM line 1 cur one\n"));
        CHECK(has(t, "locate rc 0\n"));
        CHECK(has(t, "now 3 three\n"));
        CHECK(has(t, "missing rc 2\n"));
        CHECK(has(t, "size 3\n"));
        CHECK(has(t, "POEM     TEXT     A1\ncms rc 0\n")); // IMPCMSCP from a macro
        CHECK(m.cms.console_mode() == cpd::proto::ConsoleMode::xedit);
        m.run("FILE");
        CHECK(get(m.a / "poem.text") == "one\ntwo\nThree\n");
    }

    TEST_CASE("a macro that is not REXX, and one with a REXX error") {
        Machine m;
        file(m, "plain.xedit", "TOP\n");
        file(m, "oops.xedit", "/* */\nsay 1 / 0\n");
        m.run("XEDIT NEW FILE A");
        auto r = m.run("PLAIN");
        CHECK(r.rc == 28);
        CHECK(has(text(r), "DMSXMC639E Error in PLAIN XEDIT"));
        r = m.run("OOPS");
        CHECK(r.rc == 20042);
        CHECK(has(text(r), "Error 42 running OOPS XEDIT, line 2"));
        m.run("QQUIT");
    }

    TEST_CASE("stem, var and stack inside an EXEC") {
        Machine m;
        m.run("DESBUF");
        file(m, "stages.exec",
             "/* */\nx.1 = 'a'; x.2 = 'b b'; x.0 = 2\n"
             "'PIPE stem x. | xlate | stem y.'\nsay rc y.0 y.1 '/' y.2\n"
             "'PIPE literal c | stem x. append'\nsay x.0 x.3\n"
             "'PIPE literal hello | literal first | var v'\nsay v\n"
             "'PIPE var v | console'\n"
             "drop w; 'PIPE var w | count lines | var n'\nsay 'unset' n\n"
             "'PIPE literal one | stack'\npull l\nsay l queued()\n"
             "'PIPE stem x. | stack lifo'\n'PIPE stack | stem s.'\n"
             "say s.0 s.1 s.2 s.3 queued()\n");
        const auto r = m.run("STAGES");
        CHECK(r.rc == 0);
        CHECK(r.lines ==
              Lines{"0 2 A / B B", "3 c", "first", "first", "unset 0", "ONE 0", "3 c b b a 0"});
    }

    TEST_CASE("ADDRESS CMS 'PIPE cp ...' from an EXEC waits for CP's answers") {
        Machine m;
        FakeHost host;
        m.cms.set_host(&host);
        file(m, "askcp.exec",
             "/* */\n'PIPE literal Q TIME | literal Q USERS | cp | stem r.'\n"
             "say 'rc' rc r.0\ndo i = 1 to r.0; say r.i; end\n"
             "address command 'PIPE literal Q NAMES | cp | count lines | console'\n");
        const auto r = m.run("ASKCP");
        m.cms.set_host(nullptr);
        CHECK(r.rc == 0);
        CHECK(host.cp_seen == Lines{"Q USERS", "Q TIME", "Q NAMES"});
        CHECK(host.written == Lines{"rc 0 4", "ANSWER TO Q USERS", "SECOND LINE",
                                    "ANSWER TO Q TIME", "SECOND LINE", "2"});
    }

    TEST_CASE("an EXEC's starmsg pipeline takes the SMSGs the host gives it; HX halts a pipeline") {
        Machine m;
        FakeHost host;
        using Kind = cpd::cms::HostEvent::Kind;
        host.events = {{Kind::smsg, "OPERATOR", "first", "*SMSG", 0},
                       {Kind::smsg, "MAINT", "second", "*SMSG", 0}};
        m.cms.set_host(&host);
        file(m, "service.exec",
             "/* */\n'PIPE starmsg | take 2 | stem m.'\nsay rc m.0\n"
             "parse var m.2 1 class 9 sender 17 text\nsay class strip(sender) text\n"
             "'PIPE starmsg | stem n.'\nsay 'after HX' rc n.0\n");
        auto r = m.run("SERVICE");
        // take 2 ends starmsg; the second starmsg gets HX (the host has no
        // more events) and the console shows CMS.
        CHECK(host.written == Lines{"0 2", "00000004 MAINT second", "CMS", "after HX 0 0"});
        host.written.clear();
        host.halt = true; // HX: the pipeline waiting for CP stops, no command is sent
        file(m, "halted.exec", "/* */\n'PIPE literal Q TIME | cp | console'\nsay 'rc' rc\n");
        r = m.run("HALTED");
        m.cms.set_host(nullptr);
        CHECK(host.cp_seen.empty());
        CHECK(r.rc == 20004); // then the EXEC is halted too, at that command
        REQUIRE(host.written.size() == 3);
        CHECK(host.written[0] == "CMS");
        CHECK(has(host.written[2], "Error 4 running HALTED EXEC, line 2: Program interrupted"));
    }
}
