// SPDX-License-Identifier: MIT
// Test support for the proto unit tests: one valid sample of every frame
// type (ring and socket), a byte-vector helper and a small deterministic
// pseudo-random generator for the fuzz loops. Header-only, tests only.
#pragma once

#include "cpd/proto/ring_frame.hpp"
#include "cpd/proto/socket_frame.hpp"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cpd::proto::test {

/// A userid known to be valid; aborts the test binary if it is not.
inline Userid uid(std::string_view s) {
    auto u = Userid::parse(s);
    if (!u) {
        __builtin_trap();
    }
    return *u;
}

/// Bytes of a string, for building payloads by hand.
inline std::vector<std::byte> to_bytes(std::string_view s) {
    std::vector<std::byte> v(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        v[i] = static_cast<std::byte>(s[i]);
    }
    return v;
}

/// IUCV user data with a recognisable pattern.
inline UserData user_data(std::uint8_t seed) {
    UserData d{};
    for (std::size_t i = 0; i < d.size(); ++i) {
        d[i] = static_cast<std::byte>(seed + i);
    }
    return d;
}

/// Shared backing store so sample string_views and spans stay valid.
inline const std::vector<std::byte>& sample_data() {
    static const std::vector<std::byte> d =
        to_bytes(std::string_view{"\x01\x02\x00\xff payload", 12});
    return d;
}

/// One valid instance of every GuestFrame alternative.
inline std::vector<GuestFrame> guest_samples() {
    const Bytes d = sample_data();
    return {SmsgSend{uid("echo"), "hello there"},
            SetSmsg{true},
            LogoffRequest{},
            CpCommand{7, "QUERY NAMES"},
            ConsoleOutput{"line of output"},
            ConsoleEnd{-3},
            HandlerPanic{"std::runtime_error: boom\nsecond line"},
            IucvConnect{1, uid("sink"), 10, user_data(1)},
            IucvAnswer{0xFFFFFFFFu, true, user_data(2)},
            IucvSever{2, user_data(3)},
            IucvSend{3, 99, true, d},
            IucvReply{3, 99, d},
            IucvQuiesce{4, user_data(4)},
            IucvResume{5, user_data(5)}};
}

/// One valid instance of every CpdFrame alternative.
inline std::vector<CpdFrame> cpd_samples() {
    const Bytes d = sample_data();
    return {SmsgDeliver{uid("MAINT"), "hi"},
            CpMessage{"HCPMSG045E ECHO not logged on"},
            Logoff{LogoffReason::force},
            CpResponse{7, CpRc::not_logged_on, "line one\nline two"},
            ConsoleInput{"query"},
            IucvPending{0xFFFFFFFEu, uid("A@#$"), 255, user_data(6)},
            IucvComplete{1, uid("PEER1"), 65535, user_data(7)},
            IucvFailed{1, IucvRc::not_authorized},
            IucvSevered{1, uid("PEER1"), user_data(8)},
            IucvMessage{1, 42, false, d},
            IucvReplyIn{1, 42, d},
            IucvQuiesced{1, user_data(9)},
            IucvResumed{1, user_data(10)},
            IucvSendFailed{1, 43, IucvRc::path_quiesced},
            DeviceChange{0x0192, true, false, "/var/lib/cpd/disks/MAINT/0192"},
            MessageDeliver{uid("ALICE"), MessageKind::warning, 1765000000, "system going down"}};
}

/// One valid instance of every ClientFrame alternative.
inline std::vector<ClientFrame> client_samples() {
    return {ClientCpCommand{"Q N"},
            ClientSmsgSend{uid("ECHO"), "ping"},
            ClientSmsgListen{},
            ClientConsoleAttach{uid("cms1"), AttachMode::force, true},
            ClientConsoleInput{"filelist"},
            ClientConsoleCp{"Q TIME"},
            ClientConsoleDetach{}};
}

/// One valid instance of every ServerFrame alternative.
inline std::vector<ServerFrame> server_samples() {
    return {ServerCpResponse{CpRc::ok, "ECHO - DSC\nSINK - DSC"},
            ServerSmsgEvent{uid("ECHO"), "pong"},
            ServerConsoleAttached{uid("CMS1"), ConsoleRole::observer},
            ServerConsoleOutput{"Ready;"},
            ServerConsoleEnd{0},
            ServerConsoleSkipped{1ull << 40},
            ServerConsoleRole{ConsoleRole::observer, "OPERATOR"},
            ServerConsoleClosed{CloseReason::crashed, "guest crashed"},
            ServerError{CpRc::invalid_operand, "bad frame"}};
}

/// xorshift64*: small, deterministic, good enough to drive fuzz loops.
class Rng {
  public:
    explicit Rng(std::uint64_t seed) : s_(seed | 1) {}
    std::uint64_t next() {
        s_ ^= s_ >> 12;
        s_ ^= s_ << 25;
        s_ ^= s_ >> 27;
        return s_ * 0x2545F4914F6CDD1Dull;
    }
    /// Uniform-ish value in [0, n).
    std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }
    std::byte byte() { return static_cast<std::byte>(next() >> 56); }

  private:
    std::uint64_t s_;
};

} // namespace cpd::proto::test
