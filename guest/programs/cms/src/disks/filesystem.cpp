// SPDX-License-Identifier: MIT
// Minidisks as host directories: the A-Z mode table and the file operations
// CMS commands need. Every std::filesystem call uses the error_code overloads
// and files are read and written with errno kept, so a host failure becomes
// an FsStatus that names its cause (and last_error()), never an exception.
#include "cpd/cms/filesystem.hpp"

#include "cpd/cms/filespec.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>
#include <system_error>
#include <tuple>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

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

// Writes all of `data` to `fd`; 0 or the errno of the failure.
int write_all(int fd, std::string_view data) {
    while (!data.empty()) {
        const ssize_t n = ::write(fd, data.data(), data.size());
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return n < 0 ? errno : EIO;
        }
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    return 0;
}

} // namespace

FsStatus status_of_errno(int err) noexcept {
    switch (err) {
    case 0:
        return FsStatus::ok;
    case EACCES:
    case EPERM:
        return FsStatus::permission_denied;
    case ENOSPC:
    case EDQUOT:
        return FsStatus::no_space;
    case EROFS:
        return FsStatus::read_only;
    case EEXIST:
        return FsStatus::already_exists;
    default:
        return FsStatus::io_error;
    }
}

// Records the host's reason for a failure; the status it maps to.
FsStatus FileSystem::failed(int err) const {
    last_error_ = err == 0 ? "" : std::strerror(err);
    const FsStatus s = status_of_errno(err);
    return s == FsStatus::ok ? FsStatus::io_error : s;
}

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
    // The link may allow writing where the host does not (a read-only mount,
    // a directory this uid cannot write): show and treat the disk as what it is.
    if (!disk.read_only && ::faccessat(AT_FDCWD, disk.dir.c_str(), W_OK, AT_EACCESS) != 0) {
        disk.read_only = true;
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
    errno = 0;
    std::ifstream in(file.path, std::ios::binary);
    if (!in) {
        return is_regular(file.path) ? failed(errno) : FsStatus::not_found;
    }
    lines.clear();
    for (std::string line; std::getline(in, line);) {
        if (!line.empty() && line.back() == '\r') {
            line.pop_back();
        }
        lines.push_back(std::move(line));
    }
    return in.bad() ? failed(EIO) : FsStatus::ok;
}

FsStatus FileSystem::stat_file(const FileEntry& file, FileStats& out) const {
    out = FileStats{};
    const int fd = ::open(file.path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        return errno == ENOENT ? FsStatus::not_found : failed(errno);
    }
    struct stat st {};
    int err = ::fstat(fd, &st) != 0 ? errno : 0;
    out.bytes = static_cast<std::uintmax_t>(st.st_size);
    out.mtime = static_cast<std::int64_t>(st.st_mtime);
    std::size_t current = 0; // length of the line being read
    bool last_cr = false;
    for (char buf[8192]; err == 0;) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            err = n < 0 ? errno : 0;
            break;
        }
        for (const char c : std::string_view(buf, static_cast<std::size_t>(n))) {
            if (c == '\n') {
                ++out.records; // read_lines drops the CR of a CRLF
                out.lrecl = std::max(out.lrecl, current - (last_cr ? 1 : 0));
                current = 0;
            } else {
                ++current;
            }
            last_cr = c == '\r';
        }
    }
    ::close(fd);
    if (current > 0) {
        ++out.records;
        out.lrecl = std::max(out.lrecl, current - (last_cr ? 1 : 0));
    }
    return err == 0 ? FsStatus::ok : failed(err);
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
    const std::string name = host_name(fn, ft);
    // Appended, not "." + name: g++ 12 at -O3 reports a false -Wrestrict
    // inside std::string for a prepend (GCC bug 105651).
    std::string tmp_name = ".";
    tmp_name += name;
    tmp_name += ".tmp";
    const fs::path target = d->dir / name;
    const fs::path tmp = d->dir / tmp_name;
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0) {
        return failed(errno);
    }
    int err = write_all(fd, content);
    if (::close(fd) != 0 && err == 0) {
        err = errno;
    }
    if (err == 0 && ::rename(tmp.c_str(), target.c_str()) != 0) {
        err = errno;
    }
    if (err != 0) {
        ::unlink(tmp.c_str());
        return failed(err);
    }
    return FsStatus::ok;
}

FsStatus FileSystem::copy(const FileEntry& from, std::string_view fn, std::string_view ft,
                          char letter) {
    if (FsStatus s = FsStatus::ok; writable(letter, s) == nullptr) {
        return s;
    }
    errno = 0;
    std::ifstream in(from.path, std::ios::binary);
    if (!in) {
        return is_regular(from.path) ? failed(errno) : FsStatus::not_found;
    }
    std::ostringstream buf;
    buf << in.rdbuf();
    if (in.bad()) {
        return failed(EIO);
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
    if (!fs::remove(file.path, ec) || ec) {
        return ec ? failed(ec) : FsStatus::not_found;
    }
    return FsStatus::ok;
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
    return ec ? failed(ec) : FsStatus::ok;
}

std::string FileSystem::host_name(std::string_view fn, std::string_view ft) {
    return to_lower(fn) + '.' + to_lower(ft);
}

} // namespace cpd::cms
