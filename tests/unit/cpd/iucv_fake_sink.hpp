// SPDX-License-Identifier: MIT
// A fake IucvSink for the IucvPaths unit tests: an in-memory directory, a set
// of logged-on userids, per-guest "ring full" switches, and a log of every
// frame pushed (message data copied, since frames only borrow it).
#pragma once

#include "config/directory/directory_parser.hpp"
#include "routing/iucv/iucv_paths.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace cpd::daemon::test {

using proto::IucvRc;
using proto::Userid;

/// A userid from text; the test fails if it is invalid.
inline Userid uid(std::string_view text) {
    auto r = Userid::parse(text);
    REQUIRE(r.has_value());
    return *r;
}

/// 16 bytes of user data from text, zero padded.
inline proto::UserData ud(std::string_view text) {
    proto::UserData d{};
    std::memcpy(d.data(), text.data(), std::min(text.size(), d.size()));
    return d;
}

/// `n` bytes counting up from `seed`.
inline std::vector<std::byte> bytes(std::size_t n, unsigned seed = 0) {
    std::vector<std::byte> v(n);
    for (std::size_t i = 0; i < n; ++i)
        v[i] = static_cast<std::byte>((i + seed) & 0xFF);
    return v;
}

/// One frame the sink was given.
struct Sent {
    Userid to;
    proto::CpdFrame frame;
    std::vector<std::byte> data; ///< copy of IucvMessage / IucvReplyIn data
    bool via_notify;
};

class FakeSink : public IucvSink {
  public:
    /// Adds a directory entry (a bare USER statement), logged on unless told otherwise.
    DirectoryEntry& add(std::string_view name, bool logged_on = true) {
        load("USER " + std::string(name) + " PW\n", logged_on);
        return dir.at(uid(name));
    }
    /// Adds every entry of a directory text, logged on unless told otherwise.
    void load(const std::string& text, bool logged_on = true) {
        auto parsed = parse_directory(text, "test.direct");
        REQUIRE(parsed.ok());
        for (const auto& [id, e] : parsed.directory.entries()) {
            dir.insert_or_assign(id, e);
            if (logged_on)
                on.insert(id);
        }
    }
    /// Adds an IUCV statement to an entry.
    static void allow(DirectoryEntry& e, IucvAuthorization::Kind k,
                      std::optional<Userid> target = std::nullopt, std::uint32_t msglimit = 0) {
        e.iucv.push_back(IucvAuthorization{.kind = k, .target = target, .msglimit = msglimit});
    }

    bool try_deliver(const Userid& to, const proto::CpdFrame& f) override {
        if (full.count(to) != 0)
            return false;
        record(to, f, false);
        return true;
    }
    void notify(const Userid& to, const proto::CpdFrame& f) override { record(to, f, true); }
    bool is_logged_on(const Userid& id) const override { return on.count(id) != 0; }
    const DirectoryEntry* entry(const Userid& id) const override {
        auto it = dir.find(id);
        return it == dir.end() ? nullptr : &it->second;
    }

    /// Returns and forgets everything sent so far.
    std::vector<Sent> take() { return std::exchange(sent, {}); }

    std::map<Userid, DirectoryEntry> dir;
    std::set<Userid> on;
    std::set<Userid> full;
    std::vector<Sent> sent;

  private:
    void record(const Userid& to, const proto::CpdFrame& f, bool via_notify) {
        Sent s{to, f, {}, via_notify};
        if (auto* m = std::get_if<proto::IucvMessage>(&f))
            s.data.assign(m->data.begin(), m->data.end());
        if (auto* r = std::get_if<proto::IucvReplyIn>(&f))
            s.data.assign(r->data.begin(), r->data.end());
        sent.push_back(std::move(s));
    }
};

/// The frame of `s` as a T; the test fails if it is another kind.
template <class T> const T& as(const Sent& s) {
    const T* p = std::get_if<T>(&s.frame);
    REQUIRE(p != nullptr);
    return *p;
}

/// A sink whose directory authorizes everyone (IUCV ALLOW), with IucvPaths on top.
struct Fixture {
    FakeSink sink;
    IucvPaths paths{sink};

    /// Adds guests that anyone may connect to.
    void open_guests(std::initializer_list<std::string_view> names) {
        for (auto n : names)
            FakeSink::allow(sink.add(n), IucvAuthorization::Kind::allow);
    }
    /// CONNECT `from` -> `to` on local id `path`.
    IucvRc connect(std::string_view from, std::uint32_t path, std::string_view to,
                   std::uint16_t msglimit = 0, proto::UserData data = {}) {
        return paths.connect(uid(from), proto::IucvConnect{path, uid(to), msglimit, data});
    }
    /// Connects and accepts; returns the target's local id. Clears the sink log.
    std::uint32_t establish(std::string_view from, std::uint32_t path, std::string_view to,
                            std::uint16_t msglimit = 0) {
        REQUIRE(connect(from, path, to, msglimit) == IucvRc::ok);
        auto sent = sink.take();
        REQUIRE(sent.size() == 1);
        const std::uint32_t target_path = as<proto::IucvPending>(sent[0]).path;
        REQUIRE(paths.answer(uid(to), proto::IucvAnswer{target_path, true, {}}) == IucvRc::ok);
        REQUIRE(sink.take().size() == 2);
        return target_path;
    }
};

} // namespace cpd::daemon::test
