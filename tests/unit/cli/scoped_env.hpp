// SPDX-License-Identifier: MIT
// ScopedEnv: sets or unsets one environment variable for a scope and puts
// the old value back after, so socket-choice tests do not leak into others.
#pragma once

#include <cstdlib>
#include <optional>
#include <string>

/// Sets (value != nullptr) or unsets `name` until the end of the scope.
struct ScopedEnv {
    std::string name;
    std::optional<std::string> saved;
    ScopedEnv(const char* n, const char* value) : name(n) {
        if (const char* old = std::getenv(n)) {
            saved = old;
        }
        value ? ::setenv(n, value, 1) : ::unsetenv(n);
    }
    ScopedEnv(const ScopedEnv&) = delete;
    ScopedEnv& operator=(const ScopedEnv&) = delete;
    ~ScopedEnv() { saved ? ::setenv(name.c_str(), saved->c_str(), 1) : ::unsetenv(name.c_str()); }
};
