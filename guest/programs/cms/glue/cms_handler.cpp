// SPDX-License-Identifier: MIT
// The CMS guest's callbacks: everything a command decides is done by the
// CommandProcessor; this file only moves lines and side effects between it
// and the guest Context, and keeps the one CP command that may be in flight.
#include "cms_handler.hpp"

#include "cpd/proto/guest_launch.hpp"
#include "cpd/proto/version.hpp"

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <utility>

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

// CMS's Ready line: "Ready;" for 0, else the rc with at least 5 digits
// ("Ready(00028);") or 4 after a minus ("Ready(-0003);").
std::string ready_line(int rc) {
    if (rc == 0) {
        return "Ready;";
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, rc < 0 ? "Ready(-%04d);" : "Ready(%05d);", rc < 0 ? -rc : rc);
    return buf;
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
        processor_->set_host(&host_);
    }
    host_.bind(ctx);
    return *processor_;
}

void CmsHandler::on_ipl(guest::Context& ctx) {
    write(ctx, "z/VM CMS Machine Environment (cpd " + std::string(proto::product_version) +
                   ") - userid " + std::string(ctx.userid().str()));
    ctx.set_smsg(true);
    for (const std::string& line : processor(ctx).ipl()) {
        write(ctx, line);
    }
    // PROFILE EXEC runs before the first Ready; (its rc is not shown, as in
    // CMS), then whatever it left on the stack, as commands.
    host_.begin_command();
    CommandResult profile = processor(ctx).run_profile();
    for (const std::string& l : profile.lines) {
        write(ctx, l);
    }
    if (host_.logoff_requested()) {
        ctx.logoff();
        return;
    }
    std::optional<int> rc = 0;
    while (rc) {
        std::optional<std::string> next = processor(ctx).take_stacked_line();
        if (!next) {
            break;
        }
        write(ctx, *next);
        rc = run_line(ctx, *next);
        if (rc) {
            write(ctx, ready_line(*rc));
        }
    }
    write(ctx, "");
}

// An SMSG goes to a running starmsg pipeline if one waits, else to the console.
void CmsHandler::on_smsg(guest::Context& ctx, const guest::Userid& from, std::string_view text) {
    if (running_ && running_->wants_smsg()) {
        end_running(ctx, running_->smsg(from.str(), text));
        return;
    }
    write(ctx, processor(ctx).receive_smsg(from.str(), text));
}

void CmsHandler::on_message(guest::Context& ctx, const guest::Userid& from,
                            std::string_view text, proto::MessageKind kind) {
    if (kind == proto::MessageKind::msg || kind == proto::MessageKind::warning) {
        processor(ctx).receive_msg(from.str(), text);
    }
    guest::Handler::on_message(ctx, from, text, kind);
}

void CmsHandler::on_cp_message(guest::Context& ctx, std::string_view text) {
    write_lines(ctx, text);
}

// CP's answer ends the console command that issued it, or goes to the
// running command (a pipeline's cp stage) that asked for it.
void CmsHandler::on_cp_response(guest::Context& ctx, std::uint32_t tag, proto::CpRc rc,
                                std::string_view text) {
    if (spool_.on_cp_response(ctx, tag, rc, text)) {
        return; // a PUNCH, SENDFILE or RECEIVE in progress asked for it
    }
    const bool ours = pending_tag_ && *pending_tag_ == tag;
    if (ours && running_) {
        pending_tag_.reset();
        end_running(ctx, running_->cp_answer(static_cast<int>(rc), text));
        return;
    }
    if (ours && pending_implicit_ && rc == proto::CpRc::unknown_command) {
        // IMPCP: neither CMS nor CP knows the word.
        pending_tag_.reset();
        write(ctx, "Unknown CP/CMS command");
        if (const auto end = end_line(ctx, -3)) {
            ctx.console_end(*end);
        }
        return;
    }
    write_lines(ctx, text);
    if (ours) {
        pending_tag_.reset();
        if (const auto end = end_line(ctx, static_cast<int>(rc))) {
            ctx.console_end(*end);
        }
    }
}

// Carries out what a running command returned; ends the console command
// when it is done.
void CmsHandler::end_running(guest::Context& ctx, CommandResult r) {
    if (const std::optional<int> rc = carry_out(ctx, std::move(r))) {
        ctx.console_end(*rc);
    }
}

// Sends an SMSG for SMSG through CP's SMSG command, so that CP's answer
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

// Modal hook (XEDIT): while a modal session holds the console, a line ends
// with its mode instead of "Ready;"; otherwise the rc goes back as usual.
std::optional<int> CmsHandler::end_line(guest::Context& ctx, std::optional<int> rc) {
    const proto::ConsoleMode mode = processor(ctx).console_mode();
    if (!rc || mode == proto::ConsoleMode::command) {
        return rc;
    }
    ctx.console_end_in(*rc, mode);
    return std::nullopt;
}

// A line typed while a command runs is HX (halt it) or, for a pipeline that
// reads the console, its next record; anything else is refused, with why.
// Otherwise the line runs, then what it left on the program stack and any
// lines typed ahead while it ran, each as a command (CMS reads the stack,
// then the terminal), with a Ready line between them; the last rc ends the
// console command.
std::optional<int> CmsHandler::on_console_input(guest::Context& ctx, std::string_view line) {
    host_.bind(ctx);
    if (running_) {
        if (is_hx(line)) {
            pending_tag_.reset(); // a late CP answer is then only shown
            return carry_out(ctx, std::exchange(running_, nullptr)->halt());
        }
        if (running_->wants_console()) {
            return carry_out(ctx, running_->console_line(line));
        }
        write(ctx, "DMSPIP001E A command is running; HX halts it; line ignored: " +
                       std::string(line));
        return std::nullopt;
    }
    if (is_hx(line)) {
        return 0; // HX with nothing running: nothing to halt
    }
    host_.begin_command();
    return finish_command(ctx, run_line(ctx, line));
}

std::optional<int> CmsHandler::finish_command(guest::Context& ctx, std::optional<int> rc) {
    while (rc) {
        if (host_.logoff_requested()) {
            ctx.logoff();
            return std::nullopt;
        }
        if (host_.halt_requested()) {
            // HX abandons everything: the stack too, as in CMS (an EXEC
            // that stacks its own name again cannot outlive an HX).
            processor(ctx).execute("DESBUF");
        }
        std::optional<std::string> next = processor(ctx).take_stacked_line();
        if (!next) {
            next = host_.take_typeahead();
        }
        if (!next) {
            break;
        }
        write(ctx, ready_line(*rc));
        write(ctx, *next);
        host_.begin_command();
        rc = run_line(ctx, *next);
    }
    return rc;
}

std::optional<int> CmsHandler::run_line(guest::Context& ctx, std::string_view line) {
    return carry_out(ctx, processor(ctx).execute(line));
}

// Shows a result's lines and does its side effect; its rc, or nullopt while
// the command goes on (a CP answer or an event to wait for).
std::optional<int> CmsHandler::carry_out(guest::Context& ctx, CommandResult r) {
    for (;;) {
        for (const std::string& l : r.lines) {
            write(ctx, l);
        }
        running_ = std::move(r.running);
        if (!running_ || !running_->is_ready()) {
            break;
        }
        r = running_->resume(); // it paused only so that its output is shown
    }
    if (running_ && r.cp_command) {
        const std::optional<int> refused =
            send_cp(ctx, *r.cp_command, "DMSCPX026E CP command not sent: ");
        if (refused) { // the pipeline gets the refusal as CP's answer
            return carry_out(ctx, running_->cp_answer(*refused, ""));
        }
        return std::nullopt;
    }
    if (running_) {
        return std::nullopt;
    }
    pending_implicit_ = r.implicit_cp;
    if (r.smsg) {
        return end_line(ctx, send_smsg(ctx, *r.smsg));
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
        return end_line(ctx, send_cp(ctx, *r.cp_command, "DMSCPX026E CP command not sent: "));
    }
    return end_line(ctx, r.rc);
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
