// SPDX-License-Identifier: MIT
// CmsHandler: the glue between the guest runtime and the CMS command
// processor. It turns console lines into commands, writes their output,
// performs their side effects through the Context (SMSG, CP, logoff) and
// shows inbound SMSGs and CP messages at the console. No command logic here.
#pragma once

#include "cms_host.hpp"
#include "cpd/cms/command_processor.hpp"
#include "cpd/cms/running_command.hpp"
#include "cpd/guest/handler.hpp"
#include "spool_jobs.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

namespace cpd::cms {

/// The Handler of the CMS guest program (IPL CMS).
class CmsHandler : public guest::Handler {
  public:
    /// IPL: banner, SET SMSG ON, access the directory's disks, load LASTING GLOBALV.
    void on_ipl(guest::Context& ctx) override;
    /// "* MSG FROM <userid> -- <text>" at the console; sets LMSG, LMSGSRC, LMSGTXT.
    void on_smsg(guest::Context& ctx, const guest::Userid& from, std::string_view text) override;
    /// A CP MSG or WARNING: sets LMSG, LMSGSRC, LMSGTXT, then shows it as CP does.
    void on_message(guest::Context& ctx, const guest::Userid& from, std::string_view text,
                    proto::MessageKind kind) override;
    /// Writes the CP message to the console.
    void on_cp_message(guest::Context& ctx, std::string_view text) override;
    /// Writes the response; ends the console command that issued it with CP's rc.
    void on_cp_response(guest::Context& ctx, std::uint32_t tag, proto::CpRc rc,
                        std::string_view text) override;
    /// Runs one console line; returns its rc, or nullopt while a CP command is out.
    std::optional<int> on_console_input(guest::Context& ctx, std::string_view line) override;
    /// A minidisk linked or detached by CP: ACCESS sees the change.
    void on_device_change(guest::Context& ctx, std::uint16_t vdev, bool attached, bool write,
                          std::string_view path) override;
    /// A reader chunk for RECEIVE or PEEK.
    void on_spool_data(guest::Context& ctx, std::uint32_t tag, proto::CpRc rc,
                       std::span<const std::byte> records, std::uint64_t next, bool eof,
                       std::string_view error) override;
    /// Saves LASTING GLOBALV and writes "LOGOFF AT ...".
    void on_logoff(guest::Context& ctx) override;

  private:
    CommandProcessor& processor(guest::Context& ctx);
    std::optional<int> run_line(guest::Context& ctx, std::string_view line);
    std::optional<int> finish_command(guest::Context& ctx, std::optional<int> rc);
    std::optional<int> send_smsg(guest::Context& ctx, const OutboundSmsg& msg);
    std::optional<int> send_cp(guest::Context& ctx, const std::string& text,
                               std::string_view refused);
    std::optional<int> end_line(guest::Context& ctx, std::optional<int> rc);
    std::optional<int> carry_out(guest::Context& ctx, CommandResult r);
    void end_running(guest::Context& ctx, CommandResult r);

    std::unique_ptr<CommandProcessor> processor_;
    std::uint32_t next_tag_ = 1;
    std::optional<std::uint32_t> pending_tag_;
    /// A command still running (a pipeline waiting for CP, an SMSG or a
    /// console line); its events go to it until it ends.
    std::shared_ptr<RunningCommand> running_;
    bool pending_implicit_ = false; ///< the CP command out is IMPCP
    CmsHost host_;
    SpoolJobs spool_; ///< PUNCH, PRINT, SENDFILE, RECEIVE, PEEK in progress
};

} // namespace cpd::cms
