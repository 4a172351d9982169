// SPDX-License-Identifier: MIT
// LogmsgStore on a temp state directory: lines (empty ones included) come
// back as they were stored, a crash's temporary file is removed, a line break
// cannot split a line, and a file that is not cpd's is read only so far.
#include "messages/logmsg_store.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

using namespace cpd::daemon;
namespace fs = std::filesystem;

namespace {

struct TempState {
    fs::path dir = fs::temp_directory_path() / ("cpd-logmsg-unit-" + std::to_string(::getpid()));
    TempState() { fs::create_directories(dir); }
    ~TempState() { fs::remove_all(dir); }
};

} // namespace

TEST_SUITE("cpd.logmsg_store") {

    TEST_CASE("stored lines come back, empty ones kept, trailing ones dropped") {
        TempState t;
        LogmsgStore store(t.dir.string());
        CHECK(store.load().empty());
        CHECK(store.save({"one", "", "three"}));
        CHECK(LogmsgStore(t.dir.string()).load() == std::vector<std::string>{"one", "", "three"});
        CHECK_FALSE(fs::exists(t.dir / "logmsg.tmp"));
        CHECK(store.save({}));
        CHECK(store.load().empty());
    }

    TEST_CASE("a crash's temporary file is removed; a line break stays in its line") {
        TempState t;
        std::ofstream(t.dir / "logmsg.tmp") << "half";
        LogmsgStore store(t.dir.string());
        CHECK(store.load().empty());
        CHECK_FALSE(fs::exists(t.dir / "logmsg.tmp"));
        CHECK(store.save({"a\nb"}));
        CHECK(store.load() == std::vector<std::string>{"a b"});
    }

    TEST_CASE("a file that is not cpd's is read only up to the bounds") {
        TempState t;
        {
            std::ofstream f(t.dir / "logmsg");
            f << std::string(1000, 'x') << '\n';
            for (int i = 0; i < 200; ++i) {
                f << "line\n";
            }
        }
        const auto lines = LogmsgStore(t.dir.string()).load();
        REQUIRE(lines.size() == LogmsgStore::max_lines);
        CHECK(lines[0].size() == LogmsgStore::max_line);
    }
}
