// SPDX-License-Identifier: MIT
// replace_durably on a temp directory: the new bytes replace the old whole
// and no temporary file stays; a link planted at the temporary name is not
// followed, the old file is kept and the answer says what failed.
#include "service/durable_file.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <unistd.h>

using namespace cpd::daemon;
namespace fs = std::filesystem;

namespace {

struct TempDir {
    fs::path dir = fs::temp_directory_path() / ("cpd-durable-unit-" + std::to_string(::getpid()));
    TempDir() { fs::create_directories(dir); }
    ~TempDir() { fs::remove_all(dir); }
};

std::string contents(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::span<const std::byte> bytes_of(const std::string& s) {
    return std::as_bytes(std::span(s));
}

} // namespace

TEST_SUITE("cpd.durable_file") {

    TEST_CASE("the new bytes replace the old file whole, with no temporary file left") {
        TempDir t;
        const fs::path file = t.dir / "state";
        const std::string first = "first version\n";
        const std::string second(100'000, 'x'); // more than one write may take
        CHECK(replace_durably(t.dir.string(), file.string(), bytes_of(first)).empty());
        CHECK(contents(file) == first);
        CHECK(replace_durably(t.dir.string(), file.string(), bytes_of(second)).empty());
        CHECK(contents(file) == second);
        CHECK_FALSE(fs::exists(t.dir / "state.tmp"));
        CHECK((fs::status(file).permissions() & fs::perms::all) ==
              (fs::perms::owner_read | fs::perms::owner_write));
    }

    TEST_CASE("a link at the temporary name is not followed and the old file stays") {
        TempDir t;
        const fs::path file = t.dir / "state";
        const fs::path target = t.dir / "elsewhere";
        const std::string old_text = "old\n";
        REQUIRE(replace_durably(t.dir.string(), file.string(), bytes_of(old_text)).empty());
        fs::create_symlink(target, t.dir / "state.tmp");
        const std::string problem =
            replace_durably(t.dir.string(), file.string(), bytes_of(std::string("new\n")));
        CHECK(problem.find("unable to create") != std::string::npos);
        CHECK(problem.find("state.tmp") != std::string::npos);
        CHECK(contents(file) == old_text);
        CHECK_FALSE(fs::exists(target));
    }
}
