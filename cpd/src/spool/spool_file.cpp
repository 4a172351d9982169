// SPDX-License-Identifier: MIT
// SpoolFile's metadata text: "key=value" lines. Unknown keys are ignored
// (a newer cpd may add some); a missing or bad required one refuses the file.
#include "spool/spool_file.hpp"

#include <charconv>
#include <map>

namespace cpd::daemon {
namespace {

template <class T>
std::optional<T> number(const std::map<std::string, std::string>& m, const char* key) {
    auto it = m.find(key);
    if (it == m.end()) {
        return std::nullopt;
    }
    T v{};
    const std::string& s = it->second;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || p != s.data() + s.size()) {
        return std::nullopt;
    }
    return v;
}

std::optional<SpoolDevice> device(std::string_view s) {
    for (auto d : {SpoolDevice::pun, SpoolDevice::prt, SpoolDevice::con, SpoolDevice::rdr}) {
        if (proto::device_name(d) == s) {
            return d;
        }
    }
    return std::nullopt;
}

/// A name, type, dist or form: up to 8 printable characters, no blank.
bool is_token(std::string_view s) {
    if (s.size() > 8) {
        return false;
    }
    for (char c : s) {
        if (c <= ' ' || c > '~') {
            return false;
        }
    }
    return true;
}

} // namespace

bool is_spool_class(char c) noexcept {
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

std::string pack_meta(const SpoolFile& f) {
    std::string s;
    auto line = [&](const char* k, std::string_view v) {
        s += k;
        s += '=';
        s += v;
        s += '\n';
    };
    line("format", "1");
    line("spoolid", std::to_string(f.spoolid));
    line("owner", f.owner.str());
    line("queue", proto::device_name(f.queue));
    line("origin", f.origin.str());
    line("made_on", proto::device_name(f.made_on));
    line("origin_spoolid", std::to_string(f.origin_spoolid));
    line("class", std::string(1, f.spool_class));
    line("name", f.name);
    line("type", f.type);
    line("dist", f.dist);
    line("form", f.form);
    line("dest", f.dest); // absent in files of earlier versions: DEST OFF
    line("records", std::to_string(f.records));
    line("bytes", std::to_string(f.bytes));
    line("copies", std::to_string(f.copies));
    line("hold", f.hold ? "1" : "0");
    line("keep", f.keep ? "1" : "0");
    line("created", std::to_string(f.created));
    line("order", std::to_string(f.order));
    return s;
}

std::optional<SpoolFile> unpack_meta(std::string_view text) {
    std::map<std::string, std::string> m;
    while (!text.empty()) {
        const std::size_t nl = text.find('\n');
        std::string_view ln = text.substr(0, nl);
        text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
        const std::size_t eq = ln.find('=');
        if (eq != std::string_view::npos) {
            m.emplace(std::string(ln.substr(0, eq)), std::string(ln.substr(eq + 1)));
        }
    }
    auto owner = proto::Userid::parse(m["owner"]);
    auto origin = proto::Userid::parse(m["origin"]);
    auto queue = device(m["queue"]);
    auto made_on = device(m["made_on"]);
    auto spoolid = number<std::uint16_t>(m, "spoolid");
    auto copies = number<std::uint16_t>(m, "copies");
    auto records = number<std::uint32_t>(m, "records");
    auto bytes = number<std::uint64_t>(m, "bytes");
    if (m["format"] != "1" || !owner || !origin || !queue || !made_on || !spoolid ||
        *spoolid == 0 || *spoolid > 9999 || !copies || *copies == 0 || *copies > 255 || !records ||
        !bytes || m["class"].size() != 1 || !is_spool_class(m["class"][0])) {
        return std::nullopt;
    }
    for (const char* k : {"name", "type", "dist", "form", "dest"}) {
        if (!is_token(m[k])) {
            return std::nullopt;
        }
    }
    SpoolFile f(*owner);
    f.spoolid = *spoolid;
    f.queue = *queue;
    f.origin = *origin;
    f.made_on = *made_on;
    f.origin_spoolid = number<std::uint16_t>(m, "origin_spoolid").value_or(*spoolid);
    f.spool_class = m["class"][0];
    f.name = m["name"];
    f.type = m["type"];
    f.dist = m["dist"];
    f.form = m["form"];
    f.dest = m["dest"];
    f.records = *records;
    f.bytes = *bytes;
    f.copies = *copies;
    f.hold = m["hold"] == "1";
    f.keep = m["keep"] == "1";
    f.created = number<std::int64_t>(m, "created").value_or(0);
    f.order = number<std::uint64_t>(m, "order").value_or(0);
    return f;
}

} // namespace cpd::daemon
