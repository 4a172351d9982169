// SPDX-License-Identifier: MIT
// IUCVPROBE: a scriptable IUCV guest for the integration tests. It appends every
// callback and the return code of every call to the file named by its PARM, and
// obeys SMSG commands: CONNECT target [msglimit [userdata [text [rawtext]]]], SEND, SEND2, SENDLEN,
// SENDMANY, REPLY, SEVER, QUIESCE, RESUME, TOGGLE (path n: n x QUIESCE+RESUME), REFUSE,
// AUTOREPLY, ONCOMPLETE, RAWSEND, RAWSEND2, CP, CPFLOOD (n command: n CP commands, then
// 5 s without reading its ring), LOGOFF. RAW* bypass the runtime's local checks (as a buggy guest would) to test cpd's.
#include "context_impl.hpp"
#include "cpd/guest/run.hpp"

#include <cstdio>
#include <string>
#include <vector>

#include <unistd.h>

namespace {

using namespace cpd::guest;
using Bytes = std::span<const std::byte>;

/// Byte `i` of a SENDLEN message; the receiver checks the whole pattern.
std::byte pattern(std::size_t i) {
    return static_cast<std::byte>((i * 131 + 7) & 0xFF);
}

std::string num(unsigned long long v) {
    return std::to_string(v);
}
std::string rc_text(IucvRc rc) {
    return num(static_cast<unsigned>(rc));
}

/// The user data as text, trailing blanks and NULs removed.
std::string ud_text(const UserData& ud) {
    std::string s;
    for (std::byte b : ud) {
        s += static_cast<char>(b);
    }
    while (!s.empty() && (s.back() == ' ' || s.back() == '\0')) {
        s.pop_back();
    }
    return s.empty() ? "-" : s;
}

/// Short printable data as text, else its length and whether it has the SENDLEN pattern.
std::string describe_data(Bytes data) {
    bool printable = data.size() <= 80;
    std::string s;
    for (std::byte b : data) {
        const char c = static_cast<char>(b);
        printable = printable && c >= ' ' && c <= '~';
        s += c;
    }
    if (printable) {
        return s;
    }
    bool ok = true;
    for (std::size_t i = 0; i < data.size() && ok; ++i) {
        ok = data[i] == pattern(i);
    }
    return std::string(ok ? "PATTERN-OK" : "PATTERN-BAD");
}

Bytes as_bytes(std::string_view s) {
    return std::as_bytes(std::span(s.data(), s.size()));
}

class IucvProbe final : public Handler {
  public:
    void on_ipl(Context& ctx) override {
        file_ = std::fopen(std::string(ctx.parm()).c_str(), "a");
        record("IPL " + std::string(ctx.userid().str()));
    }
    void on_smsg(Context& ctx, const Userid&, std::string_view text) override {
        words_ = split(text);
        if (!words_.empty()) {
            obey(ctx, text);
        }
    }
    void on_cp_response(Context&, std::uint32_t, cpd::proto::CpRc rc,
                        std::string_view text) override {
        std::string flat(text);
        for (char& c : flat) {
            c = c == '\n' ? '|' : c;
        }
        record("CPRESP " + num(static_cast<unsigned>(rc)) + " " + flat);
    }
    void on_logoff(Context&) override {
        record("LOGOFF");
        if (file_ != nullptr) {
            std::fclose(file_);
            file_ = nullptr;
        }
    }
    bool on_connection_pending(Context&, PathId path, const Userid& from,
                               const UserData& ud) override {
        record("PENDING " + num(path) + " " + std::string(from.str()) + " " + ud_text(ud) +
               (refuse_ ? " REFUSED" : " ACCEPTED"));
        return !refuse_;
    }
    void on_connection_complete(Context& ctx, PathId path, const Userid& peer,
                                const UserData& ud) override {
        record("COMPLETE " + num(path) + " " + std::string(peer.str()) + " " + ud_text(ud));
        if (!on_complete_.empty()) {
            const IucvSendResult r = ctx.iucv_send(path, as_bytes(on_complete_));
            record("SEND " + num(path) + " rc=" + rc_text(r.rc) + " msgid=" + num(r.msgid));
        }
    }
    void on_connection_failed(Context&, PathId path, IucvRc rc) override {
        record("FAILED " + num(path) + " rc=" + rc_text(rc));
    }
    void on_connection_severed(Context&, PathId path, const Userid& peer,
                               const UserData& ud) override {
        record("SEVERED " + num(path) + " " + std::string(peer.str()) + " " + ud_text(ud));
    }
    void on_iucv_message(Context& ctx, PathId path, std::uint32_t msgid, Bytes data,
                         bool two_way) override {
        record("MSG " + num(path) + " " + num(msgid) + (two_way ? " 2WAY " : " 1WAY ") +
               num(data.size()) + " " + describe_data(data));
        if (two_way && auto_reply_) {
            std::string reply = "RE:" + describe_data(data);
            record("REPLY " + num(path) + " " + num(msgid) +
                   " rc=" + rc_text(ctx.iucv_reply(path, msgid, as_bytes(reply))));
        }
    }
    void on_iucv_reply(Context&, PathId path, std::uint32_t msgid, Bytes data) override {
        record("GOTREPLY " + num(path) + " " + num(msgid) + " " + describe_data(data));
    }
    void on_iucv_send_failed(Context&, PathId path, std::uint32_t msgid, IucvRc rc) override {
        record("SENDFAILED " + num(path) + " " + num(msgid) + " rc=" + rc_text(rc));
    }
    void on_path_quiesced(Context&, PathId path, const UserData& ud) override {
        record("QUIESCED " + num(path) + " " + ud_text(ud));
    }
    void on_path_resumed(Context&, PathId path, const UserData& ud) override {
        record("RESUMED " + num(path) + " " + ud_text(ud));
    }

  private:
    static std::vector<std::string> split(std::string_view text) {
        std::vector<std::string> out;
        std::size_t pos = 0;
        while (pos < text.size()) {
            const std::size_t end = std::min(text.find(' ', pos), text.size());
            if (end > pos) {
                out.emplace_back(text.substr(pos, end - pos));
            }
            pos = end + 1;
        }
        return out;
    }
    std::string word(std::size_t i) const { return i < words_.size() ? words_[i] : std::string(); }
    /// Word `i` as a number; 0 if it is not one.
    unsigned long number(std::size_t i) const {
        const std::string w = word(i);
        unsigned long v = 0;
        for (char c : w) {
            if (c < '0' || c > '9') {
                return 0;
            }
            v = v * 10 + static_cast<unsigned long>(c - '0');
        }
        return v;
    }
    PathId path_arg(std::size_t i) const { return static_cast<PathId>(number(i)); }
    /// The text after the first `n` words.
    static std::string rest(std::string_view text, std::size_t n) {
        std::size_t pos = 0;
        for (std::size_t i = 0; i < n && pos != std::string_view::npos; ++i) {
            pos = text.find(' ', pos);
            pos = pos == std::string_view::npos ? pos : pos + 1;
        }
        return pos == std::string_view::npos ? std::string() : std::string(text.substr(pos));
    }

    void obey(Context& ctx, std::string_view text) {
        const std::string& verb = words_[0];
        const PathId path = path_arg(1);
        if (verb == "CONNECT") {
            const auto limit = static_cast<std::uint16_t>(number(2));
            const ConnectResult r = ctx.iucv_connect(word(1), user_data_from(word(3)), limit);
            record("CONNECT " + word(1) + " rc=" + rc_text(r.rc) + " path=" + num(r.path));
            if (!word(4).empty() && r.rc == IucvRc::ok) { // CONNECT t l ud text: send at once
                send(ctx, r.path, word(4), false);
            }
            if (!word(5).empty() && r.rc == IucvRc::ok) { // ... and past the local checks
                raw_send(ctx, r.path, word(5), false);
            }
        } else if (verb == "SEND" || verb == "SEND2") {
            send(ctx, path, rest(text, 2), verb == "SEND2");
        } else if (verb == "SENDLEN") {
            std::vector<std::byte> data(number(2));
            for (std::size_t i = 0; i < data.size(); ++i) {
                data[i] = pattern(i);
            }
            const IucvSendResult r = ctx.iucv_send(path, data, word(3) == "2");
            record("SENDLEN " + num(path) + " " + num(data.size()) + " rc=" + rc_text(r.rc));
        } else if (verb == "SENDMANY") {
            send_many(ctx, path, 0, static_cast<std::uint32_t>(number(2)));
        } else if (verb == "REPLY") {
            const IucvRc rc = ctx.iucv_reply(path, static_cast<std::uint32_t>(number(2)),
                                             as_bytes(rest(text, 3)));
            record("REPLY " + num(path) + " " + word(2) + " rc=" + rc_text(rc));
        } else if (verb == "SEVER") {
            record("SEVER " + num(path) +
                   " rc=" + rc_text(ctx.iucv_sever(path, user_data_from(word(2)))));
        } else if (verb == "QUIESCE") {
            record("QUIESCE " + num(path) +
                   " rc=" + rc_text(ctx.iucv_quiesce(path, user_data_from(word(2)))));
        } else if (verb == "RESUME") {
            record("RESUME " + num(path) +
                   " rc=" + rc_text(ctx.iucv_resume(path, user_data_from(word(2)))));
        } else if (verb == "TOGGLE") {
            toggle(ctx, path, number(2));
        } else if (verb == "REFUSE") {
            refuse_ = word(1) == "ON";
        } else if (verb == "AUTOREPLY") {
            auto_reply_ = word(1) == "ON";
        } else if (verb == "ONCOMPLETE") {
            on_complete_ = rest(text, 1);
        } else if (verb == "RAWSEND" || verb == "RAWSEND2") {
            raw_send(ctx, path, rest(text, 2), verb == "RAWSEND2");
        } else if (verb == "CPFLOOD") {
            cp_flood(ctx, number(1), rest(text, 2));
        } else if (verb == "CP") {
            ctx.cp_command(++tag_, rest(text, 1));
        } else if (verb == "LOGOFF") {
            ctx.logoff();
        }
    }

    /// Issues `n` CP commands (waiting for room on its own ring), then stays in
    /// this handler for 5 s: a guest that asks CP for more than it reads.
    void cp_flood(Context& ctx, unsigned long n, const std::string& command) {
        auto* impl = dynamic_cast<cpd::guest::detail::ContextImpl*>(&ctx);
        for (unsigned long i = 0; i < n; ++i) {
            while (ctx.cp_command(++tag_, command) == SendStatus::busy) {
                impl->flush(); // the loop would wake cpd only after this handler
                ::usleep(100);
            }
            if (i % 64 == 0) {
                impl->flush();
            }
        }
        impl->flush();
        record("CPFLOOD " + num(n));
        ::sleep(5);
    }

    /// QUIESCE and RESUME `n` times in a row, as fast as the ring takes them.
    void toggle(Context& ctx, PathId path, unsigned long n) {
        unsigned long done = 0;
        for (; done < n; ++done) {
            if (ctx.iucv_quiesce(path, {}) != IucvRc::ok || ctx.iucv_resume(path, {}) != IucvRc::ok) {
                break;
            }
        }
        record("TOGGLE " + num(path) + " " + num(done));
    }

    void send(Context& ctx, PathId path, const std::string& text, bool two_way) {
        const IucvSendResult r = ctx.iucv_send(path, as_bytes(text), two_way);
        record("SEND " + num(path) + " rc=" + rc_text(r.rc) + " msgid=" + num(r.msgid));
    }

    /// A frame straight on the ring, past the runtime's checks (a misbehaving guest).
    void raw_send(Context& ctx, PathId path, const std::string& text, bool two_way) {
        auto* impl = dynamic_cast<cpd::guest::detail::ContextImpl*>(&ctx);
        const std::uint32_t msgid = 100000 + ++raw_msgid_;
        const bool ok = impl != nullptr &&
                        impl->push(cpd::proto::IucvSend{path, msgid, two_way, as_bytes(text)}) ==
                            cpd::ipc::RingStatus::ok;
        record("RAWSEND " + num(path) + " msgid=" + num(msgid) + (ok ? " queued" : " not-queued"));
    }

    /// Sends "seq <i>" for i in [from, count), retrying later while the ring is busy.
    void send_many(Context& ctx, PathId path, std::uint32_t from, std::uint32_t count) {
        for (std::uint32_t i = from; i < count; ++i) {
            const std::string text = "seq " + num(i);
            const IucvSendResult r = ctx.iucv_send(path, as_bytes(text));
            if (r.rc == IucvRc::busy) {
                ctx.call_later(std::chrono::microseconds(200), [this, path, i, count](Context& c) {
                    send_many(c, path, i, count);
                });
                return;
            }
            if (r.rc != IucvRc::ok) {
                record("SENDMANY " + num(path) + " stopped at " + num(i) + " rc=" + rc_text(r.rc));
                return;
            }
        }
        record("SENDMANY " + num(path) + " done " + num(count));
    }

    void record(const std::string& line) {
        if (file_ != nullptr) {
            std::fprintf(file_, "%s\n", line.c_str());
            std::fflush(file_);
        }
    }

    std::FILE* file_ = nullptr;
    std::vector<std::string> words_;
    std::string on_complete_;
    bool refuse_ = false;
    bool auto_reply_ = true;
    std::uint32_t tag_ = 0;
    std::uint32_t raw_msgid_ = 0;
};

} // namespace

int main() {
    return cpd::guest::run_guest<IucvProbe>();
}
