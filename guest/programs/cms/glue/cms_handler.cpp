// SPDX-License-Identifier: MIT
// The CMS guest's callbacks: everything a command decides is done by the
// CommandProcessor; this file only moves lines and side effects between it
// and the guest Context, and keeps the one CP command that may be in flight.
#include "cms_handler.hpp"

#include "cpd/proto/guest_launch.hpp"
#include "cpd/proto/version.hpp"

#include <cstdlib>
#include <ctime>
#include <string>

namespace cpd::cms {

namespace {

// Writes one line, with characters a console line may not hold replaced.
void write(guest::Context& ctx, std::string_view line) {
    if (ctx.console_write(line) == guest::SendStatus::invalid_text) {
        std::string clean(line);
        for (char& c : clean) {
            c = (c == '\0' || c == '\r' || c == '\n') ? '.' : c;
        }
        ctx.console_write(clean);
    }
}

// Writes text that may hold several lines.
void write_lines(guest::Context& ctx, std::string_view text) {
    while (!text.empty()) {
        const auto eol = text.find('\n');
        write(ctx, text.substr(0, eol));
        text = eol == std::string_view::npos ? std::string_view{} : text.substr(eol + 1);
    }
}

// The rc of a command the runtime refused: 24 for what the user typed, else 28.
int send_failure_rc(guest::SendStatus s) {
    using guest::SendStatus;
    const bool bad_input = s == SendStatus::invalid_userid || s == SendStatus::text_too_long ||
                           s == SendStatus::invalid_text;
    return bad_input ? 24 : 28;
}

} // namespace

void CmsHandler::on_device_change(guest::Context& ctx, std::uint16_t vdev, bool attached,
                                  bool write, std::string_view path) {
    processor(ctx).device_change(vdev, attached, write, path);
}

// Creates the processor on first use, from the userid and CPD_GUEST_DISKS.
CommandProcessor& CmsHandler::processor(guest::Context& ctx) {
    if (!processor_) {
        const char* env = std::getenv(proto::guest_disks_env);
        DiskConfigList disks = parse_disk_config(env == nullptr ? "" : env);
        for (const std::string& e : disks.errors) {
            write(ctx, "DMSACC112S " + e);
        }
        processor_ = std::make_unique<CommandProcessor>(std::string(ctx.userid().str()),
                                                        std::move(disks.disks));
    }
    return *processor_;
}

void CmsHandler::on_ipl(guest::Context& ctx) {
    write(ctx, "z/VM CMS Machine Environment (cpd " + std::string(proto::product_version) +
                   ") - userid " + std::string(ctx.userid().str()));
    ctx.set_smsg(true);
    for (const std::string& line : processor(ctx).ipl()) {
        write(ctx, line);
    }
    write(ctx, "");
}

void CmsHandler::on_smsg(guest::Context& ctx, const guest::Userid& from, std::string_view text) {
    write(ctx, processor(ctx).receive_smsg(from.str(), text));
}

void CmsHandler::on_cp_message(guest::Context& ctx, std::string_view text) {
    write_lines(ctx, text);
}

void CmsHandler::on_cp_response(guest::Context& ctx, std::uint32_t tag, proto::CpRc rc,
                                std::string_view text) {
    if (spool_.on_cp_response(ctx, tag, rc, text)) {
        return;
    }
    write_lines(ctx, text);
    if (pending_tag_ && *pending_tag_ == tag) {
        pending_tag_.reset();
        ctx.console_end(static_cast<int>(rc));
    }
}

// Sends an SMSG for SMSG/TELL through CP's SMSG command, so that CP's answer
// (HCP045E, HCP057I, ...) and its rc end the console command, as on CMS. The
// command checked the userid and the text's length; anything else the runtime
// refuses (a full ring, a forbidden byte) comes back as its status.
std::optional<int> CmsHandler::send_smsg(guest::Context& ctx, const OutboundSmsg& msg) {
    return send_cp(ctx, "SMSG " + msg.to + " " + msg.text,
                   "DMSMSG045E Message to " + msg.to + " not sent: ");
}

// Passes a command to CP; the console command ends when the response arrives.
// If the runtime refuses it, `refused` and the reason are shown instead.
std::optional<int> CmsHandler::send_cp(guest::Context& ctx, const std::string& text,
                                       std::string_view refused) {
    const std::uint32_t tag = next_tag_++;
    const guest::SendStatus s = ctx.cp_command(tag, text);
    if (s == guest::SendStatus::ok) {
        pending_tag_ = tag;
        return std::nullopt;
    }
    write(ctx, std::string(refused) + std::string(guest::describe(s)));
    return send_failure_rc(s);
}

std::optional<int> CmsHandler::on_console_input(guest::Context& ctx, std::string_view line) {
    CommandResult r = processor(ctx).execute(line);
    for (const std::string& l : r.lines) {
        write(ctx, l);
    }
    if (r.smsg) {
        return send_smsg(ctx, *r.smsg);
    }
    if (r.logoff) {
        // No end marker: the command ends with the guest, and "LOGOFF AT"
        // from on_logoff is the last line, with no "Ready;" before it (CMS).
        ctx.logoff();
        return std::nullopt;
    }
    if (r.spool_send) {
        return spool_.start_send(ctx, *r.spool_send, r.cp_command);
    }
    if (r.spool_receive) {
        return spool_.start_receive(ctx, *r.spool_receive);
    }
    if (r.cp_command) {
        return send_cp(ctx, *r.cp_command, "DMSCPX026E CP command not sent: ");
    }
    return r.rc;
}

void CmsHandler::on_spool_data(guest::Context& ctx, std::uint32_t tag, proto::CpRc rc,
                               std::span<const std::byte> records, std::uint64_t next, bool eof,
                               std::string_view error) {
    spool_.on_spool_data(ctx, tag, rc, records, next, eof, error);
}

void CmsHandler::on_logoff(guest::Context& ctx) {
    for (const std::string& line : processor(ctx).logoff()) {
        write(ctx, line);
    }
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    localtime_r(&now, &tm);
    char stamp[64];
    std::strftime(stamp, sizeof stamp, "%H:%M:%S %Z %A %m/%d/%y", &tm);
    std::string text = "LOGOFF AT " + std::string(stamp);
    for (char& c : text) {
        c = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
    }
    write(ctx, text);
}

} // namespace cpd::cms
