// SPDX-License-Identifier: MIT
// Helpers for the CMS processor tests: a private temporary directory
// (mkdtemp, removed on destruction) holding minidisk directories, file
// helpers, and a processor IPL'd with A (191, R/W) and B (192, R/O) disks.
#pragma once

#include "cpd/cms/command_processor.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace cms_test {

namespace fs = std::filesystem;

/// A temporary directory removed (with its contents) when the object dies.
class TempDir {
  public:
    TempDir() {
        std::string tmpl = (fs::temp_directory_path() / "cms-test-XXXXXX").string();
        if (::mkdtemp(tmpl.data()) == nullptr) {
            throw std::runtime_error("mkdtemp failed");
        }
        path_ = tmpl;
    }
    ~TempDir() {
        std::error_code ec;
        fs::permissions(path_, fs::perms::owner_all, fs::perm_options::add, ec);
        fs::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const fs::path& path() const { return path_; }

  private:
    fs::path path_;
};

/// Writes `content` to `path`, creating parent directories.
inline void put(const fs::path& path, const std::string& content) {
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << content;
}

/// The whole content of `path` ("" if missing).
inline std::string get(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    if (in) {
        out << in.rdbuf();
    }
    return out.str();
}

/// A processor for USER1 with A = <tmp>/a (191 RW) and B = <tmp>/b (192 RO), IPL'd.
struct Machine {
    TempDir dir;
    fs::path a = dir.path() / "a";
    fs::path b = dir.path() / "b";
    cpd::cms::CommandProcessor cms{"user1", disks()};
    std::vector<std::string> ipl_lines = cms.ipl();

    std::vector<cpd::cms::DiskConfig> disks() const {
        return {{'A', false, "191", a.string()}, {'B', true, "192", b.string()}};
    }
    /// The processor's session state.
    cpd::cms::Session& session() { return cms.session(); }
    /// Runs one line.
    cpd::cms::CommandResult run(std::string_view line) { return cms.execute(line); }
};

/// The lines of a result joined by '\n' (for CHECK messages and substring checks).
inline std::string text(const cpd::cms::CommandResult& r) {
    std::string out;
    for (const auto& l : r.lines) {
        out += l + '\n';
    }
    return out;
}

/// True if `hay` contains `needle`.
inline bool has(const std::string& hay, std::string_view needle) {
    return hay.find(needle) != std::string::npos;
}

} // namespace cms_test
