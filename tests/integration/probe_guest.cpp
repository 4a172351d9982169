// SPDX-License-Identifier: MIT
// PROBE: a guest for the integration tests. It appends every event it sees
// to the file named by its PARM ("IPL", "SMSG <from> <text>", "CPMSG <text>",
// "CPRESP <rc> <text>", "MESSAGE <kind> <from> <text>", "RDRFILE <spoolid> <from> <records>",
// "PUNCHED <records>", "LOGOFF") and obeys SMSGs starting with '!': !SMSGOFF, !SEND <to>
// <text>, !SENDLEN <to> <n>, !CP <command>, !PUNCH <to> <kib> (punches kib KiB of 1 KiB
// records to <to>'s reader, retrying while its ring is full, then CLOSEs), !STOPPUNCH (ends
// that file early), !LOGOFF, !PANIC.
#include "cpd/guest/run.hpp"
#include "cpd/proto/message_form.hpp"
#include "cpd/proto/spool_frame.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using namespace cpd::guest;

class ProbeGuest final : public Handler {
public:
    void on_ipl(Context& ctx) override {
        file_ = std::fopen(std::string(ctx.parm()).c_str(), "a");
        record("IPL " + std::string(ctx.userid().str()));
    }
    void on_smsg(Context& ctx, const Userid& from, std::string_view text) override {
        record("SMSG " + std::string(from.str()) + " " + std::string(text));
        if (!text.empty() && text.front() == '!') {
            obey(ctx, text.substr(1));
        }
    }
    void on_cp_message(Context&, std::string_view text) override {
        record("CPMSG " + std::string(text));
    }
    void on_message(Context&, const Userid& from, std::string_view text,
                    cpd::proto::MessageKind kind) override {
        record("MESSAGE " + std::string(cpd::proto::kind_name(kind)) + " " +
               std::string(from.str()) + " " + std::string(text));
    }
    void on_cp_response(Context&, std::uint32_t, cpd::proto::CpRc rc,
                        std::string_view text) override {
        std::string flat(text);
        for (char& c : flat) {
            c = c == '\n' ? '|' : c;
        }
        record("CPRESP " + std::to_string(static_cast<int>(rc)) + " " + flat);
    }
    void on_reader_file(Context&, const ReaderFile& file) override {
        record("RDRFILE " + std::to_string(file.spoolid) + " " + std::string(file.from.str()) +
               " " + std::to_string(file.records));
    }
    void on_logoff(Context&) override {
        record("LOGOFF");
        if (file_ != nullptr) {
            std::fclose(file_);
            file_ = nullptr;
        }
    }

private:
    void obey(Context& ctx, std::string_view cmd) {
        auto arg = [&](std::size_t n) { // n-th blank-separated word, and the rest after it
            std::size_t pos = 0;
            for (std::size_t i = 0; i < n; ++i) {
                pos = cmd.find(' ', pos);
                pos = pos == std::string_view::npos ? cmd.size() : pos + 1;
            }
            return cmd.substr(pos);
        };
        auto first = [](std::string_view s) { return s.substr(0, s.find(' ')); };
        if (cmd == "SMSGOFF") {
            ctx.set_smsg(false);
        } else if (cmd.starts_with("SEND ")) {
            SendStatus s = ctx.send_smsg(first(arg(1)), arg(2));
            record("SENT " + std::string(describe(s)));
        } else if (cmd.starts_with("SENDLEN ")) {
            std::string text(std::stoul(std::string(first(arg(2)))), 'x');
            SendStatus s = ctx.send_smsg(first(arg(1)), text);
            record("SENT " + std::to_string(text.size()) + " " + std::string(describe(s)));
        } else if (cmd.starts_with("CP ")) {
            ctx.cp_command(++tag_, arg(1));
        } else if (cmd.starts_with("PUNCH ")) {
            ctx.cp_command(++tag_, "SPOOL PUN TO " + std::string(first(arg(1))));
            punch_left_ = std::stoul(std::string(first(arg(2))));
            punched_ = 0;
            punch(ctx);
        } else if (cmd == "STOPPUNCH") {
            punch_left_ = 0; // the running punch() ends its file at its next call
        } else if (cmd == "LOGOFF") {
            ctx.logoff();
        } else if (cmd == "PANIC") {
            throw std::runtime_error("probe panic");
        }
    }
    /// Writes 1 KiB records, 32 a frame, until the ring is full (then again
    /// shortly) or all are written (then CLOSE, whose CPRESP ends the punch).
    void punch(Context& ctx) {
        std::vector<std::byte> stream;
        const std::vector<std::byte> rec(1024, std::byte{'p'});
        for (; punch_left_ > 0;) {
            stream.clear();
            const std::size_t n = std::min<std::size_t>(punch_left_, 32);
            for (std::size_t i = 0; i < n; ++i) {
                cpd::proto::append_record(stream, rec);
            }
            const SendStatus s = ctx.spool_write(0x000D, stream);
            if (s == SendStatus::busy) {
                ctx.call_later(std::chrono::microseconds(200), [this](Context& c) { punch(c); });
                return;
            }
            if (s != SendStatus::ok) {
                record("PUNCH FAILED " + std::string(describe(s)));
                return;
            }
            punch_left_ -= n;
            punched_ += n;
        }
        record("PUNCHED " + std::to_string(punched_));
        close_punch(ctx);
    }
    /// CLOSE 000D, again shortly while the ring is still full of punch data.
    void close_punch(Context& ctx) {
        if (ctx.cp_command(++tag_, "CLOSE 000D") == SendStatus::busy) {
            ctx.call_later(std::chrono::microseconds(200), [this](Context& c) { close_punch(c); });
        }
    }
    void record(const std::string& line) {
        if (file_ != nullptr) {
            std::fprintf(file_, "%s\n", line.c_str());
            std::fflush(file_);
        }
    }

    std::FILE* file_ = nullptr;
    std::uint32_t tag_ = 0;
    std::size_t punch_left_ = 0, punched_ = 0;
};

} // namespace

int main() { return cpd::guest::run_guest<ProbeGuest>(); }
