// SPDX-License-Identifier: MIT
// CP never loses what it owes a guest: a CMS guest flooded with SMSGs still
// gets the answers that end its TELL, SMSG, CP and QUERY commands; a peer
// toggling QUIESCE/RESUME against a guest with a full ring cannot get that
// guest forced off; and a CP response larger than a 64 KiB ring can carry
// arrives cut and marked instead of never. Each drives real guests: CMS
// through its console, IUCVPROBE by SMSG, FLOOD and SINK as shipped.
#include "test_directory.hpp"

#include "cpd/proto/socket_frame.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <csignal>
#include <optional>
#include <sstream>
#include <utility>
#include <thread>
#include <string>
#include <vector>

#include <poll.h>
#include <unistd.h>

using namespace cpd::test;
using cpd::proto::CpRc;
namespace proto = cpd::proto;

namespace {

/// A console attached to a guest, as cmsconsole is: lines typed in, each
/// command's output lines and its end (the rc cmsconsole shows as Ready).
/// It reads the socket in large chunks: a flooded CMS writes a console line
/// per message it receives, and a client that falls 4 MiB behind is dropped.
class Console {
  public:
    explicit Console(CpdHarness& cpd) : client_(cpd.connect()) {}

    bool attach(std::string_view userid) {
        if (!client_.send(proto::ClientConsoleAttach{*proto::Userid::parse(userid),
                                                     proto::AttachMode::writer, false})) {
            return false;
        }
        bool attached = false;
        read_until(std::chrono::steady_clock::now() + 5s, [&](const proto::ServerFrame& f) {
            attached = std::holds_alternative<proto::ServerConsoleAttached>(f);
            return attached;
        });
        return attached;
    }

    /// Types `line` and waits for the end of its command; its rc, or nullopt.
    /// Output lines other than received messages are kept in lines().
    std::optional<int> run(std::string_view line, std::chrono::seconds timeout = 15s) {
        return type(line) ? end_of_command(timeout) : std::nullopt;
    }
    /// Types `line` (the guest sees it when it next reads its ring).
    bool type(std::string_view line) {
        lines_.clear();
        return client_.send(proto::ClientConsoleInput{line});
    }
    /// Waits for the end of the command typed last; its rc, or nullopt.
    std::optional<int> end_of_command(std::chrono::seconds timeout = 15s) {
        std::optional<int> rc;
        read_until(std::chrono::steady_clock::now() + timeout, [&](const proto::ServerFrame& f) {
            if (const auto* o = std::get_if<proto::ServerConsoleOutput>(&f)) {
                if (!o->line.starts_with("* MSG FROM")) {
                    lines_.emplace_back(o->line);
                }
            } else if (const auto* e = std::get_if<proto::ServerConsoleEnd>(&f)) {
                rc = e->rc;
            }
            return rc.has_value() || std::holds_alternative<proto::ServerConsoleClosed>(f);
        });
        return rc;
    }
    const std::vector<std::string>& lines() const { return lines_; }

  private:
    /// Reads frames and hands each to `done` until it returns true, the
    /// connection ends or `deadline` passes.
    template <class Done>
    void read_until(std::chrono::steady_clock::time_point deadline, Done&& done) {
        for (;;) {
            while (buffer_.size() >= proto::socket_header_size) {
                auto h = proto::decode_socket_header(
                    std::span(buffer_).first(proto::socket_header_size));
                REQUIRE(h);
                const std::size_t end = proto::socket_header_size + h->length;
                if (buffer_.size() < end) {
                    break;
                }
                auto f = proto::decode_server_frame(
                    h->type, std::span(buffer_).subspan(proto::socket_header_size, h->length));
                const bool finished = f && done(*f);
                buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<long>(end));
                if (finished) {
                    return;
                }
            }
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                deadline - std::chrono::steady_clock::now());
            pollfd p{client_.fd(), POLLIN, 0};
            if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0) {
                return;
            }
            std::byte chunk[64 * 1024];
            const ssize_t n = ::read(client_.fd(), chunk, sizeof chunk);
            if (n <= 0) {
                return;
            }
            buffer_.insert(buffer_.end(), chunk, chunk + n);
        }
    }

    Client client_;
    std::vector<std::byte> buffer_;
    std::vector<std::string> lines_;
};

/// The DROP-IN count of `userid` in QUERY STATS (SMSGs dropped on its full ring).
std::uint64_t dropped_in(Client& op, const std::string& userid) {
    std::istringstream stats(op.cp("Q STATS").text);
    for (std::string line; std::getline(stats, line);) {
        std::istringstream words(line);
        std::string id, state, in, out, drops;
        if (words >> id >> state >> in >> out >> drops && id == userid) {
            return std::stoull(drops);
        }
    }
    return 0;
}

/// Holds a guest stopped (SIGSTOP) while it lives, so that its inbound ring
/// stays as full as a flood leaves it; SIGCONT on release.
class Stopped {
  public:
    explicit Stopped(pid_t pid) : pid_(pid) { REQUIRE(::kill(pid_, SIGSTOP) == 0); }
    ~Stopped() { release(); }
    Stopped(const Stopped&) = delete;
    Stopped& operator=(const Stopped&) = delete;
    void release() {
        if (pid_ > 0) {
            ::kill(std::exchange(pid_, 0), SIGCONT);
        }
    }

  private:
    pid_t pid_;
};

/// Logs on `flooder` (a FLOOD of a fixed count at a stopped guest) and waits
/// until the target's ring is full: cpd has started dropping its SMSGs.
void fill_ring(Client& op, const std::string& flooder, const std::string& target) {
    const std::uint64_t before = dropped_in(op, target);
    REQUIRE(op.cp("XAUTOLOG " + flooder).rc == CpRc::ok);
    REQUIRE(wait_until([&] { return dropped_in(op, target) > before; }, 10s, 20ms));
}

/// A FLOOD guest sending `count` SMSGs of `size` bytes to `target`.
std::string flood_user(const std::string& name, const std::string& target, int count, int size) {
    return "USER " + name + " NOPASS 16M 16M G\n IPL FLOOD PARM " + target + " " +
           std::to_string(count) + " " + std::to_string(size) + "\n";
}

} // namespace

TEST_SUITE("integration.cp_owed") {

    TEST_CASE("a CMS guest flooded by another guest's SMSGs still ends its commands with Ready") {
        // Each command is typed while CMS is stopped; then a FLOOD fills its ring
        // behind the command, and CMS resumes: CP's answer finds the ring full.
        const std::vector<std::pair<std::string, int>> commands = {{"TELL ECHO hi", 0},
                                                                   {"SMSG ECHO hello", 0},
                                                                   {"CP QUERY NAMES", 0},
                                                                   {"QUERY NAMES", 0},
                                                                   {"TELL NOBODY hi", 45}};
        HarnessConfig c;
        // With an A-disk, CMS saves LASTING GLOBALV (the last message) for every
        // SMSG: it reads slowly, as a busy guest does, so the ring stays full.
        c.directory = std::string(test_directory) +
                      "USER CMSU NOPASS 32M 64M G\n IPL CMS\n MDISK 0191 3390 1 1 OUT191 MR\n";
        for (std::size_t i = 0; i < commands.size(); ++i) {
            // 4-byte texts: an SMSG record is as small as CP's shortest answer
            // (24 bytes), so a ring too full for one more SMSG has no room for it.
            c.directory += flood_user("FLOODC" + std::to_string(i), "CMSU", 3000, 4);
        }
        c.autolog = "ECHO CMSU";
        c.extra_conf = "ring_kib = 64"; // 3000 SMSGs more than fill it
        CpdHarness cpd(c);
        REQUIRE(cpd.start());
        Client op = cpd.connect();
        const pid_t cms = cpd.guest_pid("CMSU");
        REQUIRE(cms > 0);
        Console console(cpd);
        REQUIRE(console.attach("CMSU"));
        REQUIRE(console.run("QUERY DISK A").has_value()); // CMS is up and reading

        for (std::size_t i = 0; i < commands.size(); ++i) {
            const auto& [command, expected_rc] = commands[i];
            CAPTURE(command);
            Stopped stopped(cms);
            REQUIRE(console.type(command));
            fill_ring(op, "FLOODC" + std::to_string(i), "CMSU");
            stopped.release();
            const std::optional<int> rc = console.end_of_command();
            REQUIRE(rc.has_value()); // "Ready;" came
            CHECK(*rc == expected_rc);
        }
        CHECK(op.cp("Q CMSU").rc == CpRc::ok);
        CHECK(cpd.log().find("CMSU: forcing it off") == std::string::npos);
    }

    TEST_CASE("QUIESCE/RESUME toggling against a full ring cannot get the peer forced off") {
        HarnessConfig c;
        c.directory =
            std::string(test_directory) + "USER TOGGLER NOPASS 16M 16M G\n IPL " +
            CPD_TEST_IUCV_PROBE +
            " PARM $DIR/state/disks/TOGGLER/0191/log\n MDISK 0191 3390 1 1 OUT191 MR\n IUCV ANY\n"
            "USER VICTIM NOPASS 16M 16M G\n IPL " +
            CPD_TEST_IUCV_PROBE +
            " PARM $DIR/state/disks/VICTIM/0191/log\n MDISK 0191 3390 1 1 OUT191 MR\n IUCV "
            "ALLOW\n" +
            flood_user("FLOODV", "VICTIM", 20000, 64);
        c.autolog = "TOGGLER VICTIM";
        CpdHarness cpd(c);
        REQUIRE(cpd.start());
        const std::string toggler = cpd.out_file("toggler"), victim = cpd.out_file("victim");
        REQUIRE(wait_for_line(toggler, "IPL TOGGLER"));
        REQUIRE(wait_for_line(victim, "IPL VICTIM"));
        Client op = cpd.connect();
        REQUIRE(op.smsg("TOGGLER", "CONNECT VICTIM").rc == CpRc::ok);
        REQUIRE(wait_for_line(toggler, "COMPLETE "));
        const std::string complete =
            read_file(toggler).substr(read_file(toggler).find("COMPLETE "));
        const std::string path = complete.substr(9, complete.find(' ', 9) - 9);

        {
            Stopped stopped(cpd.guest_pid("VICTIM")); // its ring stays full until it runs again
            fill_ring(op, "FLOODV", "VICTIM");
            REQUIRE(op.smsg("TOGGLER", "TOGGLE " + path + " 5000").rc == CpRc::ok);
            REQUIRE(wait_for_line(toggler, "TOGGLE " + path + " 5000", 10s));
            // 10,000 notifications for a guest that could drain none of them yet.
            REQUIRE(wait_until([&] { return op.cp("Q TOGGLER").rc == CpRc::ok; }, 1s));
            std::this_thread::sleep_for(200ms);
        }

        // VICTIM stays, and what it hears ends in the state the path is in: running.
        CHECK(wait_until(
            [&] {
                const auto lines = read_lines(victim);
                std::string last;
                for (const auto& l : lines) {
                    if (l.starts_with("QUIESCED") || l.starts_with("RESUMED")) {
                        last = l;
                    }
                }
                return last.empty() || last.starts_with("RESUMED");
            },
            5s));
        CHECK(op.cp("Q VICTIM").rc == CpRc::ok);
        CHECK(cpd.log().find("VICTIM: forcing it off") == std::string::npos);
        CHECK(cpd.log().find("VICTIM: forced off") == std::string::npos);
    }

    TEST_CASE(
        "a guest with a 64 KiB ring gets a QUERY answer larger than the ring, cut and marked") {
        HarnessConfig c;
        c.directory = std::string(test_directory) + "USER CMSU NOPASS 32M 64M G\n IPL CMS\n";
        constexpr int idle =
            230; // QUERY STATS: a 150-byte line each, over the 32 KiB a record holds
        for (int i = 0; i < idle; ++i) {
            c.directory +=
                "USER IDLE" + std::to_string(1000 + i) + " NOPASS 16M 16M G\n IPL SINK\n";
        }
        c.autolog = "CMSU";
        c.extra_conf = "ring_kib = 64";
        CpdHarness cpd(c);
        REQUIRE(cpd.start());
        Client op = cpd.connect();
        for (int i = 0; i < idle; ++i) {
            REQUIRE(op.cp("XAUTOLOG IDLE" + std::to_string(1000 + i)).rc == CpRc::ok);
        }
        REQUIRE(op.cp("Q STATS").text.size() > 32 * 1024); // too big for one record of the ring
        Console console(cpd);
        REQUIRE(console.attach("CMSU"));
        const std::optional<int> rc = console.run("QUERY STATS");
        REQUIRE(rc.has_value());
        CHECK(*rc == 0);
        REQUIRE(console.lines().size() > 100);
        CHECK(std::any_of(console.lines().begin(), console.lines().end(),
                          [](const std::string& l) { return l.starts_with("USERID "); }));
        CHECK(console.lines().back().starts_with("HCPRTR001W Response truncated: "));
        CHECK(cpd.log().find("CMSU: CP response of ") != std::string::npos);
    }

} // TEST_SUITE
