// SPDX-License-Identifier: MIT
// The CMS glue running a pipeline that waits, against a recording fake
// Context: a cp stage's command goes to CP and the answer comes back into
// the pipeline (not to the console); a starmsg pipeline takes the SMSGs
// instead of the console; HX ends the command with "CMS" and a Ready; a
// line typed meanwhile is refused with why; the next command works.
#include "cms_handler.hpp"

#include "cpd/proto/guest_launch.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

namespace {

using cpd::guest::SendStatus;

/// A Context that records console lines, ends, and CP commands with their tags.
class PipeContext : public cpd::guest::Context {
  public:
    std::vector<std::string> console;
    std::vector<std::pair<std::uint32_t, std::string>> cp;
    std::vector<int> ends;

    const cpd::proto::Userid& userid() const noexcept override { return userid_; }
    std::string_view parm() const noexcept override { return {}; }
    SendStatus send_smsg(std::string_view, std::string_view) noexcept override {
        return SendStatus::ok;
    }
    SendStatus set_smsg(bool) noexcept override { return SendStatus::ok; }
    void logoff() noexcept override {}
    SendStatus console_write(std::string_view line) noexcept override {
        console.emplace_back(line);
        return SendStatus::ok;
    }
    SendStatus console_end(int rc) noexcept override {
        ends.push_back(rc);
        return SendStatus::ok;
    }
    SendStatus cp_command(std::uint32_t tag, std::string_view text) noexcept override {
        cp.emplace_back(tag, std::string(text));
        return SendStatus::ok;
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

  private:
    cpd::proto::Userid userid_ = *cpd::proto::Userid::parse("USER1");
};

struct Glue {
    PipeContext ctx;
    cpd::cms::CmsHandler cms;
    Glue() {
        ::unsetenv(cpd::proto::guest_disks_env);
        cms.on_ipl(ctx);
        ctx.console.clear();
    }
    std::optional<int> type(std::string_view line) { return cms.on_console_input(ctx, line); }
};

using Lines = std::vector<std::string>;

} // namespace

TEST_SUITE("guest.cms.glue_pipe") {

    TEST_CASE("a cp stage's command goes to CP and its answer back into the pipeline") {
        Glue g;
        CHECK_FALSE(g.type("PIPE literal QUERY NAMES | cp | specs /got: / 1 1-* n | console"));
        REQUIRE(g.ctx.cp.size() == 1);
        CHECK(g.ctx.cp[0].second == "QUERY NAMES");
        CHECK(g.ctx.console.empty());
        g.cms.on_cp_response(g.ctx, g.ctx.cp[0].first, cpd::proto::CpRc::ok, "USER1 - CON001");
        CHECK(g.ctx.console == Lines{"got: USER1 - CON001"});
        CHECK(g.ctx.ends == std::vector<int>{0});
        CHECK(g.type("PIPE literal next | console") == 0);
    }

    TEST_CASE("SMSGs go to a starmsg pipeline, not the console, until HX") {
        Glue g;
        CHECK_FALSE(g.type("PIPE starmsg | specs 9.8 strip 1 /said/ nw 17-* nw | console"));
        g.cms.on_smsg(g.ctx, *cpd::proto::Userid::parse("ALICE"), "hello");
        CHECK(g.ctx.console == Lines{"ALICE said hello"});
        CHECK(g.ctx.ends.empty());
        CHECK_FALSE(g.type("QUERY DISK"));
        CHECK(g.ctx.console.back() ==
              "DMSPIP001E A command is running; HX halts it; line ignored: QUERY DISK");
        CHECK(g.type("hx") == 0);
        CHECK(g.ctx.console.back() == "CMS");
        g.ctx.console.clear();
        g.cms.on_smsg(g.ctx, *cpd::proto::Userid::parse("ALICE"), "again");
        CHECK(g.ctx.console == Lines{"* MSG FROM ALICE -- again"});
    }

    TEST_CASE("HX while CP's answer is awaited: the late answer is only shown") {
        Glue g;
        CHECK_FALSE(g.type("PIPE literal QUERY NAMES | cp | console"));
        REQUIRE(g.ctx.cp.size() == 1);
        CHECK(g.type("HX") == 0);
        g.ctx.console.clear();
        g.cms.on_cp_response(g.ctx, g.ctx.cp[0].first, cpd::proto::CpRc::ok, "late");
        CHECK(g.ctx.console == Lines{"late"});
        CHECK(g.ctx.ends.empty()); // the HX already ended the command
    }

    TEST_CASE("a pipeline that reads the console takes the typed lines") {
        Glue g;
        CHECK_FALSE(g.type("PIPE console | xlate | console"));
        CHECK_FALSE(g.type("abc"));
        CHECK(g.ctx.console == Lines{"ABC"});
        CHECK(g.type("") == 0);
    }

} // TEST_SUITE
