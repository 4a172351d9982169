// SPDX-License-Identifier: MIT
// SpoolJobs (spool_jobs.hpp). Messages follow CMS's (DMSRCV, DMSPUN).
#include "spool_jobs.hpp"

#include "cpd/proto/spool_frame.hpp"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <sstream>

namespace cpd::cms {
namespace {

/// Bytes read from the file per piece (a piece's records become one chunk).
constexpr std::size_t piece_bytes = 60 * 1024;
/// Chunks sent per turn of the guest's loop before it lets other events in.
constexpr int chunks_per_turn = 16;
/// Records PEEK shows.
constexpr int peek_lines = 50;

void say(guest::Context& ctx, std::string_view text) {
    while (!text.empty()) {
        const auto eol = text.find('\n');
        ctx.console_write(text.substr(0, eol));
        text = eol == std::string_view::npos ? std::string_view{} : text.substr(eol + 1);
    }
}

std::string lower(std::string s) {
    for (char& c : s) {
        c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
    return s;
}

/// Reads the file once: does it need BINARY (a NUL, a line too long for a
/// record, or no newline at its end)? Its size in `bytes`, its longest line
/// in `longest`. A file found binary is not read further: its size is enough.
bool scan_binary(std::istream& in, std::uint64_t& bytes, std::size_t& longest) {
    std::vector<char> buf(1 << 20);
    TextShape shape;
    char last = '\n';
    bytes = 0;
    while (!shape.binary() &&
           (in.read(buf.data(), static_cast<std::streamsize>(buf.size())) || in.gcount() > 0)) {
        const auto n = static_cast<std::size_t>(in.gcount());
        shape.feed(std::string_view(buf.data(), n));
        last = buf[n - 1];
        bytes += n;
    }
    if (shape.binary()) {
        in.clear();
        in.seekg(0, std::ios::end);
        bytes = static_cast<std::uint64_t>(std::max<std::streamoff>(in.tellg(), 0));
    }
    longest = shape.longest();
    in.clear();
    in.seekg(0);
    return shape.binary() || last != '\n';
}

} // namespace

bool SpoolJobs::cp(guest::Context& ctx, const std::string& command, Step next) {
    if (ctx.cp_command(++tag_, command) != guest::SendStatus::ok) {
        say(ctx, "DMSSPL026E CP command not sent: " + command);
        end(ctx, 28);
        return false;
    }
    step_ = next;
    return true;
}

void SpoolJobs::end(guest::Context& ctx, int rc) {
    step_ = Step::idle;
    send_.reset();
    recv_.reset();
    packer_.reset();
    stream_.clear();
    in_.reset();
    if (out_.is_open()) {
        out_.close();
    }
    if (!tmp_.empty()) {
        std::error_code ec;
        std::filesystem::remove(tmp_, ec);
        tmp_.clear();
    }
    ctx.console_end(rc);
}

std::optional<int> SpoolJobs::start_send(guest::Context& ctx, const SpoolSend& job,
                                         const std::optional<std::string>& first_cp) {
    if (job.path.empty()) {
        in_ = std::make_unique<std::istringstream>(job.text); // NOTE
    } else {
        in_ = std::make_unique<std::ifstream>(job.path, std::ios::binary);
    }
    if (!*in_) {
        say(ctx, "DMSPUN002E File " + job.fn + " " + job.ft + " " + job.fm + " not found");
        in_.reset();
        return 28;
    }
    std::uint64_t bytes = 0;
    std::size_t longest = 0;
    const bool binary = scan_binary(*in_, bytes, longest);
    const auto format = static_cast<SpoolFormat>(job.format);
    if (format == SpoolFormat::netdata) {
        proto::NetdataHeader h;
        h.from = std::string(ctx.userid().str());
        h.to = job.to;
        const std::time_t now = std::time(nullptr);
        std::tm tm{};
        gmtime_r(&now, &tm);
        char stamp[16];
        std::strftime(stamp, sizeof stamp, "%Y%m%d%H%M%S", &tm);
        h.time = stamp;
        h.fn = job.fn;
        h.ft = job.ft;
        h.binary = binary;
        h.lrecl = static_cast<std::uint32_t>(std::min<std::size_t>(longest, 65535));
        h.bytes = bytes;
        packer_ = std::make_unique<RecordPacker>(h);
    } else {
        packer_ = std::make_unique<RecordPacker>(format, binary, job.fn, job.ft, job.fm, bytes);
    }
    send_ = job;
    input_done_ = false;
    if (first_cp) {
        return cp(ctx, *first_cp, Step::setup) ? std::nullopt : std::optional<int>(28);
    }
    step_ = Step::sending;
    pump(ctx);
    return std::nullopt;
}

/// Sends chunks until the file is done (then CLOSE), the ring is full (then
/// again shortly) or this turn's share is used (then again at once).
void SpoolJobs::pump(guest::Context& ctx) {
    if (step_ != Step::sending) {
        return;
    }
    std::vector<char> buf(piece_bytes);
    for (int n = 0; n < chunks_per_turn; ++n) {
        if (stream_.empty() && !input_done_) {
            in_->read(buf.data(), static_cast<std::streamsize>(buf.size()));
            const auto got = static_cast<std::size_t>(in_->gcount());
            input_done_ = got < buf.size();
            packer_->feed(std::string_view(buf.data(), got), input_done_, stream_);
        }
        if (stream_.empty()) {
            cp(ctx, send_->close, Step::closing);
            return;
        }
        const guest::SendStatus s = ctx.spool_write(send_->vdev, stream_);
        if (s == guest::SendStatus::busy) {
            ctx.call_later(std::chrono::microseconds(200), [this](guest::Context& c) { pump(c); });
            return;
        }
        if (s != guest::SendStatus::ok) {
            say(ctx, "DMSPUN105E Error writing to the virtual punch: " +
                         std::string(guest::describe(s)));
            cp(ctx, "CLOSE " + std::string(send_->vdev == 0x000E ? "000E" : "000D") + " PURGE",
               Step::closing);
            return;
        }
        stream_.clear();
    }
    ctx.call_later(std::chrono::microseconds(0), [this](guest::Context& c) { pump(c); });
}

std::optional<int> SpoolJobs::start_receive(guest::Context& ctx, const SpoolReceive& job) {
    recv_ = job;
    unpacker_ = RecordUnpacker();
    offset_ = 0;
    peeked_ = 0;
    // Appends: "x" + string trips g++ 12's false -Wrestrict at -O3.
    std::string query("QUERY RDR *");
    if (job.spoolid != 0 && job.line == 0) {
        query += ' ';
        query += std::to_string(job.spoolid);
    }
    query += " ALL";
    return cp(ctx, query, Step::listing) ? std::nullopt : std::optional<int>(28);
}

bool SpoolJobs::on_cp_response(guest::Context& ctx, std::uint32_t tag, proto::CpRc rc,
                               std::string_view text) {
    if (tag != tag_ || step_ == Step::idle) {
        return false;
    }
    switch (step_) {
    case Step::setup:
        if (rc != proto::CpRc::ok) {
            say(ctx, text);
            end(ctx, static_cast<int>(rc));
        } else {
            step_ = Step::sending;
            pump(ctx);
        }
        break;
    case Step::closing:
        say(ctx, text);
        if (rc == proto::CpRc::ok && send_ && !send_->done.empty()) {
            say(ctx, send_->done);
        }
        end(ctx, static_cast<int>(rc));
        break;
    case Step::listing:
        listed(ctx, rc, text);
        break;
    case Step::purging:
        if (rc != proto::CpRc::ok) {
            say(ctx, text);
        }
        end(ctx, static_cast<int>(rc));
        break;
    default:
        break;
    }
    return true;
}

void SpoolJobs::listed(guest::Context& ctx, proto::CpRc rc, std::string_view text) {
    const auto files = rc == proto::CpRc::ok ? parse_reader_list(text) : std::vector<ReaderEntry>{};
    if (files.empty()) {
        say(ctx, recv_->spoolid == 0
                     ? "DMSRCV1110E No reader files found"
                     : "DMSRCV1109E Reader file " + std::to_string(recv_->spoolid) + " not found");
        end(ctx, 28);
        return;
    }
    if (recv_->list) { // RDRLIST: numbered, as its full-screen form shows them
        say(ctx, " N  FILE  FROM     CLASS  RECORDS  NAME     TYPE     HOLD");
        for (std::size_t i = 0; i < files.size(); ++i) {
            char line[96];
            std::snprintf(line, sizeof line, "%2zu  %04u  %-8s %c      %s  %-8s %-8s %s", i + 1,
                          static_cast<unsigned>(files[i].spoolid), files[i].origin.c_str(),
                          files[i].spool_class, files[i].records.c_str(), files[i].name.c_str(),
                          files[i].type.c_str(), files[i].held ? "HOLD" : "");
            say(ctx, line);
        }
        end(ctx, 0);
        return;
    }
    entry_ = files.front();
    if (recv_->line != 0) { // RDRLIST n: the n-th line, or the file with spoolid n
        entry_ = recv_->line <= files.size() ? files[recv_->line - 1] : ReaderEntry{};
        for (const ReaderEntry& f : files) {
            if (recv_->line > files.size() && f.spoolid == recv_->line) {
                entry_ = f;
            }
        }
        if (entry_.spoolid == 0) {
            say(ctx, "DMSRDL1109E No reader file " + std::to_string(recv_->line));
            end(ctx, 28);
            return;
        }
    }
    if (entry_.held && !recv_->purge_only) {
        say(ctx, "DMSRCV1112E Reader file " + std::to_string(entry_.spoolid) + " is held");
        end(ctx, 28);
        return;
    }
    if (recv_->purge_only) {
        cp(ctx, "PURGE * RDR " + std::to_string(entry_.spoolid), Step::purging);
        return;
    }
    if (!recv_->peek) {
        const std::string fn = recv_->fn.empty() || recv_->fn == "=" ? entry_.name : recv_->fn;
        const std::string ft = recv_->ft.empty() || recv_->ft == "=" ? entry_.type : recv_->ft;
        if (fn.empty() || ft.empty()) {
            say(ctx, "DMSRCV054E Reader file " + std::to_string(entry_.spoolid) +
                         " has no name; give a file name and type");
            end(ctx, 24);
            return;
        }
        fileid_ = fn + " " + ft + " " + recv_->letter;
        target_ = recv_->dir + "/" + lower(fn) + "." + lower(ft);
        if (!recv_->replace && std::filesystem::exists(target_)) {
            say(ctx, "DMSRCV169S File " + fileid_ + " already exists; specify REPLACE option");
            end(ctx, 28);
            return;
        }
        tmp_ = recv_->dir + "/." + lower(fn) + "." + lower(ft) + ".tmp";
        out_.open(tmp_, std::ios::binary | std::ios::trunc);
        if (!out_) {
            say(ctx, "DMSRCV105S Error writing file " + fileid_);
            end(ctx, 28);
            return;
        }
    }
    step_ = Step::reading;
    read_next(ctx);
}

void SpoolJobs::read_next(guest::Context& ctx) {
    if (step_ != Step::reading) {
        return;
    }
    const guest::SendStatus s = ctx.spool_read(++tag_, entry_.spoolid, offset_);
    if (s == guest::SendStatus::busy) {
        --tag_;
        ctx.call_later(std::chrono::microseconds(200), [this](guest::Context& c) { read_next(c); });
    } else if (s != guest::SendStatus::ok) {
        end(ctx, 28);
    }
}

void SpoolJobs::on_spool_data(guest::Context& ctx, std::uint32_t tag, proto::CpRc rc,
                              std::span<const std::byte> records, std::uint64_t next, bool eof,
                              std::string_view error) {
    if (tag != tag_ || step_ != Step::reading) {
        return;
    }
    if (rc != proto::CpRc::ok) {
        say(ctx, error);
        end(ctx, 28);
        return;
    }
    std::string bytes;
    proto::for_each_record(records, [&](std::span<const std::byte> rec) {
        if (recv_->peek) {
            std::string line;
            unpacker_.feed(rec, line);
            if (!line.empty() && peeked_++ < peek_lines) { // the naming record shows nothing
                line.pop_back(); // the newline (a binary file shows as its bytes)
                ctx.console_write(line.substr(0, 200));
            }
            return;
        }
        unpacker_.feed(rec, bytes);
    });
    if (!recv_->peek && !out_.write(bytes.data(), static_cast<std::streamsize>(bytes.size()))) {
        say(ctx, "DMSRCV105S Error writing file " + fileid_);
        end(ctx, 28);
        return;
    }
    offset_ = next;
    if (eof || (recv_->peek && peeked_ >= peek_lines)) {
        if (recv_->peek) {
            end(ctx, 0);
        } else {
            finish_receive(ctx);
        }
        return;
    }
    read_next(ctx);
}

void SpoolJobs::finish_receive(guest::Context& ctx) {
    out_.close();
    if (unpacker_.damaged()) { // end() removes the partial copy; the reader file stays
        // DMSRCV190E is cpd's choice: the reference names no message for this.
        say(ctx, "DMSRCV190E File " + fileid_ + " is damaged NETDATA; not received");
        end(ctx, 32);
        return;
    }
    std::error_code ec;
    std::filesystem::rename(tmp_, target_, ec);
    if (ec || out_.fail()) {
        say(ctx, "DMSRCV105S Error writing file " + fileid_);
        end(ctx, 28);
        return;
    }
    tmp_.clear();
    say(ctx, "File " + fileid_ + " received from " + entry_.origin + " at CPD");
    cp(ctx, "PURGE * RDR " + std::to_string(entry_.spoolid), Step::purging);
}

} // namespace cpd::cms
