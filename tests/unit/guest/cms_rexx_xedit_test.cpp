// SPDX-License-Identifier: MIT
// XEDIT from inside an EXEC, on the real Regina: the editor takes its
// subcommands from the program stack first, then from the console (a VM READ
// in XEDIT's mode), and its rc is the XEDIT command's; a macro's FILE or QUIT
// ends XEDIT once the macro returns, with the right rc for macro and EXEC.
#include "cms_test_support.hpp"

#include "cpd/cms/command_host.hpp"

#include <doctest/doctest.h>

#include <deque>

using namespace cms_test;
using cpd::proto::ConsoleMode;

namespace {

void file(Machine& m, const std::string& name, const std::string& body) {
    put(m.a / name, body);
}

// A console that answers each VM READ with the next scripted line and keeps
// the mode each read was shown in; writes are kept in order.
class ConsoleHost final : public cpd::cms::CommandHost {
  public:
    std::deque<std::string> typed;
    std::vector<ConsoleMode> reads;
    std::vector<std::string> written;
    void write_line(std::string_view line) override { written.emplace_back(line); }
    cpd::cms::CpAnswer cp_command(std::string_view) override { return {0, {}}; }
    std::optional<std::string> read_console_line(ConsoleMode shown) override {
        reads.push_back(shown);
        if (typed.empty()) {
            return std::nullopt; // nothing more typed: as HX
        }
        std::string line = typed.front();
        typed.pop_front();
        return line;
    }
    cpd::cms::HostEvent
    wait_for_event(unsigned, std::optional<std::chrono::steady_clock::time_point>) override {
        return {};
    }
    bool halt_requested() override { return false; }
    bool take_hx_async() noexcept override { return false; }
    void request_logoff() override {}
    std::string text() const {
        std::string out;
        for (const auto& l : written) {
            out += l + '\n';
        }
        return out;
    }
};

} // namespace

TEST_SUITE("guest.cms.rexx_xedit") {

    TEST_CASE("an EXEC edits a file with XEDIT subcommands queued on the stack") {
        Machine m;
        m.run("DESBUF");
        file(m, "mknote.exec",
             "/* */\nqueue 'INPUT'; queue 'alpha'; queue 'beta'; queue ''\n"
             "queue 'LOCATE -/alpha/'; queue 'CHANGE /alpha/ALPHA/'; queue 'FILE'\n"
             "'XEDIT NOTE TEXT A'\nsay 'xedit rc' rc queued()\n");
        const auto r = m.run("MKNOTE");
        CHECK(r.rc == 0);
        CHECK(has(text(r), "DMSXIN561I New file\n"));
        CHECK(has(text(r), "xedit rc 0 0\n"));
        CHECK(get(m.a / "note.text") == "ALPHA\nbeta\n");
        CHECK(m.cms.console_mode() == ConsoleMode::command); // CMS has the console again
        // QUIT n from the stack is the XEDIT command's rc n.
        file(m, "look.exec", "/* */\nqueue 'QUIT 4'\n'XEDIT NOTE TEXT A'\nexit rc\n");
        CHECK(m.run("LOOK").rc == 4);
    }

    TEST_CASE("after the stack, XEDIT reads the console in its own modes") {
        Machine m;
        m.run("DESBUF");
        ConsoleHost host;
        m.session().host = &host;
        host.typed = {"INPUT", "typed line", "", "FILE"};
        file(m, "edit.exec",
             "/* */\nqueue 'INPUT stacked first'\n'XEDIT LOG TEXT A'\n"
             "say 'rc' rc\n");
        const auto r = m.run("EDIT");
        m.session().host = nullptr;
        CHECK(r.rc == 0);
        CHECK(has(host.text(), "rc 0\n"));
        CHECK(get(m.a / "log.text") == "stacked first\ntyped line\n");
        CHECK(host.reads == std::vector<ConsoleMode>{ConsoleMode::xedit, ConsoleMode::xedit_input,
                                                     ConsoleMode::xedit_input, ConsoleMode::xedit});
    }

    TEST_CASE("a macro's FILE ends XEDIT after the macro, with rcs for macro and EXEC") {
        Machine m;
        m.run("DESBUF");
        file(m, "fin.xedit",
             "/* */\n'INPUT added by the macro'\n'FILE'\nsay 'file rc' rc\n"
             "'TOP'\nsay 'after rc' rc\nexit 7\n");
        file(m, "quitn.xedit", "/* */\n'QUIT 9'\nsay 'quit rc' rc\n");
        file(m, "tryquit.xedit", "/* */\n'INPUT x'\n'QUIT'\nsay 'changed quit rc' rc\n");
        file(m, "run.exec", "/* */\nqueue 'FIN'\n'XEDIT DONE TEXT A'\nsay 'xedit rc' rc\n");
        auto r = m.run("RUN");
        CHECK(has(text(r), "file rc 0\nafter rc 3\nxedit rc 0\n"));
        CHECK(get(m.a / "done.text") == "added by the macro\n");
        CHECK(m.cms.console_mode() == ConsoleMode::command);

        // At the console: the macro's line ends XEDIT with QUIT's rc.
        m.run("XEDIT DONE TEXT A");
        r = m.run("QUITN");
        CHECK(has(text(r), "quit rc 0\n"));
        CHECK(r.rc == 9);
        CHECK(m.cms.console_mode() == ConsoleMode::command);

        // QUIT refused on a changed file: the macro sees 12 and XEDIT goes on.
        m.run("XEDIT DONE TEXT A");
        r = m.run("TRYQUIT");
        CHECK(has(text(r), "changed quit rc 12\n"));
        CHECK(m.cms.console_mode() == ConsoleMode::xedit);
        CHECK(m.run("QQUIT").rc == 0);
        CHECK(get(m.a / "done.text") == "added by the macro\n");
    }
}
