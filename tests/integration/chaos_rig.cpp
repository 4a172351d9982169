// SPDX-License-Identifier: MIT
// ChaosRig's end of the run: floods stopped, the counters compared (SINK's own
// count with its ROUTED-IN, each IUCV receiver's count with what its sender
// sent less what failed and with QUERY IUCV), and every path's end counted.
#include "chaos_rig.hpp"

namespace cpd::test {

unsigned long long ChaosRig::sink_count() {
    Client listener = cpd_.connect();
    REQUIRE(listener.listen().rc == proto::CpRc::ok); // SINK answers to OPERATOR
    REQUIRE(listener.send(proto::ClientSmsgSend{*proto::Userid::parse("SINK"), "STATS"}));
    for (int i = 0; i < 4; ++i) { // the response and SINK's answer, in either order
        const Reply r = listener.read();
        if (r.is_event() && r.from == "SINK") {
            const auto w = words(r.text); // "SINK: <count> <last from> <last text>"
            REQUIRE(w.size() >= 2);
            return std::stoull(w[1]);
        }
        REQUIRE(r.type != 0);
    }
    FAIL("SINK did not answer STATS");
    return 0;
}

void ChaosRig::check_pair(const std::string& a, const std::string& b) {
    CAPTURE(a);
    tell(a, "STOP");
    // QUERY IUCV: PATH SOURCE SPATH TARGET TPATH STATE MSGLIM OUTST MSGS-S>T ...
    auto routed = [&] {
        for (const std::string& line : lines(op_.cp("QUERY IUCV").text)) {
            const auto w = words(line);
            if (w.size() >= 9 && w[1] == a && w[3] == b) {
                return std::stoull(w[8]);
            }
        }
        return ~0ull;
    };
    // FLUSHED comes once cpd answered a CP command queued behind a's last
    // message. Until one CP path carries responses and notifications in order
    // (issue 13, point 4) a response can be dropped on a ring full of busy
    // notifications, or pass notifications waiting in the backlog, so FLUSH is
    // repeated until a's count of failures has caught up.
    std::vector<std::string> f;
    unsigned long long delivered = 0;
    for (int i = 0; i < 20; ++i) {
        const std::size_t flushed = count(a, "FLUSHED");
        tell(a, "FLUSH");
        if (!wait_until([&] { return count(a, "FLUSHED") > flushed; }, 1s)) {
            continue;
        }
        f = last(a, "FLUSHED"); // FLUSHED <peer> <sent> <failed>
        REQUIRE(f.size() == 4);
        delivered = std::stoull(f[2]) - std::stoull(f[3]);
        if (delivered == routed()) {
            break;
        }
    }
    REQUIRE(f.size() == 4);
    CHECK(f[1] == b);
    CHECK(routed() == delivered); // sent less failed is what cpd delivered
    const std::size_t reports = count(b, "RECEIVED");
    tell(b, "REPORT");
    REQUIRE(wait_until([&] { return count(b, "RECEIVED") > reports; }, 5s));
    const auto r = last(b, "RECEIVED"); // RECEIVED <peer> <n>
    REQUIRE(r.size() == 3);
    CHECK(r[1] == a);
    CHECK(std::stoull(r[2]) == delivered); // and what b counted
    MESSAGE(a << " -> " << b << ": " << delivered << " IUCV messages on the last path");
}

void ChaosRig::check_counters_add_up() {
    // SMSG: SINK was never killed, so everything cpd delivered to it over the
    // whole run, kills of the senders included, is what SINK counted. Its
    // answer to STATS comes after every SMSG routed to it before, and the
    // STATS itself is routed in but not counted.
    for (const char* id : {"FLOOD1", "FLOOD2"}) {
        REQUIRE(op_.cp(std::string("FORCE ") + id).rc == proto::CpRc::ok);
        REQUIRE(wait_until(
            [&] { return op_.cp(std::string("Q ") + id).rc == proto::CpRc::not_logged_on; }, 5s));
    }
    const unsigned long long counted = sink_count();
    CHECK(routed_in("SINK") == counted + 1);
    MESSAGE("SINK counted " << counted << " SMSGs");

    // IUCV: each pair's last path, then every path ever made ends severed.
    for (const auto& [a, b] : pairs) {
        check_pair(a, b);
    }
    for (const auto& [a, b] : pairs) {
        for (const char* id : {a, b}) {
            REQUIRE(op_.cp(std::string("FORCE ") + id).rc == proto::CpRc::ok);
        }
    }
    REQUIRE(
        wait_until([&] { return op_.cp("QUERY IUCV").text.find('\n') == std::string::npos; }, 5s));
    const std::string stats = op_.cp("QUERY STATS").text;
    const std::string n = std::to_string(paths_);
    CHECK(stats.find("IUCV PATHS 0 OPEN, 0 PENDING; CONNECTS " + n + ", COMPLETED " + n +
                     ", REFUSED 0, FAILED 0, SEVERED " + n) != std::string::npos);
}

std::vector<pid_t> ChaosRig::zombies() const {
    std::vector<pid_t> out;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator("/proc", ec)) {
        const std::string name = e.path().filename().string();
        if (name.find_first_not_of("0123456789") != std::string::npos) {
            continue;
        }
        const std::string stat = read_file(e.path().string() + "/stat");
        const auto p = stat.rfind(')');
        if (p == std::string::npos) {
            continue;
        }
        std::istringstream rest(stat.substr(p + 2));
        char state = 0;
        long ppid = 0;
        rest >> state >> ppid;
        if (ppid == cpd_.pid() && state == 'Z') {
            out.push_back(static_cast<pid_t>(std::stol(name)));
        }
    }
    return out;
}

} // namespace cpd::test
