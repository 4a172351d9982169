// SPDX-License-Identifier: MIT
// Unit tests of the logging facade: level filtering, prefix, the plain
// timestamped format, and journald priority prefixes when JOURNAL_STREAM names
// our stderr. stderr is redirected to a temporary file for each case.
#include "cpd/ipc/log.hpp"

#include <doctest/doctest.h>

#include <ostream> // doctest prints std::error_code through it

#include <cstdio>
#include <cstdlib>
#include <regex>
#include <string>

#include <sys/stat.h>
#include <unistd.h>

namespace {

/// Redirects fd 2 to a temporary file while alive; text() returns what was written.
class CapturedStderr {
public:
    CapturedStderr() {
        file_ = std::tmpfile();
        saved_ = ::dup(STDERR_FILENO);
        ::dup2(::fileno(file_), STDERR_FILENO);
    }
    ~CapturedStderr() {
        ::dup2(saved_, STDERR_FILENO);
        ::close(saved_);
        std::fclose(file_);
        ::unsetenv("JOURNAL_STREAM");
        cpd::ipc::detect_journal();
                cpd::ipc::set_log_prefix("");
        cpd::ipc::set_log_timestamps(true);
        cpd::ipc::set_log_level(cpd::ipc::LogLevel::info);
    }
    std::string text() {
        std::string s;
        char buf[512];
        std::rewind(file_);
        std::size_t n;
        while ((n = std::fread(buf, 1, sizeof buf, file_)) > 0) {
            s.append(buf, n);
        }
        return s;
    }
    /// Points JOURNAL_STREAM at the capture file, as systemd would.
    void pretend_journald() {
        struct stat st{};
        ::fstat(STDERR_FILENO, &st);
        std::string v = std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino);
        ::setenv("JOURNAL_STREAM", v.c_str(), 1);
    }

private:
    std::FILE* file_ = nullptr;
    int saved_ = -1;
};

} // namespace

TEST_SUITE("ipc.log") {

TEST_CASE("a plain line has a timestamp, the level and the prefix") {
    CapturedStderr cap;
    cpd::ipc::detect_journal();
    cpd::ipc::set_log_prefix("cpd:MAINT");
    CPD_LOG(warn, "supervisor: ", "MAINT", ": unable to map ring: ", 42);
    std::regex shape(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3} warn cpd:MAINT: )"
                     R"(supervisor: MAINT: unable to map ring: 42\n)");
    CHECK(std::regex_match(cap.text(), shape));
}

TEST_CASE("a guest's lines carry no timestamp: cpd stamps them") {
    CapturedStderr cap;
    cpd::ipc::detect_journal();
    cpd::ipc::set_log_timestamps(false);
    CPD_LOG(warn, "runtime: ", "ring full");
    CHECK(cap.text() == "warn runtime: ring full\n");
}

TEST_CASE("under journald lines carry syslog priorities and no timestamp") {
    CapturedStderr cap;
    cap.pretend_journald();
    cpd::ipc::detect_journal();
    cpd::ipc::set_log_level(cpd::ipc::LogLevel::debug);
    CPD_LOG(error, "e");
    CPD_LOG(warn, "w");
    CPD_LOG(info, "i");
    CPD_LOG(debug, "d\nsecond");
    CHECK(cap.text() == "<3>e\n<4>w\n<6>i\n<7>d second\n");
}

TEST_CASE("a JOURNAL_STREAM naming another file is ignored") {
    CapturedStderr cap;
    ::setenv("JOURNAL_STREAM", "1:1", 1);
    cpd::ipc::detect_journal();
    CPD_LOG(info, "x");
    CHECK(cap.text().rfind("<", 0) == std::string::npos);
    CHECK(cap.text().find(" info x\n") != std::string::npos);
}

TEST_CASE("messages above the level are not formatted") {
    CapturedStderr cap;
    cpd::ipc::set_log_level(cpd::ipc::LogLevel::warn);
    int formatted = 0;
    auto count = [&formatted] { return ++formatted; };
    CPD_LOG(info, "skipped ", count());
    CPD_LOG(trace, "skipped ", count());
    CPD_LOG(error, "kept ", count());
    CHECK(formatted == 1);
    CHECK(cap.text().find("kept 1") != std::string::npos);
    CHECK(cap.text().find("skipped") == std::string::npos);
}

TEST_CASE("level names parse and unknown names are refused") {
    cpd::ipc::LogLevel l = cpd::ipc::LogLevel::info;
    CHECK(cpd::ipc::parse_log_level("trace", l));
    CHECK(l == cpd::ipc::LogLevel::trace);
    CHECK(cpd::ipc::parse_log_level("error", l));
    CHECK(l == cpd::ipc::LogLevel::error);
    CHECK_FALSE(cpd::ipc::parse_log_level("verbose", l));
    CHECK_FALSE(cpd::ipc::parse_log_level("", l));
    CHECK(l == cpd::ipc::LogLevel::error);
}

} // TEST_SUITE
