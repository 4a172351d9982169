// SPDX-License-Identifier: MIT
// Handler: the callbacks a guest program implements. The runtime calls them
// one at a time, in arrival order, on the guest's only thread: on_ipl first
// and once, on_logoff last and once. A callback must not block; everything it
// can do is on Context and returns at once. A callback that throws ends the
// guest: the runtime reports it to cpd and exits with exit_panic, without
// calling on_logoff.
#pragma once

#include "cpd/guest/context.hpp"

#include <optional>
#include <span>
#include <string_view>

namespace cpd::guest {

/// A file that arrived in this guest's reader (000C).
struct ReaderFile {
    explicit ReaderFile(const Userid& sender) : from(sender) {}
    Userid from;                ///< who sent it
    std::uint16_t spoolid = 0;
    std::string_view origin;    ///< the device it was made on: "PUN", "PRT", "CON", "RDR"
    char spool_class = 'A';
    std::uint32_t records = 0;
    bool hold = false;
    std::string_view name, type; ///< spool file name and type ("" if unnamed)
};

/// Base class of every guest program; override what you need.
class Handler {
public:
    virtual ~Handler() = default;

    /// Runs once, before any other callback.
    virtual void on_ipl(Context&) {}
    /// An SMSG arrived; `from` was stamped by CP and cannot be forged.
    virtual void on_smsg(Context&, const Userid& from, std::string_view text);
    /// A message from CP (e.g. HCPMSG045E); by default written to the console.
    virtual void on_cp_message(Context& ctx, std::string_view text);
    /// A MSG, MSGNOH or WARNING from `from` (stamped by CP), or one of CP's own
    /// error or informational messages (EMSG, IMSG; `from` is SYSTEM). By
    /// default written to the console in z/VM's form ("hh:mm:ss * MSG FROM
    /// ALICE   : text"), as CP shows it on a terminal whatever the guest runs.
    virtual void on_message(Context& ctx, const Userid& from, std::string_view text,
                            proto::MessageKind kind);
    /// Answer to Context::cp_command; by default its lines go to the console.
    virtual void on_cp_response(Context& ctx, std::uint32_t tag, proto::CpRc rc,
                                std::string_view text);
    /// A line typed at the console. Return the command's rc to end its output
    /// now, or std::nullopt to end it later with Context::console_end.
    virtual std::optional<int> on_console_input(Context& ctx, std::string_view line);
    /// Runs once when the guest is logged off (LOGOFF, FORCE or shutdown).
    virtual void on_logoff(Context&) {}
    /// CP linked a minidisk to this guest at `vdev` (attached, R/W when
    /// `write`, its files under `path`) or detached it, after logon (the
    /// disks of the directory come in CPD_GUEST_DISKS).
    virtual void on_device_change(Context&, std::uint16_t /*vdev*/, bool /*attached*/,
                                  bool /*write*/, std::string_view /*path*/) {}

    /// A file arrived in this guest's reader. CP has already written the
    /// arrival message ("RDR FILE 0012 SENT FROM ...") to the console.
    virtual void on_reader_file(Context&, const ReaderFile& /*file*/) {}
    /// The answer to Context::spool_read: whole records (a record stream, see
    /// proto::for_each_record) when rc is ok, `next` is where to read on, eof
    /// when the file ends; otherwise `error` is CP's message.
    virtual void on_spool_data(Context&, std::uint32_t /*tag*/, proto::CpRc /*rc*/,
                               std::span<const std::byte> /*records*/, std::uint64_t /*next*/,
                               bool /*eof*/, std::string_view /*error*/) {}
    /// Another guest asks for a path; return true to accept.
    virtual bool on_connection_pending(Context&, PathId, const Userid& /*from*/,
                                       const UserData& /*user_data*/) {
        return true;
    }
    /// A path is established (both ends get this).
    virtual void on_connection_complete(Context&, PathId, const Userid& /*peer*/,
                                        const UserData& /*user_data*/) {}
    /// A CONNECT this guest made failed (refused, not authorized, ...).
    virtual void on_connection_failed(Context&, PathId, IucvRc) {}
    /// The peer severed the path (or logged off, was forced, or died).
    virtual void on_connection_severed(Context&, PathId, const Userid& /*peer*/,
                                       const UserData& /*user_data*/) {}
    /// A message arrived on a path; reply with iucv_reply if two_way.
    virtual void on_iucv_message(Context&, PathId, std::uint32_t /*msgid*/,
                                 std::span<const std::byte> /*data*/, bool /*two_way*/) {}
    /// The reply to a two-way message this guest sent.
    virtual void on_iucv_reply(Context&, PathId, std::uint32_t /*msgid*/,
                               std::span<const std::byte> /*data*/) {}
    /// A message this guest sent could not be delivered.
    virtual void on_iucv_send_failed(Context&, PathId, std::uint32_t /*msgid*/, IucvRc) {}
    /// The peer quiesced the path; sends fail with path_quiesced until resumed.
    virtual void on_path_quiesced(Context&, PathId, const UserData&) {}
    /// The peer resumed the path.
    virtual void on_path_resumed(Context&, PathId, const UserData&) {}
};

} // namespace cpd::guest
