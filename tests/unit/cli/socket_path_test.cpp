// SPDX-License-Identifier: MIT
// The control socket's default path and address syntax, the one rule cpd and
// the tools share: root vs other users, XDG_RUNTIME_DIR set, unset, empty or
// relative, and the address forms (unix://, other schemes, length limit).
#include "socket_path.hpp"

#include "scoped_env.hpp"

#include <doctest/doctest.h>

#include <string>

#include <unistd.h>

using namespace cpd::common;

TEST_SUITE("common.socket_path") {

    TEST_CASE("root uses the system socket even inside a login session") {
        CHECK(default_socket_path(true, std::nullopt) == "/run/cpd/cpd.sock");
        CHECK(default_socket_path(true, "/run/user/0") == "/run/cpd/cpd.sock");
    }

    TEST_CASE("another user uses its runtime directory") {
        CHECK(default_socket_path(false, "/run/user/1000") == "/run/user/1000/cpd/cpd.sock");
    }

    TEST_CASE("without a usable XDG_RUNTIME_DIR another user falls back to the system socket") {
        SUBCASE("unset") { CHECK(default_socket_path(false, std::nullopt) == "/run/cpd/cpd.sock"); }
        SUBCASE("empty") { CHECK(default_socket_path(false, "") == "/run/cpd/cpd.sock"); }
        SUBCASE("relative, which the XDG spec says to ignore") {
            CHECK(default_socket_path(false, "run/user/1000") == "/run/cpd/cpd.sock");
        }
    }

    TEST_CASE("the process default reads the effective uid and XDG_RUNTIME_DIR") {
        const bool root = ::geteuid() == 0;
        {
            ScopedEnv xdg("XDG_RUNTIME_DIR", "/tmp/xdg-test");
            CHECK(default_socket_path() ==
                  (root ? "/run/cpd/cpd.sock" : "/tmp/xdg-test/cpd/cpd.sock"));
        }
        ScopedEnv xdg("XDG_RUNTIME_DIR", nullptr);
        CHECK(default_socket_path() == "/run/cpd/cpd.sock");
    }

    TEST_CASE("addresses are absolute paths, with or without unix://") {
        std::string path;
        REQUIRE(parse_socket_address("/run/x.sock", path) == SocketAddressError::none);
        CHECK(path == "/run/x.sock");
        REQUIRE(parse_socket_address("unix:///tmp/y.sock", path) == SocketAddressError::none);
        CHECK(path == "/tmp/y.sock");
    }

    TEST_CASE("other addresses are refused and leave the path alone") {
        std::string path = "kept";
        CHECK(parse_socket_address("tcp://host:1", path) == SocketAddressError::other_scheme);
        CHECK(parse_socket_address("relative.sock", path) == SocketAddressError::not_absolute);
        CHECK(parse_socket_address("unix://relative.sock", path) ==
              SocketAddressError::not_absolute);
        CHECK(parse_socket_address("", path) == SocketAddressError::not_absolute);
        CHECK(path == "kept");
        CHECK(describe(SocketAddressError::not_absolute).find("absolute") != std::string::npos);
    }

    TEST_CASE("a path must fit a sockaddr_un with its NUL") {
        std::string path;
        const std::string fits = "/" + std::string(106, 'a'); // 107 bytes
        CHECK(parse_socket_address(fits, path) == SocketAddressError::none);
        CHECK(parse_socket_address(fits + "a", path) == SocketAddressError::too_long);
        CHECK(describe(SocketAddressError::too_long).find("107") != std::string::npos);
    }
}
