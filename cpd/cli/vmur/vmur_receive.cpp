// SPDX-License-Identifier: MIT
// vmur receive: reads a reader file in chunks (a read frame answered by a
// data frame, so memory stays bounded for any size) and writes it raw, as
// text (-t), blocked (-b), or restored from SENDFILE's NETDATA or cpd's own
// format, then purges it unless --hold.
#include "vmur_commands.hpp"

#include "cpd/ipc/frame_io.hpp"
#include "cpd/proto/ebcdic.hpp"
#include "cpd/proto/sendfile_format.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <optional>
#include <span>
#include <string>

#include <unistd.h>

namespace cpd::vmur {

namespace {

/// "name.type" from QUERY's ALL line (NAME at 53-60, TYPE at 63-70).
std::string spool_file_name(const std::string& listing) {
    const std::size_t nl = listing.find('\n');
    const std::string line = nl == std::string::npos ? "" : listing.substr(nl + 1);
    auto field = [&](std::size_t at) {
        std::string f = line.size() > at ? line.substr(at, 8) : "";
        f.erase(f.find_last_not_of(' ') + 1);
        for (char& ch : f) {
            ch = ch == '/' ? '_' : ch;
        }
        return f;
    };
    const std::string name = field(53), type = field(63);
    return name.empty() ? "" : type.empty() ? name : name + "." + type;
}

/// How received records become the output: raw, -t text, or a file SENDFILE
/// sent (its first record says so), restored as it was on the CMS disk.
struct Decoder {
    bool text = false;
    std::optional<Blocked> blocked;
    bool first = true;
    std::optional<proto::RecordUnpacker> sendfile;
};

/// Writes a chunk of records: raw bytes, or with -t one line per record.
bool put_records(std::FILE* out, std::span<const std::byte> stream, Decoder& dec,
                 const std::string& sid) {
    bool ok = true;
    proto::for_each_record(stream, [&](std::span<const std::byte> rec) {
        if (dec.first && !dec.blocked) {
            dec.first = false;
            proto::RecordUnpacker probe;
            std::string ignored;
            probe.feed(rec, ignored);
            if (probe.netdata()) { // what CMS SENDFILE sends: decoded, as RECEIVE does
                std::cerr << "vmur: INFO: Reader file " << sid
                          << " has NETDATA format; restoring the file\n";
                ok = ok && std::fwrite(ignored.data(), 1, ignored.size(), out) == ignored.size();
                dec.sendfile = std::move(probe);
                return;
            }
            if (probe.sendfile() && !probe.ft().empty() &&
                std::string(reinterpret_cast<const char*>(rec.data()),
                            std::min<std::size_t>(rec.size(), 6)) ==
                    "\x7A\xC3\xD7\xC4\xE2\xC6") { // ":CPDSF" in EBCDIC
                std::cerr << "vmur: INFO: Reader file " << sid << " was sent by SENDFILE ("
                          << probe.fn() << " " << probe.ft() << "); restoring the file\n";
                dec.sendfile = std::move(probe);
                return;
            }
        }
        if (dec.sendfile) {
            std::string bytes;
            dec.sendfile->feed(rec, bytes);
            ok = ok && std::fwrite(bytes.data(), 1, bytes.size(), out) == bytes.size();
            return;
        }
        if (dec.blocked) { // the pad stripped, the separator appended
            std::size_t n = rec.size();
            while (n > 0 && static_cast<char>(rec[n - 1]) == dec.blocked->pad) {
                --n;
            }
            ok = ok && std::fwrite(rec.data(), 1, n, out) == n &&
                 std::fputc(static_cast<unsigned char>(dec.blocked->separator), out) != EOF;
            return;
        }
        if (!dec.text) {
            ok = ok && std::fwrite(rec.data(), 1, rec.size(), out) == rec.size();
            return;
        }
        std::string line;
        for (std::byte b : rec) {
            line += static_cast<char>(proto::ebcdic_to_latin1[static_cast<std::uint8_t>(b)]);
        }
        line.erase(line.find_last_not_of(' ') + 1);
        line += '\n';
        ok = ok && std::fwrite(line.data(), 1, line.size(), out) == line.size();
    });
    return ok;
}

} // namespace

int do_receive(Cpd& c, const Args& a) {
    if (a.operands.empty() || a.operands.size() > 2) {
        return fail("Spoolid required: vmur receive SPOOLID [OUTFILE]");
    }
    const std::string& sid = a.operands[0];
    if (sid.empty() || sid.size() > 4 || sid.find_first_not_of("0123456789") != std::string::npos) {
        return fail("Spoolid must be a decimal number in range 0-9999");
    }
    std::string listing, devno;
    if (int st = check_device(c, a, "RDR", "000C", devno); st >= 0) {
        return st;
    }
    if (int st = cp_or_fail(c, "QUERY RDR * " + sid + " ALL", listing); st >= 0) {
        return st;
    }
    if (listing.find('\n') != std::string::npos && listing.size() > 88 + 33 &&
        listing.substr(listing.find('\n') + 1 + 33, 4) != "NONE") {
        return fail("Reader file " + sid + " is held (CP CHANGE RDR " + sid + " NOHOLD)");
    }
    std::string path = a.operands.size() > 1 ? a.operands[1] : spool_file_name(listing);
    std::FILE* out = stdout;
    if (!a.to_stdout) {
        if (path.empty()) {
            return fail("Reader file " + sid + " has no name: give an output file");
        }
        if (!a.force && ::access(path.c_str(), F_OK) == 0) {
            return fail("File '" + path + "' already exists (use --force)");
        }
        out = std::fopen(path.c_str(), "wb");
        if (out == nullptr) {
            return fail("Could not open file '" + path + "': " + std::strerror(errno));
        }
    }
    std::uint64_t offset = 0;
    Decoder dec;
    dec.text = a.text;
    dec.blocked = a.blocked;
    const auto id = static_cast<std::uint16_t>(std::stoi(sid));
    for (std::uint32_t tag = 1;; ++tag) {
        if (!c.send_raw(proto::SpoolFrameType::socket_read,
                        proto::encode(proto::SpoolRead{tag, id, offset}))) {
            return fail(c.error);
        }
        ipc::RawFrame raw;
        std::error_code ec;
        if (!ipc::read_frame(c.conn.fd(), raw, ec, answer_timeout_ms)) {
            return fail("no answer from cpd: " + ec.message());
        }
        const auto d = proto::decode_spool_data(raw.payload);
        if (raw.type != static_cast<std::uint16_t>(proto::SpoolFrameType::socket_data) || !d) {
            return fail("cpd answered the read with an unexpected frame");
        }
        if (d->rc != proto::CpRc::ok) {
            const std::string t(reinterpret_cast<const char*>(d->records.data()),
                                d->records.size());
            return fail(cp_text(t, "read", static_cast<int>(d->rc)));
        }
        if (!put_records(out, d->records, dec, sid)) {
            return fail("Write error on '" + path + "': " + std::strerror(errno));
        }
        offset = d->next;
        if (d->eof) {
            break;
        }
    }
    if (out != stdout && std::fclose(out) != 0) {
        return fail("Write error on '" + path + "': " + std::strerror(errno));
    }
    if (dec.sendfile && dec.sendfile->damaged()) { // kept in the reader: nothing is lost
        return fail("Reader file " + sid + " is damaged NETDATA (a broken segment or no " +
                    "INMR06): '" + path + "' holds only part of it");
    }
    std::string ignored;
    if (!a.hold) {
        if (int st = cp_or_fail(c, "PURGE * RDR " + sid, ignored); st >= 0) {
            return st;
        }
    }
    return ex_ok;
}

} // namespace cpd::vmur
