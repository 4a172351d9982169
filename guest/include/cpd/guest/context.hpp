// SPDX-License-Identifier: MIT
// Context: what a guest's callbacks may do. Every call returns at once: it
// either queues a frame on the guest's outbound ring or fails with a code; it
// never waits for cpd or another guest.
// Thread/process: call only from inside a callback, on the guest's one thread.
#pragma once

#include "cpd/proto/rc.hpp"
#include "cpd/proto/ring_frame.hpp"
#include "cpd/proto/userid.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <span>
#include <string_view>

namespace cpd::guest {

using proto::IucvRc;
using proto::UserData;
using proto::Userid;

/// Outcome of a non-blocking outbound call.
enum class SendStatus : std::uint8_t {
    ok,              ///< queued for cpd
    invalid_userid,  ///< target name breaks the userid rules
    text_too_long,   ///< SMSG text over 236 bytes (or a console line over its limit)
    invalid_text,    ///< text contains NUL, CR or LF
    busy,            ///< outbound ring full; try again later
    logging_off,     ///< the guest is logging off; nothing more is sent
};

/// A readable name for a SendStatus.
std::string_view describe(SendStatus s) noexcept;

/// IUCV path identifier, local to this guest (the peer's id for the same path differs).
using PathId = std::uint32_t;

/// Result of iucv_connect: the new path id (pending) or why it failed at once.
struct ConnectResult {
    PathId path = 0;
    IucvRc rc = IucvRc::ok;
};

/// Result of iucv_send: the message id (for matching replies) or why it failed.
struct IucvSendResult {
    std::uint32_t msgid = 0;
    IucvRc rc = IucvRc::ok;
};

/// Operations available to callbacks.
class Context {
public:
    virtual ~Context() = default;

    /// This guest's userid, fixed at logon.
    virtual const Userid& userid() const noexcept = 0;
    /// The PARM text of the directory's IPL statement ("" if none).
    virtual std::string_view parm() const noexcept = 0;

    /// Sends an SMSG. Fails at once on a bad userid, text over 236 bytes, or a full ring.
    virtual SendStatus send_smsg(std::string_view to, std::string_view text) noexcept = 0;
    /// SET SMSG ON|OFF: whether this guest accepts SMSGs (cpd answers 057I when off).
    virtual SendStatus set_smsg(bool on) noexcept = 0;
    /// Asks CP to log this guest off; on_logoff follows.
    virtual void logoff() noexcept = 0;

    /// Writes one console line (no newline inside; long lines are split).
    virtual SendStatus console_write(std::string_view line) noexcept = 0;
    /// Ends a console command whose on_console_input returned no rc.
    virtual SendStatus console_end(int rc) noexcept = 0;
    /// Issues a CP command as this guest; the answer arrives in on_cp_response(tag, ...).
    virtual SendStatus cp_command(std::uint32_t tag, std::string_view text) noexcept = 0;

    /// IUCV CONNECT: returns a pending path id at once; on_connection_complete or
    /// on_connection_failed follows. msglimit 0 asks for the default (10).
    virtual ConnectResult iucv_connect(std::string_view target, const UserData& user_data = {},
                                       std::uint16_t msglimit = 0) noexcept = 0;
    /// IUCV SEVER: ends a path; only the peer is told.
    virtual IucvRc iucv_sever(PathId path, const UserData& user_data = {}) noexcept = 0;
    /// IUCV SEND, one-way (two_way = false) or expecting a reply (on_iucv_reply).
    virtual IucvSendResult iucv_send(PathId path, std::span<const std::byte> data,
                                     bool two_way = false) noexcept = 0;
    /// IUCV REPLY to a two-way message received with `msgid` on `path`.
    virtual IucvRc iucv_reply(PathId path, std::uint32_t msgid,
                              std::span<const std::byte> data) noexcept = 0;
    /// IUCV QUIESCE: the peer's sends fail until iucv_resume.
    virtual IucvRc iucv_quiesce(PathId path, const UserData& user_data = {}) noexcept = 0;
    /// IUCV RESUME.
    virtual IucvRc iucv_resume(PathId path, const UserData& user_data = {}) noexcept = 0;

    /// Appends a record stream (records packed with proto::append_record,
    /// whole records, at most proto::spool_chunk_max bytes) to the open spool
    /// file of this guest's punch (000D) or printer (000E); cp_command("CLOSE
    /// 000D ...") ends the file. busy while the ring is full: retry later.
    /// cpd reports a refusal (spool space full) as a CP message.
    virtual SendStatus spool_write(std::uint16_t /*vdev*/,
                                   std::span<const std::byte> /*records*/) noexcept {
        return SendStatus::logging_off;
    }
    /// Asks for whole records of reader file `spoolid` from record-stream
    /// offset `offset` (0 first, then the `next` of the previous answer);
    /// Handler::on_spool_data(tag, ...) answers, one chunk per call.
    virtual SendStatus spool_read(std::uint32_t /*tag*/, std::uint16_t /*spoolid*/,
                                  std::uint64_t /*offset*/) noexcept {
        return SendStatus::logging_off;
    }
    /// Runs `fn` later on the guest's thread, after `delay` and after the frames
    /// already waiting (e.g. to retry a send that found the ring busy). It is
    /// fenced like a callback and dropped once the guest logs off. Returns
    /// false if this context cannot schedule (the default, for test doubles).
    virtual bool call_later(std::chrono::microseconds /*delay*/,
                            std::function<void(Context&)> /*fn*/) noexcept {
        return false;
    }
};

/// Builds 16 bytes of IUCV user data from text (truncated or blank-padded).
UserData user_data_from(std::string_view text) noexcept;

} // namespace cpd::guest
