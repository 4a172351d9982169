// SPDX-License-Identifier: MIT
// The guest runtime against a fake CP: a real forked guest on real rings and
// doorbells. Start-up, callback order, SMSG sending rules, a full outbound
// ring, console input and output, logoff and the exception fence.
#include "fake_cp.hpp"
#include "scripted_guest.hpp"

#include "cpd/proto/version.hpp"

#include <algorithm>
#include <string>

using cpd::test::FakeCp;
using cpd::test::ScriptedGuest;
using cpd::test::uid;
namespace proto = cpd::proto;

TEST_SUITE("guest.runtime") {

    TEST_CASE("on_ipl runs first and once, then frames in arrival order, then on_logoff") {
        FakeCp cp;
        ScriptedGuest g;
        // Frames queued before the guest even starts must still come after on_ipl.
        cp.push(proto::SmsgDeliver{uid("ALICE"), "one"});
        cp.push(proto::SmsgDeliver{uid("BOB"), "two"});
        cp.start(g, "TESTER", "MY PARM");
        CHECK(cp.line() == "IPL TESTER MY PARM");
        CHECK(cp.line() == "SMSG ALICE one");
        CHECK(cp.line() == "SMSG BOB two");
        cp.push(proto::CpMessage{"HCPMSG045E ECHO not logged on"});
        CHECK(cp.line() == "HCPMSG045E ECHO not logged on"); // default on_cp_message
        // Default on_message: z/VM's receiver forms on the console.
        cp.push(proto::MessageDeliver{uid("ALICE"), proto::MessageKind::msg, 0, "hi  there"});
        const std::string msg = cp.line();
        CHECK(msg.size() == 8 + std::string(" * MSG FROM ALICE   : hi  there").size());
        CHECK(msg.ends_with(" * MSG FROM ALICE   : hi  there"));
        CHECK(msg[2] == ':');
        cp.push(proto::MessageDeliver{uid("OPERATOR"), proto::MessageKind::warning, 0, "down"});
        CHECK(cp.line().ends_with(" * WNG FROM OPERATOR: down"));
        cp.push(proto::MessageDeliver{uid("RSCS"), proto::MessageKind::msgnoh, 0, "bare text"});
        CHECK(cp.line() == "bare text");
        cp.push(proto::Logoff{proto::LogoffReason::force});
        cp.push(proto::SmsgDeliver{uid("ALICE"), "after logoff"});
        CHECK(cp.line() == "LOGOFF");
        CHECK(cp.wait_exit() == cpd::guest::exit_logoff);
        CHECK_FALSE(cp.next(50).has_value()); // nothing after on_logoff, no second IPL
    }

    TEST_CASE("many smsgs arrive in order across doorbell sleeps") {
        FakeCp cp({1u << 12, 1u << 16}); // a small inbound ring forces wrap-around and waits
        ScriptedGuest g;
        cp.start(g);
        CHECK(cp.line().starts_with("IPL"));
        for (int i = 1; i <= 3000; ++i) {
            cp.push(proto::SmsgDeliver{uid("ALICE"), std::to_string(i)});
        }
        cp.type("REPORT");
        CHECK(cp.line() == "GOT 3000 IN ORDER BUSY AFTER 0");
        cpd::test::Received r;
        CHECK(cp.expect<proto::ConsoleEnd>(r).rc == 0);
        cp.push(proto::Logoff{proto::LogoffReason::logoff});
        CHECK(cp.line() == "LOGOFF");
        CHECK(cp.wait_exit() == 0);
    }

    TEST_CASE("the guest rings a sleeping cpd once after a batch, and not a busy one") {
        FakeCp cp;
        ScriptedGuest g;
        cp.start(g);
        CHECK(cp.line().starts_with("IPL"));
        REQUIRE(cp.prepare_sleep());
        cp.type("WRITE one|two|three");
        CHECK(cp.wait_for_bell(3000)); // no polling: only the doorbell can end this wait
        CHECK(cp.line(0) == "one");
        CHECK(cp.line(0) == "two");
        CHECK(cp.line(0) == "three");
        cpd::test::Received r;
        CHECK(cp.expect<proto::ConsoleEnd>(r, 0).rc == 0);
        // Not announced as sleeping: the guest must not ring.
        cp.type("WRITE four");
        CHECK(cp.line() == "four");
        CHECK_FALSE(cp.wait_for_bell(100));
    }

    TEST_CASE("call_later work that is due runs at once, not after the spin for frames") {
        FakeCp cp;
        ScriptedGuest g;
        g.sleep_flag = &cp.guest_sleep_flag();
        cp.start(g);
        CHECK(cp.line().starts_with("IPL"));
        // After a frame the loop spins for more before it announces sleep; work
        // that is due must run before that, so it finds the flag still clear.
        // (A loop that waited out the spin would have announced sleep first.)
        for (int i = 0; i < 20; ++i) {
            cp.type("SOON");
            CHECK(cp.line() == "SOON AWAKE");
            cpd::test::Received r;
            CHECK(cp.expect<proto::ConsoleEnd>(r).rc == 0);
        }
    }

    TEST_CASE("send_smsg checks the userid and the 236-byte limit before queueing") {
        FakeCp cp;
        ScriptedGuest g;
        cp.start(g);
        CHECK(cp.line().starts_with("IPL"));
        cpd::test::Received r;

        SUBCASE("236 bytes are sent") {
            cp.type("SMSG echo " + std::string(236, 'x'));
            const auto f = cp.expect<proto::SmsgSend>(r);
            CHECK(f.to == uid("ECHO"));
            CHECK(f.text.size() == 236);
            CHECK(cp.line() == "ok");
        }
        SUBCASE("237 bytes are refused") {
            cp.type("SMSG ECHO " + std::string(237, 'x'));
            CHECK(cp.line() == "text too long");
        }
        SUBCASE("a bad userid is refused") {
            cp.type("SMSG TOOLONGNAME hi");
            CHECK(cp.line() == "invalid userid");
            CHECK(cp.expect<proto::ConsoleEnd>(r).rc == 0);
            cp.type("SMSG ECH%O hi");
            CHECK(cp.line() == "invalid userid");
        }
        CHECK(cp.expect<proto::ConsoleEnd>(r).rc == 0);
    }

    TEST_CASE("a full outbound ring gives busy at once and the guest keeps running") {
        FakeCp cp({1u << 16, 1u << 12}); // 4 KiB outbound ring
        ScriptedGuest g;
        g.fill_on_ipl = true;
        cp.start(g);
        // Nothing is read until the guest announces sleep: on_ipl then filled the
        // ring alone and returned (a send that waited for room never would), and
        // everything it sent is visible, so the drain below needs no timeout.
        REQUIRE(cp.wait_until_guest_sleeps());
        int sends = 0;
        while (auto f = cp.next(0)) {
            REQUIRE(std::holds_alternative<proto::SmsgSend>(f->frame));
            ++sends;
        }
        CHECK(sends > 10);
        CHECK(sends < 4096 / 16);
        cp.type("REPORT");
        CHECK(cp.line() == "GOT 0 IN ORDER BUSY AFTER " + std::to_string(sends));
    }

    TEST_CASE("console input gets output lines and an end marker with the rc") {
        FakeCp cp;
        ScriptedGuest g;
        cp.start(g);
        CHECK(cp.line().starts_with("IPL"));
        cpd::test::Received r;

        SUBCASE("unknown command: the default handler answers rc 3") {
            cp.type("NOSUCH");
            CHECK(cp.line() == "Unknown CP/CMS command");
            CHECK(cp.expect<proto::ConsoleEnd>(r).rc == 3);
        }
        SUBCASE("newlines split lines and long lines are cut at the limit") {
            cp.type("WRITE first|second");
            CHECK(cp.line() == "first");
            CHECK(cp.line() == "second");
            CHECK(cp.expect<proto::ConsoleEnd>(r).rc == 0);
            cp.type("LONG 5000");
            CHECK(cp.line().size() == proto::console_max_line);
            CHECK(cp.line().size() == 5000 - proto::console_max_line);
            CHECK(cp.expect<proto::ConsoleEnd>(r).rc == 0);
        }
        SUBCASE("a command may end later with console_end") {
            cp.type("LATER 7");
            CHECK(cp.line() == "LATE");
            CHECK(cp.expect<proto::ConsoleEnd>(r).rc == 7);
        }
        SUBCASE("cp_command, set_smsg and logoff queue their frames") {
            cp.type("CP 42 QUERY NAMES");
            const auto c = cp.expect<proto::CpCommand>(r);
            CHECK(c.tag == 42);
            CHECK(c.text == "QUERY NAMES");
            CHECK(cp.line() == "ok");
            CHECK(cp.expect<proto::ConsoleEnd>(r).rc == 0);
            cp.type("SETSMSG OFF");
            CHECK_FALSE(cp.expect<proto::SetSmsg>(r).on);
            CHECK(cp.expect<proto::ConsoleEnd>(r).rc == 0);
            cp.type("LOGOFF");
            cp.expect<proto::LogoffRequest>(r);
            CHECK(cp.expect<proto::ConsoleEnd>(r).rc == 0);
        }
        cp.push(proto::CpResponse{42, proto::CpRc::ok, "ECHO     - DSC\nMAINT    - DSC"});
        CHECK(cp.line() == "ECHO     - DSC"); // default on_cp_response writes each line
        CHECK(cp.line() == "MAINT    - DSC");
    }

    TEST_CASE("a handler that throws reports HandlerPanic and exits 86 without on_logoff") {
        FakeCp cp;
        ScriptedGuest g;
        cpd::test::Received r;

        SUBCASE("in on_smsg") {
            cp.start(g);
            CHECK(cp.line().starts_with("IPL"));
            cp.push(proto::SmsgDeliver{uid("ALICE"), "THROW"});
            CHECK(cp.expect<proto::HandlerPanic>(r).what == "boom");
        }
        SUBCASE("in on_ipl") {
            g.throw_on_ipl = true;
            cp.start(g);
            CHECK(cp.expect<proto::HandlerPanic>(r).what == "ipl failed");
        }
        SUBCASE("in on_console_input") {
            cp.start(g);
            CHECK(cp.line().starts_with("IPL"));
            cp.type("THROW");
            CHECK(cp.expect<proto::HandlerPanic>(r).what == "console command failed");
        }
        cp.push(proto::Logoff{proto::LogoffReason::logoff});
        CHECK(cp.wait_exit() == cpd::guest::exit_panic);
        CHECK_FALSE(cp.next(50).has_value()); // no LOGOFF line, no ConsoleEnd
    }

    TEST_CASE("run refuses to start without the cpd launch contract") {
        std::string userid = "TESTER";
        bool with_fds = false;
        SUBCASE("no userid") {
            userid.clear();
        }
        SUBCASE("an invalid userid") {
            userid = "NOT VALID";
        }
        SUBCASE("fd 3 is not a segment") {
            with_fds = true;
        }
        const pid_t pid = ::fork();
        REQUIRE(pid >= 0);
        if (pid == 0) {
            if (userid.empty()) {
                ::unsetenv(cpd::proto::guest_userid_env);
            } else {
                ::setenv(cpd::proto::guest_userid_env, userid.c_str(), 1);
            }
            for (int fd = 3; fd <= 5; ++fd) {
                ::close(fd);
                if (with_fds && ::open("/dev/null", O_RDWR) != fd) {
                    _exit(99);
                }
            }
            ScriptedGuest g;
            _exit(cpd::guest::run(g));
        }
        int status = 0;
        REQUIRE(::waitpid(pid, &status, 0) == pid);
        REQUIRE(WIFEXITED(status));
        CHECK(WEXITSTATUS(status) == cpd::guest::exit_not_a_guest);
    }

} // TEST_SUITE

TEST_SUITE("guest.runtime.wait_for") {

    TEST_CASE("a console command waits for the next line; an SMSG meanwhile keeps its place") {
        FakeCp cp;
        ScriptedGuest g;
        cp.start(g);
        CHECK(cp.line().starts_with("IPL"));
        cp.type("WAIT CONSOLE");
        cp.push(proto::SmsgDeliver{uid("BOB"), "held"});
        cp.type("the answer");
        CHECK(cp.line() == "WAITED CONSOLE 0 the answer");
        cpd::test::Received r;
        CHECK(cp.expect<proto::ConsoleEnd>(r).rc == 0);
        CHECK(cp.line() == "SMSG BOB held"); // after the command, not during it
        cp.push(proto::Logoff{proto::LogoffReason::logoff});
        CHECK(cp.line() == "LOGOFF");
        CHECK(cp.wait_exit() == 0);
    }

    TEST_CASE("CP's answer, an SMSG and a deadline end a wait for them") {
        FakeCp cp;
        ScriptedGuest g;
        cp.start(g);
        CHECK(cp.line().starts_with("IPL"));
        cp.type("WAIT CP");
        cp.push(proto::CpResponse{7, proto::CpRc::not_logged_on, "HCP045E X not logged on"});
        CHECK(cp.line() == "WAITED CP 7 HCP045E X not logged on");
        cpd::test::Received r;
        CHECK(cp.expect<proto::ConsoleEnd>(r).rc == 0);
        cp.type("WAIT SMSG CONSOLE");
        cp.push(proto::SmsgDeliver{uid("ALICE"), "wake up"});
        CHECK(cp.line() == "WAITED SMSG ALICE 0 wake up");
        CHECK(cp.expect<proto::ConsoleEnd>(r).rc == 0);
        cp.type("WAIT SMSG 30");
        CHECK(cp.line() == "WAITED TIMEOUT 0 ");
        CHECK(cp.expect<proto::ConsoleEnd>(r).rc == 0);
    }

    TEST_CASE("a logoff ends a wait, and on_logoff follows once the command returns") {
        FakeCp cp;
        ScriptedGuest g;
        cp.start(g);
        CHECK(cp.line().starts_with("IPL"));
        cp.type("WAIT CONSOLE");
        cp.push(proto::Logoff{proto::LogoffReason::force});
        CHECK(cp.line() == "WAITED LOGOFF 0 ");
        cpd::test::Received r;
        CHECK(cp.expect<proto::ConsoleEnd>(r).rc == 0);
        CHECK(cp.line() == "LOGOFF");
        CHECK(cp.wait_exit() == 0);
    }

    TEST_CASE("an HX behind an SMSG and a typed line is taken at once; they keep their order") {
        FakeCp cp;
        ScriptedGuest g;
        cp.start(g);
        CHECK(cp.line().starts_with("IPL"));
        cp.push(proto::SmsgDeliver{uid("BOB"), "before the HX"});
        cp.type("IMMEDIATE");
        cp.push(proto::SmsgDeliver{uid("BOB"), "first"});
        cp.type("WRITE typed ahead");
        cp.type(" hx ");
        cp.push(proto::SmsgDeliver{uid("BOB"), "after"});
        CHECK(cp.line() == "SMSG BOB before the HX");
        CHECK(cp.line() == "IMMEDIATE TAKEN");
        cpd::test::Received r;
        CHECK(cp.expect<proto::ConsoleEnd>(r).rc == 0);
        CHECK(cp.line() == "SMSG BOB first");
        CHECK(cp.line() == "typed ahead");
        CHECK(cp.expect<proto::ConsoleEnd>(r).rc == 0);
        CHECK(cp.line() == "SMSG BOB after");
    }

    TEST_CASE("waiting is refused in other callbacks") {
        FakeCp cp;
        ScriptedGuest g;
        cp.start(g);
        CHECK(cp.line().starts_with("IPL"));
        cp.push(proto::SmsgDeliver{uid("ALICE"), "WAIT"});
        CHECK(cp.line() == "SMSG ALICE WAIT");
        CHECK(cp.line() == "WAIT REFUSED");
    }
}
