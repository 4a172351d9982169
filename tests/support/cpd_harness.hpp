// SPDX-License-Identifier: MIT
// CpdHarness: starts the real cpd binary on a private mkdtemp directory with a
// generated cpd.conf and user directory, waits for its socket, speaks socket
// frames to it, and stops and cleans up (processes and files) afterwards.
// For integration and system tests; paths of binaries come from compile definitions.
#pragma once

#include "cpd/ipc/unique_fd.hpp"
#include "cpd/proto/rc.hpp"
#include "cpd/proto/socket_frame.hpp"

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <sys/types.h>

namespace cpd::test {

using namespace std::chrono_literals;

/// Reply::rc when no frame arrived (cpd gone, or too slow): no CP code, so a
/// test that expects `ok` fails rather than passing on silence.
inline constexpr proto::CpRc no_reply = static_cast<proto::CpRc>(0xFFFF);

/// A server frame copied out of its payload.
struct Reply {
    std::uint16_t type = 0;    ///< SocketFrameType, 0 if none arrived
    proto::CpRc rc = no_reply; ///< ServerCpResponse / ServerError; ok for other frames
    std::string text;          ///< response text, or the SMSG text of an event
    std::string from;          ///< sender of a ServerSmsgEvent
    bool is_error() const noexcept { return type == 0x8009; }
    bool is_event() const noexcept { return type == 0x8002; }
};

/// One client connection to cpd.
class Client {
public:
    Client() = default;
    explicit Client(ipc::UniqueFd fd) : fd_(std::move(fd)) {}
    /// True if connected.
    bool ok() const noexcept { return static_cast<bool>(fd_); }
    /// Sends one client frame; false on error.
    bool send(const proto::ClientFrame& frame);
    /// Sends raw bytes (for malformed-frame tests).
    bool send_raw(const std::vector<std::byte>& bytes);
    /// Reads one frame (type 0 on timeout, EOF or error).
    Reply read(std::chrono::milliseconds timeout = 5s);
    /// ClientCpCommand and its reply.
    Reply cp(std::string_view command);
    /// ClientSmsgSend and its reply.
    Reply smsg(std::string_view to, std::string_view text);
    /// ClientSmsgListen and its reply.
    Reply listen();
    /// The descriptor.
    int fd() const noexcept { return fd_.get(); }

private:
    ipc::UniqueFd fd_;
};

/// What to put in the generated configuration.
struct HarnessConfig {
    std::string directory;             ///< text of user.direct ($DIR is replaced by dir())
    std::string autolog;               ///< cpd.conf autolog value
    std::string extra_conf;            ///< more cpd.conf lines
    int grace_seconds = 2;
    /// cpd's latency_hold_ms. Off unless a test sets it: the CPU latency request
    /// is system-wide, and a test that reads it must not see another test's.
    int latency_hold_ms = 0;
    std::string log_level = "info";
    std::vector<std::string> env;      ///< extra NAME=value for the cpd process
    bool config_from_env = false;      ///< name cpd.conf in CPD_CONFIG, not --config
    /// Guest uids of this cpd; more than 256 overlap the next harness of the same
    /// test process, so only a program that starts one cpd at a time may ask for more.
    unsigned guest_uid_count = 256;
    /// Runs cpd through this command (its arguments follow), e.g. setpriv
    /// taking the service user's ids, groups and capabilities; empty: as this
    /// process. See service_user.hpp.
    std::vector<std::string> launcher;
    /// Owner given to the private directory (where cpd makes its socket and
    /// state) when cpd runs as another user; -1: left as made.
    int dir_uid = -1;
    int dir_gid = -1;
};

/// A cpd process on a private directory.
class CpdHarness {
public:
    explicit CpdHarness(HarnessConfig config);
    ~CpdHarness();
    CpdHarness(const CpdHarness&) = delete;
    CpdHarness& operator=(const CpdHarness&) = delete;

    /// Starts cpd and waits until its socket accepts connections and it logs
    /// "ready" (its autolog guests run) in this run's part of the log.
    bool start(std::chrono::milliseconds timeout = 10s);
    /// Starts cpd and returns at once (pid() is set): for a test that must
    /// act on cpd's processes before cpd is ready.
    bool launch();
    /// Sends `sig` and waits for cpd to exit; returns its wait status (-1 on timeout).
    int stop(int sig = 15, std::chrono::milliseconds timeout = 15s);
    /// Waits for cpd to exit by itself; wait status or -1.
    int wait_exit(std::chrono::milliseconds timeout);
    /// cpd's pid (0 when not running).
    pid_t pid() const noexcept { return pid_; }

    /// The private directory (state/ below it is cpd's state directory).
    const std::string& dir() const noexcept { return dir_; }
    /// The file a test guest whose directory entry has `MDISK 0191 3390 1 1
    /// OUT191 MR` and `PARM $DIR/state/disks/<NAME>/0191/log` writes: the
    /// sandbox lets a guest write only on its minidisks.
    std::string out_file(std::string_view name) const;
    /// The control socket.
    std::string socket_path() const { return dir_ + "/cpd.sock"; }
    /// Everything cpd wrote to stderr so far.
    std::string log() const;
    /// Waits until cpd's log contains `needle`.
    bool wait_for_log(std::string_view needle, std::chrono::milliseconds timeout = 5s) const;
    /// Overwrites the user directory file.
    void write_directory(const std::string& text) const;
    /// Overwrites cpd.conf with `config` (directory path and socket are added).
    void write_config(const HarnessConfig& config) const;

    /// A new client connection.
    Client connect() const;
    /// Pids of the children of cpd and of its spawn helper whose argv[0]
    /// starts with "cpd:" (its guests).
    std::vector<pid_t> guest_pids() const;
    /// The pid of guest `userid` (waits up to 2 s for it to exec), or 0.
    pid_t guest_pid(std::string_view userid) const;

private:
    HarnessConfig config_;
    std::string dir_;
    pid_t pid_ = 0;
    /// How long cpd.log was when the running cpd was launched: a restarted
    /// cpd's "ready" is looked for after the earlier runs' lines.
    std::size_t log_start_ = 0;
    unsigned guest_uid_base_ = 0;
};

/// Polls `pred` every `poll` (a millisecond by default) until true or `timeout`.
/// Benchmarks poll coarsely so the waiting driver does not disturb what it measures.
bool wait_until(const std::function<bool()>& pred, std::chrono::milliseconds timeout,
                std::chrono::milliseconds poll = std::chrono::milliseconds(1));
/// Reads a whole file ("" if missing).
std::string read_file(const std::string& path);
/// Lines of a file.
std::vector<std::string> read_lines(const std::string& path);
/// True if /proc/<pid> exists and is not a zombie.
bool process_alive(pid_t pid);
/// True if /proc/<pid> exists (zombie or not).
bool process_exists(pid_t pid);
/// Names in /dev/shm.
std::vector<std::string> shm_entries();
/// The cpd binary, guest program dir and probe guest of this build.
std::string cpd_binary();
std::string guest_program_dir();
std::string probe_guest();

} // namespace cpd::test
