// SPDX-License-Identifier: MIT
// Context: what a guest's callbacks may do. Every call returns at once: it
// either queues a frame on the guest's outbound ring or fails with a code; it
// never waits for cpd or another guest.
// Thread/process: call only from inside a callback, on the guest's one thread.
#pragma once

#include "cpd/proto/console_mode.hpp"
#include "cpd/proto/rc.hpp"
#include "cpd/proto/ring_frame.hpp"
#include "cpd/proto/userid.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
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

/// What Context::wait_for may hand back; OR them together as `kinds`.
enum WaitKind : unsigned {
    wait_console_input = 1, ///< the next line typed at the console
    wait_cp_response = 2,   ///< the answer to a cp_command
    wait_smsg = 4,          ///< an SMSG
    wait_message = 8,       ///< a MSG, MSGNOH or WARNING from another user (not CP's own)
    wait_reader_file = 16,  ///< a file arriving in the reader (taken: on_reader_file skips it)
};

/// The event a Context::wait_for ended with.
struct WaitEvent {
    enum class Kind : std::uint8_t {
        console_input, ///< `text` is the line
        cp_response,   ///< `tag`, `rc`, `text` as on_cp_response has them
        smsg,          ///< `from`, `text`
        message,       ///< `from`, `text`, `message_kind`
        reader_file,   ///< `from` the sender, `tag` the spoolid
        timeout,       ///< the deadline passed first
        logoff,        ///< the guest is being logged off: stop and return
        refused,       ///< waiting is not possible here (see wait_for)
    };
    Kind kind = Kind::refused;
    std::string text;
    std::string from; ///< smsg: the sender's userid
    std::uint32_t tag = 0;
    proto::CpRc rc = proto::CpRc::ok;
    proto::MessageKind message_kind = proto::MessageKind::msg; ///< message: MSG, MSGNOH or WARNING
};

/// When a wait gives up; nullopt waits as long as it takes.
using WaitDeadline = std::optional<std::chrono::steady_clock::time_point>;

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
    /// Where the ring is full it waits for room (at most a minute), as a
    /// virtual machine waits for its console: cpd holds console output while
    /// the attached console reads it slower than the guest writes.
    virtual SendStatus console_write(std::string_view line) noexcept = 0;
    /// Ends a console command whose on_console_input returned no rc (waiting
    /// for room like console_write).
    virtual SendStatus console_end(int rc) noexcept = 0;
    /// Ends a console line handled by a program that keeps the console (XEDIT):
    /// `mode` tells the console what reads the next line, so it shows that
    /// program's prompt instead of "Ready;". The default ignores the mode.
    virtual SendStatus console_end_in(int rc, proto::ConsoleMode mode) noexcept {
        (void)mode;
        return console_end(rc);
    }
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

    /// Waits for the next event of `kinds` (WaitKind bits) or `deadline`,
    /// as a single-tasking program does (a CMS EXEC reading the console or
    /// waiting for CP's answer): this guest's thread blocks, so only a guest
    /// program that owns the console in that moment should wait. Frames of
    /// other kinds are held, in order, and reach their callbacks after the
    /// current callback returns; a logoff ends any wait with `logoff`.
    /// Allowed inside on_ipl and on_console_input only (their frames are no
    /// longer in the ring then); elsewhere, and in test doubles, `refused`.
    virtual WaitEvent wait_for(unsigned /*kinds*/, WaitDeadline /*deadline*/) noexcept {
        return {};
    }
    /// Async-signal-safe, for a program that computes without calling the
    /// runtime (a REXX loop) and checks from a timer signal whether the user
    /// typed an immediate command: if the oldest unread inbound frame is a
    /// console line equal to `word` (any case, blanks around ignored), it is
    /// consumed and true returned; else nothing changes. It also sends cpd
    /// what the program wrote so far. Only valid while a wait_for would be
    /// allowed; false in test doubles.
    virtual bool take_immediate(std::string_view /*word*/) noexcept { return false; }
};

/// Builds 16 bytes of IUCV user data from text (truncated or blank-padded).
UserData user_data_from(std::string_view text) noexcept;

} // namespace cpd::guest
