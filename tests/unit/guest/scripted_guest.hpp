// SPDX-License-Identifier: MIT
// ScriptedGuest: a test Handler that reports every callback as a console line
// ("IPL", "SMSG FROM text", "COMPLETE path PEER", ...) and obeys console
// commands that exercise the Context ("CONNECT PEER", "SEND 1 2WAY 10", ...),
// so a FakeCp parent can drive and observe the runtime through real frames.
#pragma once

#include "cpd/guest/handler.hpp"
#include "cpd/proto/spool_frame.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace cpd::test {

class ScriptedGuest : public guest::Handler {
  public:
    bool accept = true;        ///< answer to on_connection_pending
    bool fill_on_ipl = false;  ///< on_ipl sends SMSGs until the ring is busy
    bool throw_on_ipl = false; ///< on_ipl throws
    /// The guest's own inbound sleep flag (FakeCp::guest_sleep_flag), for SOON.
    const std::atomic<std::uint32_t>* sleep_flag = nullptr;

    void on_ipl(guest::Context& ctx) override {
        if (throw_on_ipl) {
            throw std::runtime_error("ipl failed");
        }
        if (fill_on_ipl) {
            while (sent_before_busy_ < 100000 &&
                   ctx.send_smsg("SINK", "x") == guest::SendStatus::ok) {
                ++sent_before_busy_;
            }
            return; // the ring is full: nothing more can be written now
        }
        ctx.console_write("IPL " + std::string(ctx.userid().str()) + " " + std::string(ctx.parm()));
    }
    void on_smsg(guest::Context& ctx, const guest::Userid& from, std::string_view text) override {
        if (text == "THROW") {
            throw std::runtime_error("boom");
        }
        if (!text.empty() && text[0] >= '0' && text[0] <= '9') {
            in_order_ = in_order_ && std::stoul(std::string(text)) == numbered_ + 1;
            ++numbered_;
            return;
        }
        ctx.console_write("SMSG " + std::string(from.str()) + " " + std::string(text));
        if (text == "WAIT") { // waiting is refused outside on_ipl and on_console_input
            ctx.console_write(ctx.wait_for(guest::wait_console_input, std::nullopt).kind ==
                                      guest::WaitEvent::Kind::refused
                                  ? "WAIT REFUSED"
                                  : "WAIT ALLOWED");
        }
    }
    void on_logoff(guest::Context& ctx) override { ctx.console_write("LOGOFF"); }
    void on_reader_file(guest::Context& ctx, const guest::ReaderFile& f) override {
        ctx.console_write("RDRFILE " + std::to_string(f.spoolid) + " " + std::string(f.from.str()) +
                          " " + std::string(f.origin) + " " + f.spool_class + " " +
                          std::to_string(f.records) + (f.hold ? " HOLD " : " NOHOLD ") +
                          std::string(f.name) + "." + std::string(f.type));
    }
    void on_spool_data(guest::Context& ctx, std::uint32_t tag, proto::CpRc rc,
                       std::span<const std::byte> records, std::uint64_t next, bool eof,
                       std::string_view error) override {
        std::string text = "SPOOLDATA " + std::to_string(tag) + " rc " +
                           std::to_string(static_cast<int>(rc)) + " next " + std::to_string(next) +
                           (eof ? " eof" : "") + " " + std::string(error);
        proto::for_each_record(records, [&](std::span<const std::byte> r) {
            text += "[" + std::string(reinterpret_cast<const char*>(r.data()), r.size()) + "]";
        });
        ctx.console_write(text);
    }
    std::optional<int> on_console_input(guest::Context& ctx, std::string_view line) override;

    bool on_connection_pending(guest::Context& ctx, guest::PathId p, const guest::Userid& from,
                               const guest::UserData&) override {
        ctx.console_write("PENDING " + std::to_string(p) + " " + std::string(from.str()));
        return accept;
    }
    void on_connection_complete(guest::Context& ctx, guest::PathId p, const guest::Userid& peer,
                                const guest::UserData&) override {
        ctx.console_write("COMPLETE " + std::to_string(p) + " " + std::string(peer.str()));
    }
    void on_connection_failed(guest::Context& ctx, guest::PathId p, guest::IucvRc rc) override {
        ctx.console_write("FAILED " + std::to_string(p) + " " + rc_name(rc));
    }
    void on_connection_severed(guest::Context& ctx, guest::PathId p, const guest::Userid& peer,
                               const guest::UserData&) override {
        ctx.console_write("SEVERED " + std::to_string(p) + " " + std::string(peer.str()));
    }
    void on_iucv_message(guest::Context& ctx, guest::PathId p, std::uint32_t msgid,
                         std::span<const std::byte> data, bool two_way) override {
        ctx.console_write("MESSAGE " + std::to_string(p) + " " + std::to_string(msgid) + " " +
                          std::to_string(data.size()) + (two_way ? " 2WAY" : " 1WAY"));
    }
    void on_iucv_reply(guest::Context& ctx, guest::PathId p, std::uint32_t msgid,
                       std::span<const std::byte>) override {
        ctx.console_write("REPLYIN " + std::to_string(p) + " " + std::to_string(msgid));
    }
    void on_iucv_send_failed(guest::Context& ctx, guest::PathId p, std::uint32_t msgid,
                             guest::IucvRc rc) override {
        ctx.console_write("SENDFAILED " + std::to_string(p) + " " + std::to_string(msgid) + " " +
                          rc_name(rc));
    }
    void on_path_quiesced(guest::Context& ctx, guest::PathId p, const guest::UserData&) override {
        ctx.console_write("QUIESCED " + std::to_string(p));
    }
    void on_path_resumed(guest::Context& ctx, guest::PathId p, const guest::UserData&) override {
        ctx.console_write("RESUMED " + std::to_string(p));
    }

    static std::string rc_name(guest::IucvRc rc) { return std::string(proto::iucv_rc_name(rc)); }

  private:
    std::optional<int> iucv_command(guest::Context& ctx, const std::string& verb,
                                    std::istringstream& args);

    std::uint64_t numbered_ = 0;
    bool in_order_ = true;
    int sent_before_busy_ = 0;
};

/// Console commands: SMSG to text | LOGOFF | REPORT | LATER rc | SOON | THROW | WRITE text |
/// LONG n | SETSMSG ON|OFF | CP tag text | and the IUCV verbs in iucv_command.
inline std::optional<int> ScriptedGuest::on_console_input(guest::Context& ctx,
                                                          std::string_view line) {
    std::istringstream args{std::string(line)};
    std::string verb;
    args >> verb;
    std::string rest;
    std::getline(args >> std::ws, rest);
    if (verb == "SMSG") {
        const auto sp = rest.find(' ');
        ctx.console_write(std::string(describe(ctx.send_smsg(
            rest.substr(0, sp), sp == std::string::npos ? "" : rest.substr(sp + 1)))));
    } else if (verb == "LOGOFF") {
        ctx.logoff();
    } else if (verb == "REPORT") {
        ctx.console_write("GOT " + std::to_string(numbered_) + (in_order_ ? " IN ORDER" : " BAD") +
                          " BUSY AFTER " + std::to_string(sent_before_busy_));
    } else if (verb == "LATER") {
        const int rc = std::stoi(rest);
        ctx.call_later(std::chrono::milliseconds(5), [rc](guest::Context& c) {
            c.console_write("LATE");
            c.console_end(rc);
        });
        return std::nullopt;
    } else if (verb == "SOON") { // call_later work due now; says if the loop slept first
        ctx.call_later(std::chrono::microseconds(0), [this](guest::Context& c) {
            const bool asleep = sleep_flag != nullptr && sleep_flag->load() != 0;
            c.console_write(asleep ? "SOON AFTER SLEEP" : "SOON AWAKE");
            c.console_end(0);
        });
        return std::nullopt;
    } else if (verb == "IMMEDIATE") { // a computing program polling for HX (up to 5 s)
        const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(5);
        bool taken = false;
        while (!taken && std::chrono::steady_clock::now() < end) {
            taken = ctx.take_immediate("HX");
        }
        ctx.console_write(taken ? "IMMEDIATE TAKEN" : "IMMEDIATE NONE");
    } else if (verb == "WAIT") { // WAIT CONSOLE|CP|SMSG|MSG|RDR... [ms]: Context::wait_for
        std::istringstream w{rest};
        unsigned kinds = 0;
        std::optional<guest::WaitDeadline::value_type> deadline;
        for (std::string k; w >> k;) {
            if (k == "CONSOLE") {
                kinds |= guest::wait_console_input;
            } else if (k == "CP") {
                kinds |= guest::wait_cp_response;
            } else if (k == "SMSG") {
                kinds |= guest::wait_smsg;
            } else if (k == "MSG") {
                kinds |= guest::wait_message;
            } else if (k == "RDR") {
                kinds |= guest::wait_reader_file;
            } else {
                deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(std::stoi(k));
            }
        }
        const guest::WaitEvent ev = ctx.wait_for(kinds, deadline);
        static constexpr const char* names[] = {"CONSOLE", "CP",     "SMSG",   "MSG",
                                                "RDR",     "TIMEOUT", "LOGOFF", "REFUSED"};
        ctx.console_write(std::string("WAITED ") + names[static_cast<int>(ev.kind)] + " " +
                          ev.from + (ev.from.empty() ? "" : " ") + std::to_string(ev.tag) + " " +
                          ev.text);
    } else if (verb == "THROW") {
        throw std::logic_error("console command failed");
    } else if (verb == "WRITE") {
        for (auto& c : rest) {
            c = c == '|' ? '\n' : c;
        }
        ctx.console_write(rest);
    } else if (verb == "LONG") {
        ctx.console_write(std::string(std::stoul(rest), 'a'));
    } else if (verb == "SETSMSG") {
        ctx.set_smsg(rest == "ON");
    } else if (verb == "CP") {
        std::istringstream cp{rest};
        std::uint32_t tag = 0;
        std::string text;
        cp >> tag >> std::ws;
        std::getline(cp, text);
        ctx.console_write(std::string(describe(ctx.cp_command(tag, text))));
    } else {
        std::istringstream iucv_args{rest};
        return iucv_command(ctx, verb, iucv_args);
    }
    return 0;
}

/// CONNECT target [msglimit] | SEND path 1WAY|2WAY size | REPLY path msgid |
/// SEVER path | QUIESCE path | RESUME path; each writes "<VERB> [id] <rc name>".
inline std::optional<int> ScriptedGuest::iucv_command(guest::Context& ctx, const std::string& verb,
                                                      std::istringstream& args) {
    std::string first;
    args >> first;
    if (verb == "CONNECT") {
        unsigned limit = 0;
        args >> limit;
        const auto r = ctx.iucv_connect(first, guest::user_data_from("TEST"),
                                        static_cast<std::uint16_t>(limit));
        ctx.console_write("CONNECT " + std::to_string(r.path) + " " + rc_name(r.rc));
        return 0;
    }
    if (verb != "SEND" && verb != "REPLY" && verb != "SEVER" && verb != "QUIESCE" &&
        verb != "RESUME") {
        return Handler::on_console_input(ctx, verb);
    }
    const auto path = static_cast<guest::PathId>(std::stoul(first));
    if (verb == "SEND") {
        std::string mode;
        std::size_t size = 0;
        args >> mode >> size;
        const std::vector<std::byte> data(size, std::byte{'d'});
        const auto r = ctx.iucv_send(path, data, mode == "2WAY");
        ctx.console_write("SEND " + std::to_string(r.msgid) + " " + rc_name(r.rc));
    } else if (verb == "REPLY") {
        std::uint32_t msgid = 0;
        args >> msgid;
        const std::vector<std::byte> data(3, std::byte{'r'});
        ctx.console_write("REPLY " + rc_name(ctx.iucv_reply(path, msgid, data)));
    } else if (verb == "SEVER") {
        ctx.console_write("SEVER " + rc_name(ctx.iucv_sever(path)));
    } else if (verb == "QUIESCE") {
        ctx.console_write("QUIESCE " + rc_name(ctx.iucv_quiesce(path)));
    } else {
        ctx.console_write("RESUME " + rc_name(ctx.iucv_resume(path)));
    }
    return 0;
}

} // namespace cpd::test
