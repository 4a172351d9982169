// SPDX-License-Identifier: MIT
// SpoolStore's file operations. Every failure is logged with the path and
// errno text here, where they are known; callers only learn true or false.
#include "spool/spool_store.hpp"

#include "service/durable_file.hpp"

#include "cpd/ipc/log.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace cpd::daemon {
namespace fs = std::filesystem;

namespace {

/// Writeback is requested every this many bytes.
constexpr std::uint64_t writeback_every = 4u << 20;
/// A metadata file is a few hundred bytes; anything bigger is not ours.
constexpr std::uintmax_t meta_max = 4096;

/// "<key>.<suffix>" -> key, if the name is exactly that.
bool key_of(const std::string& name, std::string_view suffix, std::uint64_t& key) {
    if (!name.ends_with(suffix) || name.size() == suffix.size()) {
        return false;
    }
    const char* end = name.data() + name.size() - suffix.size();
    auto [p, ec] = std::from_chars(name.data(), end, key);
    return ec == std::errc{} && p == end;
}

} // namespace

SpoolStore::SpoolStore(std::string dir) : dir_(std::move(dir)) {}

std::string SpoolStore::path(std::uint64_t key, const char* suffix) const {
    return dir_ + "/" + std::to_string(key) + suffix;
}

void SpoolStore::sync_dir() const {
    ipc::UniqueFd d(::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!d || ::fsync(d.get()) != 0) {
        CPD_LOG(warn, "spool: unable to sync ", dir_, ": ", std::strerror(errno));
    }
}

std::vector<SpoolFile> SpoolStore::load() {
    std::vector<SpoolFile> files;
    std::error_code ec;
    fs::create_directories(dir_, ec);
    fs::permissions(dir_, fs::perms::owner_all, ec);
    std::vector<std::uint64_t> metas, datas;
    for (const auto& e : fs::directory_iterator(dir_, ec)) {
        const std::string name = e.path().filename().string();
        std::uint64_t key = 0;
        if (name.ends_with(".tmp")) {
            CPD_LOG(info, "spool: removing ", name, ", left half-written by a crash");
            fs::remove(e.path(), ec);
        } else if (key_of(name, ".meta", key)) {
            metas.push_back(key);
        } else if (key_of(name, ".data", key)) {
            datas.push_back(key);
        }
    }
    for (std::uint64_t key : datas) {
        if (std::find(metas.begin(), metas.end(), key) == metas.end()) {
            CPD_LOG(info, "spool: removing ", key, ".data: no metadata (purge cut by a crash)");
            fs::remove(path(key, ".data"), ec);
        }
    }
    for (std::uint64_t key : metas) {
        const std::string p = path(key, ".meta");
        std::optional<SpoolFile> f;
        if (fs::file_size(p, ec) <= meta_max && !ec) {
            std::ifstream in(p);
            std::stringstream text;
            text << in.rdbuf();
            f = unpack_meta(text.str());
        }
        const std::uintmax_t size = fs::file_size(path(key, ".data"), ec);
        if (!f || ec || size != f->bytes) {
            CPD_LOG(warn, "spool: ignoring spool file ", key, ": bad metadata or data size");
            continue;
        }
        f->key = key;
        files.push_back(std::move(*f));
    }
    return files;
}

bool SpoolStore::begin(Draft& draft, std::uint64_t key) {
    draft.key = key;
    draft.unsynced = 0;
    const std::string p = path(key, ".data.tmp");
    draft.fd.reset(::open(p.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600));
    if (!draft.fd) {
        CPD_LOG(error, "spool: unable to create ", p, ": ", std::strerror(errno));
        return false;
    }
    return true;
}

bool SpoolStore::append(Draft& draft, std::span<const std::byte> bytes) {
    if (!draft.fd || !write_whole(draft.fd.get(), bytes)) {
        CPD_LOG(error, "spool: write to ", draft.key, ".data.tmp failed: ", std::strerror(errno));
        return false;
    }
    draft.unsynced += bytes.size();
    if (draft.unsynced >= writeback_every) {
        ::sync_file_range(draft.fd.get(), 0, 0, SYNC_FILE_RANGE_WRITE); // starts, never waits
        draft.unsynced = 0;
    }
    return true;
}

bool SpoolStore::commit(Draft& draft) {
    const std::string tmp = path(draft.key, ".data.tmp");
    if (!draft.fd || ::fdatasync(draft.fd.get()) != 0) {
        CPD_LOG(error, "spool: unable to sync ", tmp, ": ", std::strerror(errno));
        discard(draft);
        return false;
    }
    draft.fd.reset();
    if (std::rename(tmp.c_str(), path(draft.key, ".data").c_str()) != 0) {
        CPD_LOG(error, "spool: unable to rename ", tmp, ": ", std::strerror(errno));
        discard(draft);
        return false;
    }
    return true;
}

void SpoolStore::discard(Draft& draft) {
    draft.fd.reset();
    ::unlink(path(draft.key, ".data.tmp").c_str());
}

bool SpoolStore::save_meta(const SpoolFile& file) {
    const std::string text = pack_meta(file);
    if (auto problem =
            replace_durably(dir_, path(file.key, ".meta"), std::as_bytes(std::span(text)));
        !problem.empty()) {
        CPD_LOG(error, "spool: ", problem);
        return false;
    }
    return true;
}

void SpoolStore::remove(std::uint64_t key) {
    ::unlink(path(key, ".meta").c_str());
    sync_dir();
    ::unlink(path(key, ".data").c_str());
}

long SpoolStore::read(std::uint64_t key, std::uint64_t offset, std::span<std::byte> out) const {
    ipc::UniqueFd fd(::open(path(key, ".data").c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
    if (!fd) {
        return -1;
    }
    std::size_t got = 0;
    while (got < out.size()) {
        const ssize_t n =
            ::pread(fd.get(), out.data() + got, out.size() - got, static_cast<off_t>(offset + got));
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            return -1;
        }
        if (n == 0) {
            break;
        }
        got += static_cast<std::size_t>(n);
    }
    return static_cast<long>(got);
}

} // namespace cpd::daemon
