// SPDX-License-Identifier: MIT
// ContextImpl: validation and framing of everything a callback may do. Each
// call checks its arguments with proto's rules, then packs one frame into the
// outbound ring; IUCV calls also consult and update the local PathTable.
#include "context_impl.hpp"

#include "cpd/proto/spool_frame.hpp"
#include "cpd/proto/version.hpp"

#include <algorithm>
#include <chrono>
#include <thread>

namespace cpd::guest::detail {
namespace {

SendStatus status_of(proto::errc e) noexcept {
    switch (e) {
    case proto::errc::ok:
        return SendStatus::ok;
    case proto::errc::bad_userid:
        return SendStatus::invalid_userid;
    case proto::errc::text_too_long:
        return SendStatus::text_too_long;
    default:
        return SendStatus::invalid_text;
    }
}

SendStatus status_of(ipc::RingStatus s) noexcept {
    switch (s) {
    case ipc::RingStatus::ok:
        return SendStatus::ok;
    case ipc::RingStatus::full:
        return SendStatus::busy;
    case ipc::RingStatus::too_big:
        return SendStatus::text_too_long;
    default:
        return SendStatus::logging_off; // corrupt: nothing more can be sent
    }
}

/// Longest prefix of `s` of at most `max` bytes that does not cut a UTF-8 sequence.
std::size_t utf8_cut(std::string_view s, std::size_t max) noexcept {
    if (s.size() <= max) {
        return s.size();
    }
    std::size_t n = max;
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) {
        --n;
    }
    return n == 0 ? max : n;
}

} // namespace

ContextImpl::ContextImpl(Userid userid, std::string parm, ipc::RingWriter writer,
                         const ipc::Doorbell& outbound_bell) noexcept
    : userid_(userid), parm_(std::move(parm)), writer_(writer), outbound_bell_(outbound_bell) {
    writer_.set_deferred_publish(true); // flush() publishes once per batch
}

/// Validates and queues one frame.
SendStatus ContextImpl::send(const proto::GuestFrame& frame) noexcept {
    if (closed_) {
        return SendStatus::logging_off;
    }
    if (auto v = proto::validate(frame); !v) {
        return status_of(v.error());
    }
    return status_of(push(frame));
}

/// Queues one IUCV frame; busy or invalid_path (closed) on failure.
IucvRc ContextImpl::send_iucv(const proto::GuestFrame& frame) noexcept {
    switch (send(frame)) {
    case SendStatus::ok:
        return IucvRc::ok;
    case SendStatus::busy:
        return IucvRc::busy;
    case SendStatus::text_too_long:
        return IucvRc::data_too_long;
    default:
        return IucvRc::invalid_path;
    }
}

void ContextImpl::flush() noexcept {
    if (dirty_) {
        dirty_ = false;
        writer_.wake_if_sleeping(outbound_bell_);
    }
}

bool ContextImpl::push_patiently(const proto::GuestFrame& frame, int budget_ms) noexcept {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(budget_ms);
    std::chrono::microseconds pause(100);
    for (;;) {
        const ipc::RingStatus s = push(frame);
        if (s == ipc::RingStatus::ok) {
            flush();
            return true;
        }
        if (s != ipc::RingStatus::full || std::chrono::steady_clock::now() >= deadline) {
            return false;
        }
        writer_.wake_if_sleeping(outbound_bell_); // make sure cpd drains
        std::this_thread::sleep_for(pause);
        pause = std::min(pause * 2, std::chrono::microseconds(2000)); // a long wait costs little
    }
}

SendStatus ContextImpl::send_smsg(std::string_view to, std::string_view text) noexcept {
    // Hot path: the target is parsed once per change of target, the text checked
    // once (send() would validate the frame a second time).
    if (!last_target_ || to != std::string_view(last_to_.data(), last_to_len_)) {
        auto target = Userid::parse(to);
        if (!target) {
            return SendStatus::invalid_userid;
        }
        last_target_ = *target;
        last_to_len_ = to.copy(last_to_.data(), last_to_.size()); // parse allows <= 8 bytes
    }
    if (auto v = proto::check_smsg_text(text); !v) {
        return status_of(v.error());
    }
    if (closed_) {
        return SendStatus::logging_off;
    }
    return status_of(push(proto::SmsgSend{*last_target_, text}));
}

SendStatus ContextImpl::set_smsg(bool on) noexcept {
    return send(proto::SetSmsg{on});
}

void ContextImpl::logoff() noexcept {
    // A request that finds the ring full is retried from the event loop: a
    // console command that asked for it (CMS LOGOFF) ends only with the guest.
    constexpr std::chrono::microseconds logoff_retry{200};
    if (send(proto::LogoffRequest{}) == SendStatus::busy) {
        call_later(logoff_retry, [this](Context&) { logoff(); });
    }
}

/// Queues one console line that has no newline and fits the limit. A line
/// that finds the ring full waits for room, as a virtual machine waits for
/// its console: cpd leaves console output on the ring while the attached
/// console is behind (ConsoleHub::holds_output) or the guest's console budget
/// is spent, so a long TYPE is paced, not cut. It gives up (busy) only after
/// console_wait_ms, longer than cpd lets a console that reads nothing stay.
SendStatus ContextImpl::write_chunk(std::string_view chunk) noexcept {
    return send_waiting_for_console(proto::ConsoleOutput{chunk});
}

SendStatus ContextImpl::send_waiting_for_console(const proto::GuestFrame& frame) noexcept {
    const SendStatus s = send(frame);
    if (s != SendStatus::busy) {
        return s;
    }
    return push_patiently(frame, console_wait_ms) ? SendStatus::ok : SendStatus::busy;
}

SendStatus ContextImpl::console_write(std::string_view text) noexcept {
    // Newlines separate lines; a CR before one is dropped; long lines are split.
    do {
        const std::size_t nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        if (!line.empty() && line.back() == '\r') {
            line.remove_suffix(1);
        }
        do {
            const std::size_t n = utf8_cut(line, proto::console_max_line);
            if (const SendStatus s = write_chunk(line.substr(0, n)); s != SendStatus::ok) {
                return s;
            }
            line.remove_prefix(n);
        } while (!line.empty());
        text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    } while (!text.empty());
    return SendStatus::ok;
}

SendStatus ContextImpl::console_end(int rc) noexcept {
    return console_end_in(rc, proto::ConsoleMode::command);
}

/// Waits for room as a console line does (write_chunk): behind held output,
/// a lost end marker would leave the console waiting for ever.
SendStatus ContextImpl::console_end_in(int rc, proto::ConsoleMode mode) noexcept {
    return send_waiting_for_console(proto::ConsoleEnd{static_cast<std::int32_t>(rc), mode});
}

SendStatus ContextImpl::cp_command(std::uint32_t tag, std::string_view text) noexcept {
    if (text.size() > proto::cp_command_max) {
        return SendStatus::text_too_long;
    }
    return send(proto::CpCommand{tag, text});
}

bool ContextImpl::call_later(std::chrono::microseconds delay,
                             std::function<void(Context&)> fn) noexcept {
    if (closed_ || !scheduler_ || !fn) {
        return false;
    }
    return scheduler_(delay, std::move(fn));
}

} // namespace cpd::guest::detail

namespace cpd::guest::detail {

SendStatus ContextImpl::spool_write(std::uint16_t vdev,
                                    std::span<const std::byte> records) noexcept {
    if (closed_) {
        return SendStatus::logging_off;
    }
    if (records.size() > proto::spool_chunk_max) {
        return SendStatus::text_too_long;
    }
    if (!proto::count_records(records)) {
        return SendStatus::invalid_text;
    }
    try {
        const auto payload = proto::encode(proto::SpoolWrite{vdev, records});
        return status_of(
            push_raw(static_cast<std::uint32_t>(proto::SpoolFrameType::ring_write), payload));
    } catch (const std::bad_alloc&) {
        return SendStatus::busy;
    }
}

SendStatus ContextImpl::spool_read(std::uint32_t tag, std::uint16_t spoolid,
                                   std::uint64_t offset) noexcept {
    if (closed_) {
        return SendStatus::logging_off;
    }
    try {
        const auto payload = proto::encode(proto::SpoolRead{tag, spoolid, offset});
        return status_of(
            push_raw(static_cast<std::uint32_t>(proto::SpoolFrameType::ring_read), payload));
    } catch (const std::bad_alloc&) {
        return SendStatus::busy;
    }
}

} // namespace cpd::guest::detail
