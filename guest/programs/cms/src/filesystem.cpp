// SPDX-License-Identifier: MIT
// Minidisks as host directories: the A-Z mode table and the file operations
// CMS commands need. Every std::filesystem call uses the error_code overloads,
// so a host failure becomes FsStatus::io_error, never an exception.
#include "cpd/cms/filesystem.hpp"

#include "cpd/cms/filespec.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <sstream>
#include <system_error>
#include <tuple>

namespace cpd::cms {
namespace fs = std::filesystem;

namespace {

std::optional<std::size_t> slot(char letter) noexcept {
    if (letter < 'A' || letter > 'Z') {
        return std::nullopt;
    }
    return static_cast<std::size_t>(letter - 'A');
}

// Splits a host name "fn.ft" (lower case, valid names) into upper-case fn and ft.
bool split_host_name(const std::string& name, std::string& fn, std::string& ft) {
    const auto dot = name.find('.');
    if (dot == std::string::npos || name != to_lower(name)) {
        return false;
    }
    fn = name.substr(0, dot);
    ft = name.substr(dot + 1);
    if (!is_valid_name(fn) || !is_valid_name(ft)) {
        return false;
    }
    fn = to_upper(fn);
    ft = to_upper(ft);
    return true;
}

bool is_regular(const fs::path& p) {
    std::error_code ec;
    return fs::is_regular_file(fs::symlink_status(p, ec));
}

} // namespace

FsStatus FileSystem::access(Disk disk, std::string* detail) {
    const auto i = slot(disk.letter);
    std::error_code ec;
    if (!i) {
        return FsStatus::io_error;
    }
    fs::create_directories(disk.dir, ec);
    if (!ec && !fs::is_directory(disk.dir, ec)) {
        ec = std::make_error_code(std::errc::not_a_directory);
    }
    if (ec) {
        if (detail != nullptr) {
            *detail = disk.dir.string() + ": " + ec.message();
        }
        return FsStatus::io_error;
    }
    disks_[*i] = std::move(disk);
    return FsStatus::ok;
}

bool FileSystem::release(char letter) {
    const auto i = slot(letter);
    if (!i || !disks_[*i]) {
        return false;
    }
    disks_[*i].reset();
    return true;
}

const Disk* FileSystem::disk(char letter) const noexcept {
    const auto i = slot(letter);
    return (i && disks_[*i]) ? &*disks_[*i] : nullptr;
}

std::vector<Disk> FileSystem::disks() const {
    std::vector<Disk> out;
    for (const auto& d : disks_) {
        if (d) {
            out.push_back(*d);
        }
    }
    return out;
}

std::vector<FileEntry> FileSystem::list(std::string_view fn_pattern, std::string_view ft_pattern,
                                        char mode) const {
    std::vector<FileEntry> out;
    for (const auto& d : disks_) {
        if (!d || (mode != '*' && d->letter != mode)) {
            continue;
        }
        std::error_code ec;
        for (fs::directory_iterator it(d->dir, ec), end; !ec && it != end; it.increment(ec)) {
            FileEntry e;
            if (!split_host_name(it->path().filename().string(), e.fn, e.ft) ||
                !matches_pattern(fn_pattern, e.fn) || !matches_pattern(ft_pattern, e.ft) ||
                !is_regular(it->path())) {
                continue;
            }
            e.letter = d->letter;
            e.path = it->path();
            out.push_back(std::move(e));
        }
    }
    std::sort(out.begin(), out.end(), [](const FileEntry& a, const FileEntry& b) {
        return std::tie(a.fn, a.ft, a.letter) < std::tie(b.fn, b.ft, b.letter);
    });
    return out;
}

std::size_t FileSystem::file_count(char letter) const {
    return disk(letter) == nullptr ? 0 : list("*", "*", letter).size();
}

FsStatus FileSystem::find(std::string_view fn, std::string_view ft, char mode,
                          FileEntry& out) const {
    if (mode != '*' && disk(mode) == nullptr) {
        return FsStatus::not_accessed;
    }
    for (const auto& d : disks_) {
        if (!d || (mode != '*' && d->letter != mode)) {
            continue;
        }
        const fs::path p = d->dir / host_name(fn, ft);
        if (is_regular(p)) {
            out = FileEntry{to_upper(fn), to_upper(ft), d->letter, p};
            return FsStatus::ok;
        }
    }
    return FsStatus::not_found;
}

FsStatus FileSystem::read_lines(const FileEntry& file, std::vector<std::string>& lines) const {
    std::ifstream in(file.path, std::ios::binary);
    if (!in) {
        return is_regular(file.path) ? FsStatus::io_error : FsStatus::not_found;
    }
    lines.clear();
    for (std::string line; std::getline(in, line);) {
        if (!line.empty() && line.back() == '\r') {
            line.pop_back();
        }
        lines.push_back(std::move(line));
    }
    return in.bad() ? FsStatus::io_error : FsStatus::ok;
}

std::size_t FileSystem::count_lines(const FileEntry& file) const {
    std::ifstream in(file.path, std::ios::binary);
    std::size_t n = 0;
    char last = '\n';
    for (char buf[8192]; in.read(buf, sizeof buf) || in.gcount() > 0;) {
        const auto got = static_cast<std::size_t>(in.gcount());
        n += static_cast<std::size_t>(std::count(buf, buf + got, '\n'));
        last = buf[got - 1];
    }
    return last == '\n' ? n : n + 1;
}

const Disk* FileSystem::writable(char letter, FsStatus& status) const noexcept {
    const Disk* d = disk(letter);
    status =
        d == nullptr ? FsStatus::not_accessed : (d->read_only ? FsStatus::read_only : FsStatus::ok);
    return status == FsStatus::ok ? d : nullptr;
}

FsStatus FileSystem::write_file(char letter, std::string_view fn, std::string_view ft,
                                std::string_view content) {
    FsStatus s = FsStatus::ok;
    const Disk* d = writable(letter, s);
    if (d == nullptr) {
        return s;
    }
    const fs::path target = d->dir / host_name(fn, ft);
    fs::path tmp = target;
    tmp.replace_filename("." + host_name(fn, ft) + ".tmp");
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out.write(content.data(), static_cast<std::streamsize>(content.size()));
        if (!out.flush()) {
            std::error_code ec;
            fs::remove(tmp, ec);
            return FsStatus::io_error;
        }
    }
    std::error_code ec;
    fs::rename(tmp, target, ec);
    if (ec) {
        fs::remove(tmp, ec);
        return FsStatus::io_error;
    }
    return FsStatus::ok;
}

FsStatus FileSystem::copy(const FileEntry& from, std::string_view fn, std::string_view ft,
                          char letter) {
    if (FsStatus s = FsStatus::ok; writable(letter, s) == nullptr) {
        return s;
    }
    std::ifstream in(from.path, std::ios::binary);
    if (!in) {
        return is_regular(from.path) ? FsStatus::io_error : FsStatus::not_found;
    }
    std::ostringstream buf;
    buf << in.rdbuf();
    if (in.bad()) {
        return FsStatus::io_error;
    }
    return write_file(letter, fn, ft, buf.view());
}

FsStatus FileSystem::erase(const FileEntry& file) {
    if (FsStatus s = FsStatus::ok; writable(file.letter, s) == nullptr) {
        return s;
    }
    std::error_code ec;
    if (!is_regular(file.path)) {
        return FsStatus::not_found;
    }
    return fs::remove(file.path, ec) && !ec ? FsStatus::ok : FsStatus::io_error;
}

FsStatus FileSystem::rename(const FileEntry& file, std::string_view fn, std::string_view ft) {
    FsStatus s = FsStatus::ok;
    const Disk* d = writable(file.letter, s);
    if (d == nullptr) {
        return s;
    }
    const fs::path target = d->dir / host_name(fn, ft);
    std::error_code ec;
    if (fs::exists(fs::symlink_status(target, ec))) {
        return FsStatus::already_exists;
    }
    fs::rename(file.path, target, ec);
    return ec ? FsStatus::io_error : FsStatus::ok;
}

std::string FileSystem::host_name(std::string_view fn, std::string_view ft) {
    return to_lower(fn) + '.' + to_lower(ft);
}

} // namespace cpd::cms
