// SPDX-License-Identifier: MIT
// ConsoleHub: where guests' console output goes. The Router hands it every
// ConsoleOutput / ConsoleEnd; the Supervisor tells it when guests come and go.
// The default (BufferingConsoleHub) only keeps a bounded replay buffer per
// guest; the console attach work (cmsconsole) implements the rest behind this.
#pragma once

#include "cpd/proto/socket_frame.hpp"
#include "cpd/proto/userid.hpp"

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>

namespace cpd::daemon {

class ControlSession;
struct Caller;

/// Receives console traffic from guests.
class ConsoleHub {
public:
    virtual ~ConsoleHub() = default;
    /// A guest was logged on.
    virtual void on_guest_logon(const proto::Userid& userid) = 0;
    /// A guest wrote one console line.
    virtual void on_console_output(const proto::Userid& userid, std::string_view line) = 0;
    /// A guest ended a console line's output; `mode` says what reads the next line.
    virtual void on_console_end(const proto::Userid& userid, std::int32_t rc,
                                proto::ConsoleMode mode = proto::ConsoleMode::command) = 0;
    /// A guest is gone (logged off, forced, crashed, shutdown).
    virtual void on_guest_gone(const proto::Userid& userid, proto::CloseReason reason,
                               std::string_view text) = 0;
    /// CP writes a message on the console of the logged-on guest `userid` (as
    /// z/VM writes on a terminal, whatever the guest runs): by default, like a
    /// line of its own output.
    virtual void on_cp_message(const proto::Userid& userid, std::string_view line) {
        on_console_output(userid, line);
    }
    /// True while the guest's attached writer console is behind (half its
    /// output limit unsent): the router then leaves the guest's console output
    /// on its ring, and the guest waits, as a z/VM console holds its virtual
    /// machine while the terminal is busy, instead of the console being dropped.
    virtual bool holds_output(const proto::Userid& /*userid*/) const { return false; }
    /// What QUERY NAMES shows after the userid: "DSC" or a console id.
    virtual std::string terminal(const proto::Userid& userid) const = 0;
    /// A console frame from a client (attach, input, #CP, detach); false if not handled.
    virtual bool on_client_frame(ControlSession&, const Caller&, const proto::ClientFrame&) {
        return false;
    }
    /// cpd.conf was reloaded: the replay bound and the logging choice now apply
    /// to the guests already logged on too.
    virtual void reconfigure(std::size_t replay_lines, bool log) = 0;
};

/// A guest's last console lines, oldest first, bounded by a line count.
class ReplayBuffer {
public:
    /// Keeps at most `max_lines` lines (0: keeps none).
    explicit ReplayBuffer(std::size_t max_lines = 1000) : max_lines_(max_lines) {}
    /// Appends a line, dropping the oldest when full.
    void add(std::string_view line);
    /// Changes the bound; the oldest lines beyond a smaller one are dropped (and counted).
    void set_limit(std::size_t max_lines);
    /// The lines held, oldest first.
    const std::deque<std::string>& lines() const noexcept { return lines_; }
    /// Lines dropped since the guest logged on.
    std::uint64_t dropped() const noexcept { return dropped_; }

private:
    std::size_t max_lines_;
    std::deque<std::string> lines_;
    std::uint64_t dropped_ = 0;
};

/// The default hub: buffers lines per guest, attaches nothing ("DSC" everywhere).
class BufferingConsoleHub : public ConsoleHub {
public:
    explicit BufferingConsoleHub(std::size_t replay_lines) : replay_lines_(replay_lines) {}
    void on_guest_logon(const proto::Userid& userid) override;
    void on_console_output(const proto::Userid& userid, std::string_view line) override;
    void on_console_end(const proto::Userid& userid, std::int32_t rc,
                        proto::ConsoleMode mode = proto::ConsoleMode::command) override;
    void on_guest_gone(const proto::Userid& userid, proto::CloseReason reason,
                       std::string_view text) override;
    std::string terminal(const proto::Userid& userid) const override;
    void reconfigure(std::size_t replay_lines, bool log) override;
    /// The replay buffer of a logged-on guest, or nullptr.
    const ReplayBuffer* replay(const proto::Userid& userid) const;

private:
    std::size_t replay_lines_;
    std::unordered_map<proto::Userid, ReplayBuffer> buffers_;
};

} // namespace cpd::daemon
