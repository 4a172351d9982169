// SPDX-License-Identifier: MIT
// Little-endian fields behind a 32-bit kind; strings and lists carry a 32-bit
// count that the reader checks against what is left before it trusts it.
#include "spawner/spawn_wire.hpp"

#include <cstring>
#include <type_traits>

namespace cpd::daemon {
namespace {

// Kinds: cpd's orders below 100, the helper's answers from 100.
enum Kind : std::uint32_t {
    kind_spawn = 1,
    kind_kill = 2,
    kind_started = 101,
    kind_exec_heard = 102,
    kind_output_line = 103,
    kind_exited = 104,
};

/// The most strings in argv or envp (the guest's environment has seven).
constexpr std::uint32_t max_strings = 64;
/// The most seccomp instructions (BPF_MAXINSNS).
constexpr std::uint32_t max_filter = 4096;

class Packer {
  public:
    template <class T> void put(T value) {
        static_assert(std::is_integral_v<T>);
        using U = std::make_unsigned_t<T>;
        auto v = static_cast<U>(value);
        for (std::size_t i = 0; i < sizeof(T); ++i) {
            bytes.push_back(static_cast<std::uint8_t>(v & 0xFF));
            v = static_cast<U>(v >> 8);
        }
    }
    void put(const std::string& s) {
        put(static_cast<std::uint32_t>(s.size()));
        bytes.insert(bytes.end(), s.begin(), s.end());
    }
    void put(const std::vector<std::string>& list) {
        put(static_cast<std::uint32_t>(list.size()));
        for (const std::string& s : list) {
            put(s);
        }
    }
    std::vector<std::uint8_t> bytes;
};

class Unpacker {
  public:
    explicit Unpacker(std::span<const std::uint8_t> b) : b_(b) {}
    template <class T> T get() {
        static_assert(std::is_integral_v<T>);
        using U = std::make_unsigned_t<T>;
        if (!need(sizeof(T))) {
            return T{};
        }
        U v = 0;
        for (std::size_t i = 0; i < sizeof(T); ++i) {
            v = static_cast<U>(v | static_cast<U>(static_cast<U>(b_[at_ + i]) << (8 * i)));
        }
        at_ += sizeof(T);
        return static_cast<T>(v);
    }
    std::string get_string() {
        const auto n = get<std::uint32_t>();
        if (!need(n)) {
            return {};
        }
        std::string s(reinterpret_cast<const char*>(b_.data() + at_), n);
        at_ += n;
        return s;
    }
    std::vector<std::string> get_strings() {
        const auto n = get<std::uint32_t>();
        std::vector<std::string> out;
        if (n > max_strings) {
            ok_ = false;
            return out;
        }
        for (std::uint32_t i = 0; i < n && ok_; ++i) {
            out.push_back(get_string());
        }
        return out;
    }
    bool get_bool() {
        const auto v = get<std::uint8_t>();
        ok_ = ok_ && v <= 1;
        return v == 1;
    }
    /// True when every field was there and nothing is left over.
    bool done() const noexcept { return ok_ && at_ == b_.size(); }

  private:
    bool need(std::size_t n) {
        ok_ = ok_ && n <= b_.size() - at_;
        return ok_;
    }
    std::span<const std::uint8_t> b_;
    std::size_t at_ = 0;
    bool ok_ = true;
};

void pack_spawn(Packer& p, const SpawnOrder& o) {
    p.put(static_cast<std::uint32_t>(kind_spawn));
    p.put(o.tag);
    p.put(o.userid);
    p.put(o.program);
    p.put(o.argv);
    p.put(o.envp);
    p.put(static_cast<std::uint8_t>(o.has_sandbox));
    p.put(static_cast<std::uint8_t>(o.has_credentials));
    p.put(o.uid);
    p.put(o.gid);
    p.put(o.sweeper);
    p.put(o.data_limit);
    p.put(o.process_limit);
    p.put(o.open_files);
    p.put(static_cast<std::uint32_t>(o.seccomp.size()));
    for (const sock_filter& f : o.seccomp) {
        p.put(f.code);
        p.put(f.jt);
        p.put(f.jf);
        p.put(f.k);
    }
    p.put(static_cast<std::uint8_t>(o.has_landlock));
    p.put(o.cgroup_count);
    p.put(static_cast<std::uint8_t>(o.cgroups_confine_uid));
}

std::optional<ToHelper> unpack_spawn(Unpacker& u) {
    SpawnOrder o;
    o.tag = u.get<std::uint64_t>();
    o.userid = u.get_string();
    o.program = u.get_string();
    o.argv = u.get_strings();
    o.envp = u.get_strings();
    o.has_sandbox = u.get_bool();
    o.has_credentials = u.get_bool();
    o.uid = u.get<std::uint32_t>();
    o.gid = u.get<std::uint32_t>();
    o.sweeper = u.get<std::uint32_t>();
    o.data_limit = u.get<std::uint64_t>();
    o.process_limit = u.get<std::uint64_t>();
    o.open_files = u.get<std::uint64_t>();
    const auto filter = u.get<std::uint32_t>();
    if (filter > max_filter) {
        return std::nullopt;
    }
    for (std::uint32_t i = 0; i < filter; ++i) {
        sock_filter f{};
        f.code = u.get<std::uint16_t>();
        f.jt = u.get<std::uint8_t>();
        f.jf = u.get<std::uint8_t>();
        f.k = u.get<std::uint32_t>();
        o.seccomp.push_back(f);
    }
    o.has_landlock = u.get_bool();
    o.cgroup_count = u.get<std::uint8_t>();
    o.cgroups_confine_uid = u.get_bool();
    // An empty argv or program would exec nothing sensible; NULs would cut them.
    const bool sane = !o.argv.empty() && !o.program.empty() && o.cgroup_count <= 2 &&
                      o.program.find('\0') == std::string::npos;
    if (!u.done() || !sane) {
        return std::nullopt;
    }
    return o;
}

} // namespace

std::vector<std::uint8_t> pack(const ToHelper& message) {
    Packer p;
    if (const auto* o = std::get_if<SpawnOrder>(&message)) {
        pack_spawn(p, *o);
    } else {
        const auto& k = std::get<KillOrder>(message);
        p.put(static_cast<std::uint32_t>(kind_kill));
        p.put(k.tag);
        p.put(k.signal);
    }
    return std::move(p.bytes);
}

std::vector<std::uint8_t> pack(const FromHelper& message) {
    Packer p;
    std::visit(
        [&p](const auto& m) {
            using M = std::decay_t<decltype(m)>;
            if constexpr (std::is_same_v<M, Started>) {
                p.put(static_cast<std::uint32_t>(kind_started));
                p.put(m.tag);
                p.put(m.pid);
                p.put(m.error_number);
                p.put(m.error);
            } else if constexpr (std::is_same_v<M, ExecHeard>) {
                p.put(static_cast<std::uint32_t>(kind_exec_heard));
                p.put(m.tag);
                p.put(m.step);
                p.put(m.error_number);
            } else if constexpr (std::is_same_v<M, OutputLine>) {
                p.put(static_cast<std::uint32_t>(kind_output_line));
                p.put(m.tag);
                p.put(m.line);
            } else {
                p.put(static_cast<std::uint32_t>(kind_exited));
                p.put(m.tag);
                p.put(m.wait_status);
            }
        },
        message);
    return std::move(p.bytes);
}

std::optional<ToHelper> unpack_to_helper(std::span<const std::uint8_t> bytes) {
    Unpacker u(bytes);
    const auto kind = u.get<std::uint32_t>();
    if (kind == kind_spawn) {
        return unpack_spawn(u);
    }
    if (kind == kind_kill) {
        KillOrder k;
        k.tag = u.get<std::uint64_t>();
        k.signal = u.get<std::int32_t>();
        if (u.done()) {
            return k;
        }
    }
    return std::nullopt;
}

std::optional<FromHelper> unpack_from_helper(std::span<const std::uint8_t> bytes) {
    Unpacker u(bytes);
    const auto kind = u.get<std::uint32_t>();
    std::optional<FromHelper> out;
    switch (kind) {
    case kind_started: {
        Started m;
        m.tag = u.get<std::uint64_t>();
        m.pid = u.get<std::int32_t>();
        m.error_number = u.get<std::int32_t>();
        m.error = u.get_string();
        out = m;
        break;
    }
    case kind_exec_heard: {
        ExecHeard m;
        m.tag = u.get<std::uint64_t>();
        m.step = u.get<std::int32_t>();
        m.error_number = u.get<std::int32_t>();
        out = m;
        break;
    }
    case kind_output_line: {
        OutputLine m;
        m.tag = u.get<std::uint64_t>();
        m.line = u.get_string();
        out = m;
        break;
    }
    case kind_exited: {
        Exited m;
        m.tag = u.get<std::uint64_t>();
        m.wait_status = u.get<std::int32_t>();
        out = m;
        break;
    }
    default:
        return std::nullopt;
    }
    if (!u.done()) {
        return std::nullopt;
    }
    return out;
}

} // namespace cpd::daemon
