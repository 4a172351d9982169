// SPDX-License-Identifier: MIT
// The disk stages on the guest's minidisks: < (diskr) reads a file a block
// at a time and writes one record per line, each a view into the block, so
// memory stays bounded on any file size; > (diskw) writes its input to a new
// file renamed over the old one at end of file; >> (diskwa) appends. Both
// writers copy their input to their output.
#include "pipelines/stages/stages.hpp"

#include "messages/messages.hpp"

#include "cpd/cms/filespec.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace cpd::cms {

namespace {

constexpr std::size_t block_size = 1 << 20;
// Records a reader writes per turn, so that what its consumers produce per
// turn (console lines, cp commands) stays bounded.
constexpr std::size_t batch_records = 512;

// Reads fn ft [fm] (writers: fn ft fm) into `spec`.
std::optional<PipeError> file_operands(std::string_view operands, std::string_view module,
                                       bool need_mode, FileSpec& spec) {
    Operands ops(operands, module);
    std::vector<std::string> words;
    while (!ops.at_end() && words.size() < 3) {
        words.emplace_back(ops.word());
    }
    if (words.size() < (need_mode ? 3u : 2u)) {
        return ops.missing();
    }
    FileMode star;
    star.letter = '*';
    auto parsed = parse_filespec(words, need_mode ? FileMode{} : star);
    if (!parsed || parsed.value->is_wild() || (need_mode && parsed.value->mode.letter == '*')) {
        return ops.bad(words[0] + " " + words[1] + (words.size() > 2 ? " " + words[2] : ""));
    }
    spec = *parsed.value;
    if (!ops.at_end() && need_mode) { // F|V [lrecl] are accepted; records are lines
        const std::string_view w = ops.word();
        if (!is_keyword(w, "F", 1) && !is_keyword(w, "V", 1)) {
            return ops.bad(w);
        }
        (void)ops.number();
    }
    return ops.check_end();
}

class DiskReader final : public Stage {
  public:
    explicit DiskReader(FileSpec spec) : spec_(std::move(spec)) {}
    ~DiskReader() override {
        if (fd_ >= 0) {
            ::close(fd_);
        }
    }
    std::optional<PipeError> start() override {
        if (auto e = must_be_first(*this, "DSR")) {
            return e;
        }
        FileEntry file;
        const FsStatus s = host().session.fs.find(spec_.fn, spec_.ft, spec_.mode.letter, file);
        if (s == FsStatus::not_accessed) {
            return pipe_error("DSR", 119,
                              "Mode " + spec_.mode.text() + " not available or read only");
        }
        if (s != FsStatus::ok) {
            return pipe_error("DSR", 146, "File \"" + spec_.text() + "\" does not exist");
        }
        fd_ = ::open(file.path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
        if (fd_ < 0) {
            return pipe_error("DSR", 146, "File \"" + spec_.text() + "\" does not exist");
        }
        buf_.resize(block_size);
        return std::nullopt;
    }
    // Writes up to batch_records lines of the block, reading the next block
    // when no whole line is left; false at end of file.
    bool produce() override {
        for (std::size_t n = 0; n < batch_records; ++n) {
            const char* p = buf_.data() + pos_;
            const auto* nl = static_cast<const char*>(std::memchr(p, '\n', end_ - pos_));
            if (nl == nullptr) {
                return read_block();
            }
            pos_ = static_cast<std::size_t>(nl + 1 - buf_.data());
            if (!write_record(std::string_view(p, static_cast<std::size_t>(nl - p)))) {
                return false;
            }
        }
        return true;
    }
    void on_record(std::size_t, std::string_view) override {}

  private:
    // Moves the partial last line to the front and reads after it; false at
    // end of file (after the last, unterminated line) or on an error.
    bool read_block() {
        std::memmove(buf_.data(), buf_.data() + pos_, end_ - pos_);
        end_ -= pos_;
        pos_ = 0;
        if (end_ == buf_.size()) {
            buf_.resize(buf_.size() * 2); // one line longer than a block
        }
        const ssize_t n = ::read(fd_, buf_.data() + end_, buf_.size() - end_);
        if (n < 0 && errno == EINTR) {
            return true;
        }
        if (n < 0) {
            fail(pipe_error("DSR", 104,
                            "Error reading file " + spec_.text() + ": " + std::strerror(errno)));
            return false;
        }
        if (n == 0) {
            if (end_ > 0) {
                write_record(std::string_view(buf_.data(), end_));
            }
            return false;
        }
        end_ += static_cast<std::size_t>(n);
        return true;
    }
    bool write_record(std::string_view line) {
        if (!line.empty() && line.back() == '\r') {
            line.remove_suffix(1); // as TYPE reads a CRLF file
        }
        return output(line) || has_any_output();
    }
    FileSpec spec_;
    int fd_ = -1;
    std::vector<char> buf_;
    std::size_t pos_ = 0; ///< first byte not yet written as a record
    std::size_t end_ = 0; ///< end of the bytes read
};

class DiskWriter final : public Stage {
  public:
    DiskWriter(FileSpec spec, bool append) : spec_(std::move(spec)), append_(append) {}
    ~DiskWriter() override {
        if (fd_ >= 0) { // halted or failed: the old file stays as it was
            ::close(fd_);
            if (!append_) {
                ::unlink(tmp_.c_str());
            }
        }
    }
    std::optional<PipeError> start() override {
        if (auto e = needs_input(*this, "DSW")) {
            return e;
        }
        const Disk* d = host().session.fs.disk(spec_.mode.letter);
        if (d == nullptr || d->read_only) {
            return pipe_error("DSW", 119,
                              "Mode " + spec_.mode.text() + " not available or read only");
        }
        target_ = d->dir / FileSystem::host_name(spec_.fn, spec_.ft);
        if (append_) {
            fd_ = ::open(target_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
                         0644);
        } else {
            // Appends, not "." + string: g++ 12 -O3 reports a false -Wrestrict there.
            std::string hidden(".");
            hidden += FileSystem::host_name(spec_.fn, spec_.ft);
            hidden += ".XXXXXX";
            tmp_ = (d->dir / hidden).string();
            fd_ = ::mkostemp(tmp_.data(), O_CLOEXEC);
            if (fd_ >= 0) {
                ::fchmod(fd_, 0644);
            }
        }
        if (fd_ < 0) {
            return host_error(errno);
        }
        buf_.reserve(block_size + 4096);
        return std::nullopt;
    }
    void on_record(std::size_t, std::string_view record) override {
        buf_.append(record);
        buf_ += '\n';
        if (buf_.size() >= block_size && !flush()) {
            return;
        }
        output(record);
    }
    void finish() override {
        if (flush()) {
            const int fd = std::exchange(fd_, -1);
            int err = ::close(fd) == 0 ? 0 : errno;
            if (err == 0 && !append_ && ::rename(tmp_.c_str(), target_.c_str()) != 0) {
                err = errno;
            }
            if (err != 0) {
                if (!append_) {
                    ::unlink(tmp_.c_str());
                }
                fail(host_error(err));
                return;
            }
        }
        end();
    }

  private:
    PipeError host_error(int err) const {
        const FsStatus s = status_of_errno(err);
        PipeError e = pipe_error("DSW", s == FsStatus::no_space ? 105 : 104,
                                 "Error writing file " + spec_.text() + ": " + std::strerror(err));
        e.severity = 'S';
        return e;
    }
    bool flush() {
        std::string_view data = buf_;
        while (!data.empty()) {
            const ssize_t n = ::write(fd_, data.data(), data.size());
            if (n < 0 && errno == EINTR) {
                continue;
            }
            if (n <= 0) {
                fail(host_error(n < 0 ? errno : EIO));
                return false;
            }
            data.remove_prefix(static_cast<std::size_t>(n));
        }
        buf_.clear();
        return true;
    }
    FileSpec spec_;
    bool append_;
    std::filesystem::path target_;
    std::string tmp_;
    int fd_ = -1;
    std::string buf_;
};

StageMade make_writer(std::string_view operands, bool append) {
    FileSpec spec;
    if (auto e = file_operands(operands, "DSW", true, spec)) {
        return refuse(*e);
    }
    return make_stage<DiskWriter>(std::move(spec), append);
}

} // namespace

StageMade make_diskr(std::string_view operands) {
    FileSpec spec;
    if (auto e = file_operands(operands, "DSR", false, spec)) {
        return refuse(*e);
    }
    return make_stage<DiskReader>(std::move(spec));
}

StageMade make_diskw(std::string_view operands) {
    return make_writer(operands, false);
}

StageMade make_diskwa(std::string_view operands) {
    return make_writer(operands, true);
}

} // namespace cpd::cms
