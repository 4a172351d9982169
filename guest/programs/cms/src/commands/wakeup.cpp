// SPDX-License-Identifier: MIT
// WAKEUP: waits, inside a running EXEC, for the first of the events asked
// for, and says which came by its rc (cms-programming.md §6):
//   2  the time: `+hh:mm:ss` (also `+mm:ss`, `+ss`) from now, or
//      `=hh:mm:ss` / `hh:mm:ss`, the next time the clock shows it;
//   3  a file arrived in the reader (option RDR; one already there does
//      not wake it), nothing stacked;
//   5  a message: an SMSG (options SMSG or IUCVMSG), or a MSG, MSGNOH or
//      WARNING from another user (IUCVMSG, as CMS's *MSG capture has them),
//      stacked FIFO as `*SMSG   SENDER   text`, `*MSG    SENDER   text` or
//      `*WNG    SENDER   text` (class and sender padded to 8);
//   6  a console line (option CONS): stacked FIFO for PULL;
//   24 bad operands, or nothing to wait for; 28 no console to wait on;
//   1  the EXEC is being halted (HX, logoff).
// QUIET is accepted (this WAKEUP never types messages); RESET ends nothing
// (no capture is kept between calls) and is rc 0. While WAKEUP waits, other
// events stay queued in order, as in a single-tasking CMS.
#include "commands/command_table.hpp"
#include "messages/messages.hpp"
#include "rexx/program_stack.hpp"

#include "cpd/cms/filespec.hpp"

#include <charconv>
#include <ctime>

namespace cpd::cms {

namespace {

using Clock = std::chrono::steady_clock;

CommandResult bad(std::string_view what) {
    return fail(rc_bad_operand, dms("WAK", 24, 'E', "Invalid operand: " + std::string(what)));
}

// "hh:mm:ss", "mm:ss" or "ss" as seconds; -1 if malformed.
long parse_clock(std::string_view text) {
    long total = 0;
    int parts = 0;
    while (!text.empty()) {
        const auto colon = text.find(':');
        const std::string_view part = text.substr(0, colon);
        long v = 0;
        const auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), v);
        if (ec != std::errc{} || end != part.data() + part.size() || part.empty() || v < 0 ||
            ++parts > 3 || (parts > 1 && v > 59)) {
            return -1;
        }
        total = total * 60 + v;
        text = colon == std::string_view::npos ? std::string_view{} : text.substr(colon + 1);
    }
    return parts == 0 ? -1 : total;
}

// The deadline for a time operand; nullopt if malformed.
std::optional<Clock::time_point> deadline_of(std::string_view op) {
    if (op.starts_with('+')) {
        const long s = parse_clock(op.substr(1));
        if (s < 0) {
            return std::nullopt;
        }
        return Clock::now() + std::chrono::seconds(s);
    }
    const std::string_view at = op.starts_with('=') ? op.substr(1) : op;
    const long s = parse_clock(at);
    if (s < 0 || s >= 24 * 3600 || at.size() != 8) {
        return std::nullopt;
    }
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    localtime_r(&now, &tm);
    long wait = s - (tm.tm_hour * 3600L + tm.tm_min * 60L + tm.tm_sec);
    if (wait <= 0) {
        wait += 24 * 3600; // the next time the clock shows it
    }
    return Clock::now() + std::chrono::seconds(wait);
}

std::string pad8(std::string_view s) {
    std::string out(s);
    if (out.size() < 8) {
        out.resize(8, ' ');
    }
    return out;
}

} // namespace

CommandResult cmd_wakeup(Session& s, const CommandLine& cl) {
    std::optional<Clock::time_point> deadline;
    unsigned kinds = 0;
    bool options = false;
    std::vector<std::string> args;
    for (const std::string& a : cl.args()) { // "(SMSG" is "(" and "SMSG"
        if (a.size() > 1 && a.front() == '(') {
            args.emplace_back("(");
            args.push_back(a.substr(1));
        } else {
            args.push_back(a);
        }
    }
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string w = to_upper(args[i]);
        if (w == "(") {
            options = true;
        } else if (!options && i == 0 && w == "RESET") {
            return {};
        } else if (!options && i == 0) {
            deadline = deadline_of(w);
            if (!deadline) {
                return bad(args[i]);
            }
        } else if (options && w == "SMSG") {
            kinds |= host_smsg;
        } else if (options && w == "IUCVMSG") {
            kinds |= host_smsg | host_message;
        } else if (options && (w == "RDR" || w == "READER")) {
            kinds |= host_reader;
        } else if (options && (w == "CONS" || w == "CONSOLE")) {
            kinds |= host_console;
        } else if (options && w == "QUIET") {
            // this WAKEUP types nothing anyway
        } else {
            return bad(args[i]);
        }
    }
    if (!deadline && kinds == 0) {
        return bad("nothing to wait for; give a time or ( SMSG, IUCVMSG, RDR or CONS");
    }
    if (s.host == nullptr) {
        return fail(rc_file_error, dms("WAK", 100, 'E', "WAKEUP needs a console to wait on"));
    }
    const HostEvent ev = s.host->wait_for_event(kinds, deadline);
    switch (ev.kind) {
    case HostEvent::Kind::timeout:
        return rc_only(2);
    case HostEvent::Kind::smsg:
    case HostEvent::Kind::message:
        rexx::stack_add(pad8(ev.msg_class) + pad8(ev.from) + ev.text, false);
        return rc_only(5);
    case HostEvent::Kind::reader:
        return rc_only(3);
    case HostEvent::Kind::console:
        rexx::stack_add(ev.text, false);
        return rc_only(6);
    case HostEvent::Kind::halted:
        break;
    }
    return rc_only(1);
}

} // namespace cpd::cms
