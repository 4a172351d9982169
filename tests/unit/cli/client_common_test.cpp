// SPDX-License-Identifier: MIT
// The tools' shared helpers: which socket they pick (--socket > CPD_SOCKET >
// the default cpd uses), the one CP rc -> exit-code map vmsend and cmsconsole
// document, and splitting argv so message text may start with '-'.
#include "client_common.hpp"
#include "socket_path.hpp"

#include "scoped_env.hpp"

#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <vector>

using namespace cpd;
using cli::resolve_socket;

TEST_SUITE("cli.client_common") {

    TEST_CASE("--socket beats CPD_SOCKET, which beats the default") {
        std::string path, error;
        SUBCASE("option given") {
            ScopedEnv env("CPD_SOCKET", "/env/cpd.sock");
            REQUIRE(resolve_socket("unix:///opt/cpd.sock", path, error));
            CHECK(path == "/opt/cpd.sock");
        }
        SUBCASE("environment only") {
            ScopedEnv env("CPD_SOCKET", "unix:///env/cpd.sock");
            REQUIRE(resolve_socket("", path, error));
            CHECK(path == "/env/cpd.sock");
        }
        SUBCASE("an empty CPD_SOCKET counts as unset") {
            ScopedEnv env("CPD_SOCKET", "");
            REQUIRE(resolve_socket("", path, error));
            CHECK(path == common::default_socket_path());
        }
        SUBCASE("neither: the default cpd itself uses") {
            ScopedEnv env("CPD_SOCKET", nullptr);
            ScopedEnv xdg("XDG_RUNTIME_DIR", "relative/dir"); // ignored, as cpd ignores it
            REQUIRE(resolve_socket("", path, error));
            CHECK(path == common::default_socket_path());
            CHECK(path.front() == '/');
        }
    }

    TEST_CASE("a bad socket address is refused naming where it came from") {
        std::string path, error;
        CHECK_FALSE(resolve_socket("relative.sock", path, error));
        CHECK(error.find("--socket") == 0);
        ScopedEnv env("CPD_SOCKET", "tcp://host:1");
        CHECK_FALSE(resolve_socket("", path, error));
        CHECK(error.find("CPD_SOCKET") == 0);
    }

    TEST_CASE("cp return codes map to the documented sysexits codes") {
        using proto::CpRc;
        CHECK(cli::exit_code_for(CpRc::ok) == 0);
        CHECK(cli::exit_code_for(CpRc::invalid_userid) == 65);
        CHECK(cli::exit_code_for(CpRc::invalid_operand) == 65);
        CHECK(cli::exit_code_for(CpRc::not_logged_on) == 67);
        CHECK(cli::exit_code_for(CpRc::not_in_directory) == 67);
        CHECK(cli::exit_code_for(CpRc::not_receiving) == 75);
        CHECK(cli::exit_code_for(CpRc::busy) == 75);
        CHECK(cli::exit_code_for(CpRc::shutting_down) == 75);
        CHECK(cli::exit_code_for(CpRc::not_authorized) == 77);
        CHECK(cli::exit_code_for(CpRc::unknown_command) == 70);
        CHECK(cli::exit_code_for(CpRc::logon_failed) == 70);
    }

    TEST_CASE("console refusals use the same map: writer busy is temporary, NOLOG is not") {
        using proto::CpRc;
        CHECK(cli::exit_code_for(CpRc::console_busy) == 75);
        CHECK(cli::exit_code_for(CpRc::nolog) == 77);
    }

    TEST_CASE("a CP response and a refusal both carry a verdict; other frames do not") {
        const auto response = cli::cp_verdict(proto::ServerCpResponse{proto::CpRc::ok, "text"});
        REQUIRE(response);
        CHECK_FALSE(response->refused);
        CHECK(response->text == "text");
        const auto refusal =
            cli::cp_verdict(proto::ServerError{proto::CpRc::not_logged_on, "HCP045E X"});
        REQUIRE(refusal);
        CHECK(refusal->refused);
        CHECK(refusal->rc == proto::CpRc::not_logged_on);
        CHECK_FALSE(cli::cp_verdict(proto::ServerConsoleSkipped{0}));
    }

    TEST_CASE("argv splits at the first operand; text may start with '-'") {
        char a0[] = "vmsend", a1[] = "--socket", a2[] = "/s", a3[] = "ECHO", a4[] = "-x";
        char* argv[] = {a0, a1, a2, a3, a4};
        std::vector<std::string> options, operands;
        cli::split_arguments(5, argv, {"--socket"}, options, operands);
        CHECK(options == std::vector<std::string>{"--socket", "/s"});
        CHECK(operands == std::vector<std::string>{"ECHO", "-x"});
    }
}
