// SPDX-License-Identifier: MIT
// ContextImpl: the Context a guest's callbacks get. It validates each call,
// packs the frame straight into the outbound ring (reserve, encode, commit)
// and remembers that the ring needs a wake-up; the event loop calls flush()
// once per batch. It never blocks: a full ring is reported as busy.
#pragma once

#include "cpd/guest/context.hpp"
#include "cpd/ipc/doorbell.hpp"
#include "cpd/ipc/ring.hpp"
#include "cpd/ipc/ring_frames.hpp"
#include "iucv_paths.hpp"

#include <array>
#include <functional>
#include <optional>
#include <string>

namespace cpd::guest::detail {

/// How the event loop runs deferred work for call_later().
using Scheduler = std::function<bool(std::chrono::microseconds, std::function<void(Context&)>)>;

/// What the event loop does for wait_for() and take_immediate().
struct Waiter {
    virtual ~Waiter() = default;
    virtual WaitEvent wait_for(unsigned kinds, WaitDeadline deadline) noexcept = 0;
    virtual bool take_immediate(std::string_view word) noexcept = 0;
};

/// The runtime's Context over one outbound ring.
class ContextImpl final : public Context {
  public:
    ContextImpl(Userid userid, std::string parm, ipc::RingWriter writer,
                const ipc::Doorbell& outbound_bell) noexcept;

    const Userid& userid() const noexcept override { return userid_; }
    std::string_view parm() const noexcept override { return parm_; }
    SendStatus send_smsg(std::string_view to, std::string_view text) noexcept override;
    SendStatus set_smsg(bool on) noexcept override;
    void logoff() noexcept override;
    SendStatus console_write(std::string_view line) noexcept override;
    SendStatus console_end(int rc) noexcept override;
    SendStatus console_end_in(int rc, proto::ConsoleMode mode) noexcept override;
    SendStatus cp_command(std::uint32_t tag, std::string_view text) noexcept override;
    ConnectResult iucv_connect(std::string_view target, const UserData& user_data,
                               std::uint16_t msglimit) noexcept override;
    IucvRc iucv_sever(PathId path, const UserData& user_data) noexcept override;
    IucvSendResult iucv_send(PathId path, std::span<const std::byte> data,
                             bool two_way) noexcept override;
    IucvRc iucv_reply(PathId path, std::uint32_t msgid,
                      std::span<const std::byte> data) noexcept override;
    IucvRc iucv_quiesce(PathId path, const UserData& user_data) noexcept override;
    IucvRc iucv_resume(PathId path, const UserData& user_data) noexcept override;
    bool call_later(std::chrono::microseconds delay,
                    std::function<void(Context&)> fn) noexcept override;
    WaitEvent wait_for(unsigned kinds, WaitDeadline deadline) noexcept override {
        return waiter_ != nullptr && !closed_ ? waiter_->wait_for(kinds, deadline) : WaitEvent{};
    }
    bool take_immediate(std::string_view word) noexcept override {
        return waiter_ != nullptr && !closed_ && waiter_->take_immediate(word);
    }

    // ---- runtime side ----
    /// Installs the event loop's scheduler for call_later().
    void set_scheduler(Scheduler s) noexcept { scheduler_ = std::move(s); }
    /// Installs the event loop's wait_for() (nullptr: refuse).
    void set_waiter(Waiter* w) noexcept { waiter_ = w; }
    /// Wakes cpd if frames were queued since the last flush and it sleeps.
    void flush() noexcept;
    /// Stamps the outbound ring: this guest looks at its rings now, on `cpu` (+ 1).
    void mark_present(std::uint32_t cpu) noexcept { writer_.mark_present(cpu); }
    /// From now on every call fails with logging_off (after on_logoff or a panic).
    void close() noexcept { closed_ = true; }
    /// Queues any frame, a GuestFrame or one of its structs (no validation); the ring status.
    template <class Frame> ipc::RingStatus push(const Frame& frame) noexcept {
        const ipc::RingStatus status = ipc::push_frame(writer_, frame);
        dirty_ = dirty_ || status == ipc::RingStatus::ok;
        return status;
    }
    /// Queues a frame of another contract (spool_frame.hpp) by type and payload.
    ipc::RingStatus push_raw(std::uint32_t type, std::span<const std::byte> payload) noexcept {
        const ipc::RingStatus status = writer_.push(type, payload);
        dirty_ = dirty_ || status == ipc::RingStatus::ok;
        return status;
    }
    SendStatus spool_write(std::uint16_t vdev, std::span<const std::byte> records) noexcept override;
    SendStatus spool_read(std::uint32_t tag, std::uint16_t spoolid,
                          std::uint64_t offset) noexcept override;
    /// Queues a frame that must not be lost (HandlerPanic), waiting
    /// up to `budget_ms` for ring space; true if queued (and flushed).
    bool push_patiently(const proto::GuestFrame& frame, int budget_ms) noexcept;
    /// How long a console line waits for room on a full ring (write_chunk).
    static constexpr int console_wait_ms = 60'000;
    /// The IUCV path table (the dispatcher updates it as frames arrive).
    PathTable& paths() noexcept { return paths_; }

  private:
    SendStatus send(const proto::GuestFrame& frame) noexcept;
    /// send, and on a full ring push_patiently for console_wait_ms: console
    /// output and its end marker wait for room as a terminal holds its machine.
    SendStatus send_waiting_for_console(const proto::GuestFrame& frame) noexcept;
    IucvRc send_iucv(const proto::GuestFrame& frame) noexcept;
    SendStatus write_chunk(std::string_view chunk) noexcept;

    Userid userid_;
    std::string parm_;
    std::optional<Userid> last_target_; // send_smsg's last target, parsed once
    std::array<char, Userid::max_length> last_to_{};
    std::size_t last_to_len_ = 0;
    ipc::RingWriter writer_;
    const ipc::Doorbell& outbound_bell_;
    PathTable paths_;
    Scheduler scheduler_;
    Waiter* waiter_ = nullptr;
    bool dirty_ = false;
    bool closed_ = false;
};

} // namespace cpd::guest::detail
