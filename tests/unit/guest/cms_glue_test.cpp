// SPDX-License-Identifier: MIT
// Tests of the CMS glue (CmsHandler) against a recording fake Context: what
// SMSG, TELL and CP put on the console and pass to CP, that text over the
// limits is refused with one clear message before anything is sent, that
// a send the runtime refuses is reported with the runtime's reason, and that
// LOGOFF ends with "LOGOFF AT" and no ready marker before it; while XEDIT
// holds the console, lines end with its console mode instead of an rc.
#include "cms_handler.hpp"

#include "cpd/proto/guest_launch.hpp"
#include "cpd/proto/version.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

namespace {

using cpd::guest::SendStatus;

/// A Context that records console lines and CP commands; cp_command answers `cp_status`.
class RecordingContext : public cpd::guest::Context {
  public:
    std::vector<std::string> console;
    std::vector<std::string> cp_commands;
    SendStatus cp_status = SendStatus::ok;

    const cpd::proto::Userid& userid() const noexcept override { return userid_; }
    std::string_view parm() const noexcept override { return {}; }
    SendStatus send_smsg(std::string_view, std::string_view) noexcept override {
        ++direct_smsgs;
        return SendStatus::ok;
    }
    SendStatus set_smsg(bool) noexcept override { return SendStatus::ok; }
    void logoff() noexcept override { ++logoffs; }
    SendStatus console_write(std::string_view line) noexcept override {
        console.emplace_back(line);
        return SendStatus::ok;
    }
    SendStatus console_end(int) noexcept override { return SendStatus::ok; }
    SendStatus console_end_in(int rc, cpd::proto::ConsoleMode mode) noexcept override {
        mode_ends.emplace_back(rc, mode);
        return SendStatus::ok;
    }
    SendStatus cp_command(std::uint32_t tag, std::string_view text) noexcept override {
        if (cp_status == SendStatus::ok) {
            cp_commands.emplace_back(text);
            last_tag = tag;
        }
        return cp_status;
    }
    cpd::guest::ConnectResult iucv_connect(std::string_view, const cpd::proto::UserData&,
                                           std::uint16_t) noexcept override {
        return {};
    }
    cpd::proto::IucvRc iucv_sever(cpd::guest::PathId,
                                  const cpd::proto::UserData&) noexcept override {
        return {};
    }
    cpd::guest::IucvSendResult iucv_send(cpd::guest::PathId, std::span<const std::byte>,
                                         bool) noexcept override {
        return {};
    }
    cpd::proto::IucvRc iucv_reply(cpd::guest::PathId, std::uint32_t,
                                  std::span<const std::byte>) noexcept override {
        return {};
    }
    cpd::proto::IucvRc iucv_quiesce(cpd::guest::PathId,
                                    const cpd::proto::UserData&) noexcept override {
        return {};
    }
    cpd::proto::IucvRc iucv_resume(cpd::guest::PathId,
                                   const cpd::proto::UserData&) noexcept override {
        return {};
    }

    /// Lines ended with a console mode (XEDIT holds the console): rc, mode.
    std::vector<std::pair<int, cpd::proto::ConsoleMode>> mode_ends;
    std::uint32_t last_tag = 0; ///< tag of the last CP command
    int direct_smsgs = 0; ///< CMS sends SMSGs through CP, never directly
    int logoffs = 0;      ///< logoff() calls

  private:
    cpd::proto::Userid userid_ = *cpd::proto::Userid::parse("USER1");
};

/// A diskless CMS handler after IPL, with the IPL lines cleared.
struct Glue {
    RecordingContext ctx;
    cpd::cms::CmsHandler cms;
    Glue() {
        ::unsetenv(cpd::proto::guest_disks_env);
        cms.on_ipl(ctx);
        ctx.console.clear();
    }
};

} // namespace

TEST_SUITE("guest.cms.glue") {

    TEST_CASE("smsg goes to CP as SMSG, tell as MSG, and both wait for CP's answer") {
        Glue g;
        for (const char* line : {"SMSG oper  hello  there ", "tell OPER hello  there"}) {
            CAPTURE(line);
            g.ctx.cp_commands.clear();
            CHECK_FALSE(g.cms.on_console_input(g.ctx, line)); // the rc comes with CP's answer
            REQUIRE(g.ctx.cp_commands.size() == 1);
            CHECK(g.ctx.cp_commands[0] == (line[0] == 'S' ? "SMSG OPER hello  there"
                                                          : "MSG OPER hello  there"));
        }
        CHECK(g.ctx.console.empty());
        CHECK(g.ctx.direct_smsgs == 0);
    }

    TEST_CASE("smsg text of 236 bytes is sent; 237 bytes get one clear message and rc 24") {
        Glue g;
        const std::string at_limit(cpd::proto::smsg_max_text, 'x');
        CHECK_FALSE(g.cms.on_console_input(g.ctx, "SMSG OPER " + at_limit));
        REQUIRE(g.ctx.cp_commands.size() == 1);
        CHECK(g.ctx.cp_commands[0] == "SMSG OPER " + at_limit);

        g.ctx.cp_commands.clear();
        CHECK(g.cms.on_console_input(g.ctx, "SMSG OPER " + at_limit + "y") == 24);
        CHECK(g.ctx.cp_commands.empty());
        REQUIRE(g.ctx.console.size() == 1);
        CHECK(g.ctx.console[0] == "DMSMSG026E Message text is 237 bytes; the limit is 236");
    }

    TEST_CASE("a cp command over the limit is refused with one message and rc 24") {
        Glue g;
        const std::string cmd(cpd::proto::cp_command_max + 1, 'q');
        CHECK(g.cms.on_console_input(g.ctx, "CP " + cmd) == 24);
        CHECK(g.ctx.cp_commands.empty());
        REQUIRE(g.ctx.console.size() == 1);
        CHECK(g.ctx.console[0] == "DMSCPX026E CP command is 513 bytes; the limit is 512");
    }

    TEST_CASE("a send the runtime refuses is reported with its reason") {
        Glue g;
        SUBCASE("a full ring is rc 28") {
            g.ctx.cp_status = SendStatus::busy;
            CHECK(g.cms.on_console_input(g.ctx, "SMSG OPER hi") == 28);
            REQUIRE(g.ctx.console.size() == 1);
            CHECK(g.ctx.console[0] == "DMSMSG045E Message to OPER not sent: " +
                                          std::string(cpd::guest::describe(SendStatus::busy)));
            CHECK(g.cms.on_console_input(g.ctx, "CP QUERY NAMES") == 28);
            REQUIRE(g.ctx.console.size() == 2);
            CHECK(g.ctx.console[1].starts_with("DMSCPX026E CP command not sent: "));
        }
        SUBCASE("a forbidden byte is rc 24") {
            g.ctx.cp_status = SendStatus::invalid_text;
            CHECK(g.cms.on_console_input(g.ctx, "SMSG OPER a\x01z") == 24);
            REQUIRE(g.ctx.console.size() == 1);
            CHECK(g.ctx.console[0].starts_with("DMSMSG045E Message to OPER not sent: "));
            CHECK(g.cms.on_console_input(g.ctx, "TELL OPER a\x01z") == 24);
            REQUIRE(g.ctx.console.size() == 2);
            CHECK(g.ctx.console[1].starts_with("DMSCPX026E CP command not sent: "));
        }
    }

    TEST_CASE("logoff asks cp to log off and leaves the command open; LOGOFF AT is the last line") {
        Glue g;
        // No rc: the dispatcher sends no end marker, so no "Ready;" precedes LOGOFF AT.
        CHECK_FALSE(g.cms.on_console_input(g.ctx, "logoff"));
        CHECK(g.ctx.logoffs == 1);
        CHECK(g.ctx.console.empty());
        g.cms.on_logoff(g.ctx);
        REQUIRE(g.ctx.console.size() == 1);
        CHECK(g.ctx.console.back().starts_with("LOGOFF AT "));
    }

    TEST_CASE("logoff with a bad operand is refused with rc 24 and the guest stays") {
        Glue g;
        CHECK(g.cms.on_console_input(g.ctx, "LOGOFF NOW") == 24);
        CHECK(g.ctx.logoffs == 0);
        REQUIRE(g.ctx.console.size() == 1);
        CHECK(g.ctx.console[0].starts_with("DMSLGF026E "));
    }

    TEST_CASE("xedit lines end with its console mode; FILE gives CMS its rc and Ready back") {
        using cpd::proto::ConsoleMode;
        using Ends = std::vector<std::pair<int, ConsoleMode>>;
        char dir[] = "/tmp/cms-glue-XXXXXX";
        REQUIRE(::mkdtemp(dir) != nullptr);
        ::setenv(cpd::proto::guest_disks_env, (std::string("A RW 191 ") + dir).c_str(), 1);
        RecordingContext ctx;
        cpd::cms::CmsHandler cms;
        cms.on_ipl(ctx);
        CHECK_FALSE(cms.on_console_input(ctx, "XEDIT NEW FILE A"));
        CHECK_FALSE(cms.on_console_input(ctx, "INPUT"));
        CHECK_FALSE(cms.on_console_input(ctx, "a line"));
        CHECK_FALSE(cms.on_console_input(ctx, ""));
        CHECK_FALSE(cms.on_console_input(ctx, "QUIT"));
        CHECK(ctx.mode_ends == Ends{{0, ConsoleMode::xedit},
                                    {0, ConsoleMode::xedit_input},
                                    {0, ConsoleMode::xedit_input},
                                    {0, ConsoleMode::xedit},
                                    {12, ConsoleMode::xedit}});
        // A CP command typed in XEDIT: its answer ends the line in XEDIT's mode.
        CHECK_FALSE(cms.on_console_input(ctx, "CP QUERY NAMES"));
        cms.on_cp_response(ctx, ctx.last_tag, cpd::proto::CpRc::ok, "OPERATOR - DSC");
        CHECK(ctx.mode_ends.back() == std::pair{0, ConsoleMode::xedit});
        CHECK(cms.on_console_input(ctx, "FILE") == 0); // a plain rc: the console shows Ready
        CHECK(cms.on_console_input(ctx, "STATE NEW FILE A") == 0);
        CHECK(ctx.mode_ends.size() == 6);
        ::unsetenv(cpd::proto::guest_disks_env);
        std::filesystem::remove_all(dir);
    }

} // TEST_SUITE
