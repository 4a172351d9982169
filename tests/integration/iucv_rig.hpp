// SPDX-License-Identifier: MIT
// IucvRig: the real cpd with IUCVPROBE guests (iucv_probe_guest.cpp) and a
// directory that exercises authorization and MAXCONN, plus helpers to script
// the guests by SMSG and to read what they recorded. Shared by iucv_*_test.cpp.
#pragma once

#include "test_directory.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

namespace cpd::test {

/// ALICE may connect anywhere; BOB accepts anyone; CAROL has no IUCV statement;
/// DAVE accepts anyone but holds one path at most; EVE connects anywhere, one path
/// at most; FRANK is in the directory but never logged on.
inline constexpr const char* iucv_directory = R"(* IUCV integration test directory
USER OPERATOR NOPASS 64M 128M ABCDEFG
 POSIXINFO UID 0
USER ALICE NOPASS 16M 16M G
 IPL $IUCVPROBE PARM $DIR/state/disks/ALICE/0191/log
 MDISK 0191 3390 1 1 OUT191 MR
 IUCV ANY
USER BOB NOPASS 16M 16M G
 IPL $IUCVPROBE PARM $DIR/state/disks/BOB/0191/log
 MDISK 0191 3390 1 1 OUT191 MR
 IUCV ALLOW
USER CAROL NOPASS 16M 16M G
 IPL $IUCVPROBE PARM $DIR/state/disks/CAROL/0191/log
 MDISK 0191 3390 1 1 OUT191 MR
USER DAVE NOPASS 16M 16M G
 IPL $IUCVPROBE PARM $DIR/state/disks/DAVE/0191/log
 MDISK 0191 3390 1 1 OUT191 MR
 IUCV ALLOW
 OPTION MAXCONN 1
USER EVE NOPASS 16M 16M G
 IPL $IUCVPROBE PARM $DIR/state/disks/EVE/0191/log
 MDISK 0191 3390 1 1 OUT191 MR
 IUCV ANY
 OPTION MAXCONN 1
USER FRANK NOPASS 16M 16M G
 IPL $IUCVPROBE PARM $DIR/state/disks/FRANK/0191/log
 MDISK 0191 3390 1 1 OUT191 MR
 IUCV ALLOW
)";

/// The first id cpd gives an incoming path (they count down from here).
inline constexpr const char* first_in = "4294967295";
/// The second one.
inline constexpr const char* second_in = "4294967294";

/// A cpd with the IUCV directory and the given guests logged on.
class IucvRig {
  public:
    /// `extra_conf`: more cpd.conf lines (e.g. a small ring_kib).
    explicit IucvRig(const std::string& autolog, const std::string& extra_conf = "")
        : cpd_(config(autolog, extra_conf)) {
        REQUIRE(cpd_.start());
        std::size_t pos = 0;
        while (pos < autolog.size()) {
            std::size_t end = std::min(autolog.find(' ', pos), autolog.size());
            std::string id = autolog.substr(pos, end - pos);
            if (!id.empty()) {
                REQUIRE(wait_for_line(file(id), "IPL " + id));
            }
            pos = end + 1;
        }
        op_ = cpd_.connect();
        REQUIRE(op_.ok());
    }

    IucvRig(const IucvRig&) = delete;
    IucvRig& operator=(const IucvRig&) = delete;
    /// With CPD_TEST_SHOW_LOG set, prints cpd's log and the event files (for debugging).
    ~IucvRig() {
        if (std::getenv("CPD_TEST_SHOW_LOG") != nullptr) {
            std::fprintf(stderr, "---- cpd log\n%s", cpd_.log().c_str());
            for (const char* id : {"ALICE", "BOB", "CAROL", "DAVE", "EVE"}) {
                std::fprintf(stderr, "---- %s\n%s", id, read_file(file(id)).c_str());
            }
        }
    }

    CpdHarness& cpd() { return cpd_; }
    Client& op() { return op_; }

    /// The event file of a guest.
    std::string file(const std::string& userid) const {
        std::string lower = userid;
        for (char& c : lower) {
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        return cpd_.out_file(lower);
    }
    /// Sends a command to a guest (as an SMSG from OPERATOR).
    void tell(const std::string& userid, const std::string& command) {
        REQUIRE(op_.smsg(userid, command).rc == proto::CpRc::ok);
    }
    /// tell(), retried while the guest's ring is full (rc 61): for floods of
    /// commands that a guest on a loaded machine may fall behind on.
    void tell_patiently(const std::string& userid, const std::string& command) {
        proto::CpRc rc = proto::CpRc::busy;
        for (int i = 0; i < 10000 && rc == proto::CpRc::busy; ++i) {
            if ((rc = op_.smsg(userid, command).rc) == proto::CpRc::busy) {
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
            }
        }
        REQUIRE(rc == proto::CpRc::ok);
    }
    /// Waits until the guest recorded a line containing `needle`.
    bool saw(const std::string& userid, const std::string& needle,
             std::chrono::milliseconds timeout = 5s) const {
        return wait_for_line(file(userid), needle, timeout);
    }
    /// True if the guest recorded `needle` anywhere (no waiting).
    bool has(const std::string& userid, const std::string& needle) const {
        return read_file(file(userid)).find(needle) != std::string::npos;
    }
    /// Index of the first line containing `needle`, or -1.
    long line_of(const std::string& userid, const std::string& needle) const {
        auto lines = read_lines(file(userid));
        for (std::size_t i = 0; i < lines.size(); ++i) {
            if (lines[i].find(needle) != std::string::npos) {
                return static_cast<long>(i);
            }
        }
        return -1;
    }
    /// Number of lines containing `needle`.
    std::size_t count(const std::string& userid, const std::string& needle) const {
        auto lines = read_lines(file(userid));
        return static_cast<std::size_t>(std::count_if(lines.begin(), lines.end(), [&](auto& l) {
            return l.find(needle) != std::string::npos;
        }));
    }
    /// Text of a CP command issued by OPERATOR.
    std::string cp(const std::string& command) { return op_.cp(command).text; }
    /// ALICE connects to `target` and both ends report the path complete.
    void establish(const std::string& source, const std::string& target, const std::string& spath,
                   const std::string& tpath, const std::string& extra = "") {
        tell(source, "CONNECT " + target + extra);
        REQUIRE(saw(source, "COMPLETE " + spath + " " + target));
        REQUIRE(saw(target, "COMPLETE " + tpath + " " + source));
    }
    /// Gives in-flight frames time to show up (for "nothing arrived" checks).
    static void settle() { std::this_thread::sleep_for(150ms); }

  private:
    static HarnessConfig config(const std::string& autolog, const std::string& extra_conf) {
        HarnessConfig c;
        c.extra_conf = extra_conf;
        c.directory = iucv_directory;
        for (std::size_t p; (p = c.directory.find("$IUCVPROBE")) != std::string::npos;) {
            c.directory.replace(p, 10, CPD_TEST_IUCV_PROBE);
        }
        c.autolog = autolog;
        return c;
    }

    CpdHarness cpd_;
    Client op_;
};

} // namespace cpd::test
