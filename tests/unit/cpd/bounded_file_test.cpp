// SPDX-License-Identifier: MIT
// BoundedFile: a regular file is read whole or in slices; a FIFO, a directory
// or a device is refused at once, naming its type; a file over the bound, or
// one that grows past it while read, is refused; nothing here may block.
#include "config/bounded_file.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <sys/stat.h>
#include <unistd.h>

using namespace cpd::daemon;

namespace {

/// A private temp directory, removed at scope end.
struct TempDir {
    std::string path;
    TempDir() {
        char t[] = "/tmp/cpd-bounded-XXXXXX";
        path = ::mkdtemp(t);
    }
    ~TempDir() { std::filesystem::remove_all(path); }
    std::string write(const std::string& name, const std::string& text) const {
        std::ofstream(path + "/" + name) << text;
        return path + "/" + name;
    }
};

} // namespace

TEST_SUITE("cpd.bounded_file") {

    TEST_CASE("a regular file is read whole, or a slice at a time to the same text") {
        TempDir dir;
        const std::string path = dir.write("cpd.conf", "directory = user.direct\n");
        SUBCASE("whole") {
            BoundedFile file(path, 100, "config file");
            REQUIRE(file.read_all());
            CHECK(file.complete());
            CHECK(file.take_text() == "directory = user.direct\n");
        }
        SUBCASE("three bytes a slice") {
            BoundedFile file(path, 100, "config file");
            int slices = 0;
            while (!file.read_some(3)) {
                ++slices;
            }
            CHECK(file.complete());
            CHECK(slices >= 8);
            CHECK(file.take_text() == "directory = user.direct\n");
        }
    }

    TEST_CASE("an empty file and a file of exactly the bound are read") {
        TempDir dir;
        BoundedFile empty(dir.write("empty", ""), 10, "config file");
        CHECK(empty.read_all());
        CHECK(empty.take_text().empty());
        BoundedFile full(dir.write("full", "0123456789"), 10, "config file");
        CHECK(full.read_all());
        CHECK(full.take_text() == "0123456789");
    }

    TEST_CASE("a missing file names the errno text") {
        BoundedFile file("/nonexistent-cpd-test/cpd.conf", 100, "config file");
        CHECK_FALSE(file.read_all());
        CHECK(file.problem() == "unable to open config file: No such file or directory");
    }

    TEST_CASE("what is not a regular file is refused at open, naming its type") {
        TempDir dir;
        SUBCASE("a FIFO without a writer, which a blocking open would wait on forever") {
            const std::string fifo = dir.path + "/user.direct";
            REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
            BoundedFile file(fifo, 100, "directory file");
            CHECK(file.problem() == "directory file is a FIFO, not a regular file");
            CHECK(file.read_some(100)); // over: nothing to read
        }
        SUBCASE("a directory") {
            BoundedFile file(dir.path, 100, "config file");
            CHECK(file.problem() == "config file is a directory, not a regular file");
        }
        SUBCASE("/dev/zero, which never ends") {
            BoundedFile file("/dev/zero", 100, "config file");
            CHECK(file.problem() == "config file is a character device, not a regular file");
        }
        SUBCASE("a symbolic link to /dev/null is judged by what it points at") {
            const std::string link = dir.path + "/cpd.conf";
            REQUIRE(::symlink("/dev/null", link.c_str()) == 0);
            BoundedFile file(link, 100, "config file");
            CHECK(file.problem() == "config file is a character device, not a regular file");
        }
    }

    TEST_CASE("a file over the bound is refused before it is read") {
        TempDir dir;
        BoundedFile file(dir.write("big", "0123456789A"), 10, "config file");
        CHECK(file.problem() == "config file is larger than 10 bytes (11 bytes)");
        CHECK_FALSE(file.read_all());
        CHECK(file.take_text().empty());
    }

    TEST_CASE("a file that grows past the bound while read is refused") {
        // /proc files say size 0 in fstat and then have more: the same as a file
        // that grew between fstat and read.
        BoundedFile file("/proc/self/status", 64, "config file");
        CHECK(file.problem().empty());
        CHECK_FALSE(file.read_all());
        CHECK(file.problem() == "config file grew past 64 bytes while it was read");
        CHECK(file.take_text().empty());
    }

    TEST_CASE("bounds are described as the man pages give them") {
        CHECK(describe_size(16 * 1024 * 1024) == "16 MiB");
        CHECK(describe_size(512 * 1024) == "512 KiB");
        CHECK(describe_size(100) == "100 bytes");
        CHECK(describe_size(0) == "0 bytes");
    }

} // TEST_SUITE
