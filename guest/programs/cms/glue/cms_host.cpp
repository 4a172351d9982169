// SPDX-License-Identifier: MIT
// CmsHost: waiting for CP and the console on behalf of a running EXEC (see
// cms_host.hpp). Each wait is Context::wait_for, so the guest thread
// blocks as a single-tasking CMS does and every other event keeps its place.
#include "cms_host.hpp"

#include "cpd/ipc/log.hpp"

namespace cpd::cms {

namespace {

// Writes a line, with characters a console line may not hold replaced.
guest::SendStatus write_clean(guest::Context& ctx, std::string_view line) {
    const guest::SendStatus s = ctx.console_write(line);
    if (s != guest::SendStatus::invalid_text) {
        return s;
    }
    std::string clean(line);
    for (char& c : clean) {
        c = (c == '\0' || c == '\r' || c == '\n') ? '.' : c;
    }
    return ctx.console_write(clean);
}

std::vector<std::string> split(std::string_view text) {
    std::vector<std::string> out;
    while (!text.empty()) {
        const auto eol = text.find('\n');
        out.emplace_back(text.substr(0, eol));
        text = eol == std::string_view::npos ? std::string_view{} : text.substr(eol + 1);
    }
    return out;
}

} // namespace

bool is_hx(std::string_view line) noexcept {
    const auto b = line.find_first_not_of(' ');
    if (b == std::string_view::npos) {
        return false;
    }
    line = line.substr(b, line.find_last_not_of(' ') - b + 1);
    return line.size() == 2 && (line[0] == 'H' || line[0] == 'h') &&
           (line[1] == 'X' || line[1] == 'x');
}

std::optional<std::string> CmsHost::take_typeahead() {
    if (typeahead_.empty()) {
        return std::nullopt;
    }
    std::string line = std::move(typeahead_.front());
    typeahead_.pop_front();
    return line;
}

// A program that writes faster than its console reads fills the outbound
// ring: console_write then waits for room, as a CMS program waits for its
// console. Busy comes only after a minute without room: the EXEC is halted.
void CmsHost::write_line(std::string_view line) {
    if (ctx_ != nullptr && write_clean(*ctx_, line) == guest::SendStatus::busy) {
        halted_ = 1;
        CPD_LOG(warn, "cms: console output dropped: the outbound ring stayed full");
    }
}

void CmsHost::console_line(std::string line) {
    if (is_hx(line)) {
        CPD_LOG(info, "cms: HX: halting the running EXEC");
        halted_ = 1;
        return;
    }
    typeahead_.push_back(std::move(line));
}

CpAnswer CmsHost::cp_command(std::string_view command) {
    const std::uint32_t tag = next_tag_++;
    const guest::SendStatus s =
        ctx_ == nullptr ? guest::SendStatus::logging_off : ctx_->cp_command(tag, command);
    if (s != guest::SendStatus::ok) {
        const bool bad_input =
            s == guest::SendStatus::text_too_long || s == guest::SendStatus::invalid_text;
        return {bad_input ? 24 : 28,
                {"DMSCPX026E CP command not sent: " + std::string(guest::describe(s))}};
    }
    for (;;) {
        guest::WaitEvent ev =
            ctx_->wait_for(guest::wait_cp_response | guest::wait_console_input, std::nullopt);
        switch (ev.kind) {
        case guest::WaitEvent::Kind::cp_response:
            if (ev.tag == tag) {
                return {static_cast<int>(ev.rc), split(ev.text)};
            }
            break; // an answer nobody waits for any more
        case guest::WaitEvent::Kind::console_input:
            console_line(std::move(ev.text));
            break;
        case guest::WaitEvent::Kind::logoff:
            halted_ = 1;
            return {28, {}};
        case guest::WaitEvent::Kind::refused:
            CPD_LOG(error, "cms: unable to wait for CP's answer here");
            return {28, {"DMSCPX026E CP command sent, but its answer cannot be awaited here"}};
        default:
            break;
        }
    }
}

// Sends the end marker that says the guest reads (one per read, typed-ahead
// line or not, so a client still sees one marker for each line it sent).
// console_end_in waits for room like a line: a lost marker would leave a
// pipe-mode client waiting for ever.
void CmsHost::mark_read(proto::ConsoleMode mode) {
    if (ctx_->console_end_in(0, mode) == guest::SendStatus::busy) {
        halted_ = 1;
        CPD_LOG(warn, "cms: VM READ marker dropped: the outbound ring stayed full");
    }
}

std::optional<std::string> CmsHost::read_console_line(proto::ConsoleMode shown) {
    if (halted_ != 0 || ctx_ == nullptr) {
        return std::nullopt;
    }
    mark_read(shown);
    if (halted_ != 0) {
        return std::nullopt;
    }
    if (auto line = take_typeahead()) {
        return line;
    }
    for (;;) {
        guest::WaitEvent ev = ctx_->wait_for(guest::wait_console_input, std::nullopt);
        if (ev.kind == guest::WaitEvent::Kind::console_input) {
            if (is_hx(ev.text)) {
                CPD_LOG(info, "cms: HX at a VM READ: halting the running EXEC");
                halted_ = 1;
                return std::nullopt;
            }
            return std::move(ev.text);
        }
        halted_ = 1; // logoff, or no wait possible
        return std::nullopt;
    }
}

HostEvent CmsHost::wait_for_event(unsigned kinds,
                                  std::optional<std::chrono::steady_clock::time_point> deadline) {
    if (halted_ != 0) {
        return {};
    }
    if ((kinds & host_console) != 0) {
        if (auto line = take_typeahead()) {
            return {HostEvent::Kind::console, {}, std::move(*line), {}, 0};
        }
    }
    unsigned want = guest::wait_console_input; // HX must get through whatever is asked
    if ((kinds & host_smsg) != 0) {
        want |= guest::wait_smsg;
    }
    if ((kinds & host_message) != 0) {
        want |= guest::wait_message;
    }
    if ((kinds & host_reader) != 0) {
        want |= guest::wait_reader_file;
    }
    for (;;) {
        guest::WaitEvent ev = ctx_->wait_for(want, deadline);
        switch (ev.kind) {
        case guest::WaitEvent::Kind::console_input:
            if (is_hx(ev.text)) {
                halted_ = 1;
                return {};
            }
            if ((kinds & host_console) != 0) {
                return {HostEvent::Kind::console, {}, std::move(ev.text), {}, 0};
            }
            typeahead_.push_back(std::move(ev.text));
            break;
        case guest::WaitEvent::Kind::smsg:
            return {HostEvent::Kind::smsg, std::move(ev.from), std::move(ev.text), "*SMSG", 0};
        case guest::WaitEvent::Kind::message: {
            const bool wng = ev.message_kind == proto::MessageKind::warning;
            return {HostEvent::Kind::message, std::move(ev.from), std::move(ev.text),
                    wng ? "*WNG" : "*MSG", 0};
        }
        case guest::WaitEvent::Kind::reader_file:
            return {HostEvent::Kind::reader, std::move(ev.from), {}, {}, ev.tag};
        case guest::WaitEvent::Kind::timeout:
            return {HostEvent::Kind::timeout, {}, {}, {}, 0};
        default:
            halted_ = 1;
            return {};
        }
    }
}

bool CmsHost::take_hx_async() noexcept {
    if (ctx_ != nullptr && ctx_->take_immediate("HX")) {
        halted_ = 1;
        return true;
    }
    return false;
}

} // namespace cpd::cms
