// SPDX-License-Identifier: MIT
// vmur: work with the spool from the host, as s390-tools' vmur does on Linux
// on Z, as the userid cpd maps this host user to (POSIXINFO): list, receive,
// punch, print, purge and order. The CP commands are vmur's own (QUERY RDR *
// id ALL, SPOOL, CLOSE ... NAME, PURGE *, ORDER *); the records travel as
// spool frames on the control socket, a chunk per frame, each write answered
// before the next is sent (at most `window` unanswered), so a file of any
// size moves in bounded memory.
// Differences from vmur, both because cpd's spool keeps each record's length:
// a binary punch's last record is not padded with X'00', so a received file
// is byte for byte the file punched; receive needs no CLOSE/CHANGE dance.
// Exit status: 0 success, 1 any error, 16 the device has an open file from
// another writer (vmur's "concurrent instance" code).
#include "client_common.hpp"
#include "cpd/proto/ebcdic.hpp"
#include "cpd/proto/sendfile_format.hpp"
#include "safe_text.hpp"

#include "cpd/proto/spool_frame.hpp"
#include "cpd/proto/version.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

using namespace cpd;

namespace {

constexpr int ex_ok = 0, ex_error = 1, ex_busy = 16;
constexpr int answer_timeout_ms = 60000;
/// Record-stream bytes per write frame: under cpd's request limit (16 KiB),
/// which bounds what a client can make cpd hold.
constexpr std::size_t write_chunk = 16 * 1024 - 64;
/// Writes sent before their answers are awaited: enough to keep cpd busy
/// while the answers travel back.
constexpr int window = 16;

constexpr const char* usage =
    "Usage: vmur COMMAND [OPTIONS] [ARGS]\n"
    "Work with the z/VM-style spool of cpd as your mapped userid.\n\n"
    "  vmur list|li [-q rdr|pun|prt] [SPOOLID]\n"
    "  vmur receive|re [-fHn] [-d DEVNO] [-t | -b SEP,PAD] [-O] SPOOLID [OUTFILE]\n"
    "  vmur punch|pun [-frn] [-d DEVNO] [-C CLASS] [--form F] [--dest D] [--dist D]\n"
    "                 [-t | -b SEP,PAD] [-u USERID] [-N NAME.TYPE] [FILE]\n"
    "  vmur print|pr  (as punch; 132-byte text records)\n"
    "  vmur purge|pur [-fn] [-q QUEUE] [-C CLASS] [--form F] [--dest D] [SPOOLID]\n"
    "  vmur order|or [-q QUEUE] SPOOLID\n\n"
    "Options: -t/--text ASCII<->EBCDIC (IBM037), a record per line; -b/--blocked\n"
    "SEP,PAD (0xSS,0xPP) records split at byte SEP and padded with PAD (punch),\n"
    "or PAD stripped and SEP appended (receive); -r/--rdr send the file to a\n"
    "reader; -u/--user whose reader (class D for another's); -N/--name spool name\n"
    "and type; --form, --dest, --dist the file's FORM, DEST and DIST; -d/--devno\n"
    "the virtual device (000C, 000D, 000E); -f/--force overwrite, fix names, no\n"
    "question; -n/--non-interactive never ask (purge goes ahead); -H/--hold keep\n"
    "the file in the reader; -O/--stdout write to stdout; -q/--queue rdr|pun|prt;\n"
    "-C/--class A-Z, 0-9; -s/--socket PATH; -h; -v.\n\n"
    "Exit status: 0 success, 1 error, 16 the device is in use by another writer.\n"
    "Environment: CPD_SOCKET (overridden by --socket).\n";

int fail(std::string_view what, int code = ex_error) {
    std::cerr << "vmur: " << cli::safe_line(what) << '\n';
    return code;
}

/// -b SEP,PAD: the byte that ends a record in the host file, and the byte
/// that pads a record to the unit's length (stripped again on receive).
struct Blocked {
    char separator;
    char pad;
};

/// "0xSS,0xPP" (or "SS,PP" in hex), as s390-tools' vmur takes it.
std::optional<Blocked> parse_blocked(const std::string& arg) {
    const std::size_t comma = arg.find(',');
    if (comma == std::string::npos) {
        return std::nullopt;
    }
    auto byte = [](std::string v) -> std::optional<char> {
        if (v.starts_with("0x") || v.starts_with("0X")) {
            v = v.substr(2);
        }
        if (v.empty() || v.size() > 2 || v.find_first_not_of("0123456789abcdefABCDEF") !=
                                             std::string::npos) {
            return std::nullopt;
        }
        return static_cast<char>(std::stoul(v, nullptr, 16));
    };
    const auto sep = byte(arg.substr(0, comma)), pad = byte(arg.substr(comma + 1));
    if (!sep || !pad) {
        return std::nullopt;
    }
    return Blocked{*sep, *pad};
}

/// -d: a virtual device number, 1-4 hex digits, as "000D".
std::optional<std::string> parse_devno(std::string v) {
    if (v.starts_with("0x") || v.starts_with("0X")) {
        v = v.substr(2);
    }
    if (v.empty() || v.size() > 4 ||
        v.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos) {
        return std::nullopt;
    }
    for (char& c : v) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return std::string(4 - v.size(), '0') + v;
}

struct Args {
    std::string command, queue = "RDR", user, name, spool_class, socket;
    std::string form, dest, dist, devno, blocked_arg;
    bool text = false, force = false, hold = false, to_stdout = false, rdr = false;
    bool non_interactive = false;
    std::optional<Blocked> blocked; ///< -b: separator and pad bytes
    std::vector<std::string> operands;
};

/// Options may come anywhere after the command; long forms as vmur's.
int parse(int argc, char** argv, Args& a) {
    for (int i = 1; i < argc; ++i) {
        const std::string w = argv[i];
        auto value = [&](std::string& dst) {
            if (i + 1 >= argc) {
                return false;
            }
            dst = argv[++i];
            return true;
        };
        bool ok = true;
        if (w == "-h" || w == "--help") {
            std::cout << usage;
            return ex_ok;
        } else if (w == "-v" || w == "--version") {
            std::cout << "vmur (cpd) " << proto::product_version << '\n';
            return ex_ok;
        } else if (w == "-t" || w == "--text") {
            a.text = true;
        } else if (w == "-f" || w == "--force") {
            a.force = true;
        } else if (w == "-H" || w == "--hold") {
            a.hold = true;
        } else if (w == "-O" || w == "--stdout") {
            a.to_stdout = true;
        } else if (w == "-r" || w == "--rdr") {
            a.rdr = true;
        } else if (w == "-n" || w == "--non-interactive") {
            a.non_interactive = true;
        } else if (w == "-b" || w == "--blocked") {
            ok = value(a.blocked_arg);
        } else if (w == "-d" || w == "--devno" || w == "--device") {
            ok = value(a.devno);
        } else if (w == "--form") {
            ok = value(a.form);
        } else if (w == "--dest") {
            ok = value(a.dest);
        } else if (w == "--dist") {
            ok = value(a.dist);
        } else if (w == "-u" || w == "--user") {
            ok = value(a.user);
        } else if (w == "-N" || w == "--name") {
            ok = value(a.name);
        } else if (w == "-C" || w == "--class") {
            ok = value(a.spool_class);
        } else if (w == "-q" || w == "--queue") {
            ok = value(a.queue);
        } else if (w == "-s" || w == "--socket") {
            ok = value(a.socket);
        } else if (w.size() > 1 && w[0] == '-') {
            return fail("Invalid option '" + w + "'\nTry 'vmur --help' for more information.");
        } else if (a.command.empty()) {
            a.command = w;
        } else {
            a.operands.push_back(w);
        }
        if (!ok) {
            return fail("Option '" + w +
                        "' needs a value\nTry 'vmur --help' for more information.");
        }
    }
    for (char& c : a.queue) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    if (a.queue != "RDR" && a.queue != "PUN" && a.queue != "PRT") {
        return fail("Invalid queue '" + a.queue + "': use rdr, pun or prt");
    }
    if (!a.blocked_arg.empty()) {
        a.blocked = parse_blocked(a.blocked_arg);
        if (!a.blocked) {
            return fail("Invalid blocked mode '" + a.blocked_arg + "': use 0xSS,0xPP");
        }
        if (a.text) {
            return fail("Conflicting options: -t and -b");
        }
    }
    if (!a.devno.empty()) {
        const auto d = parse_devno(a.devno);
        if (!d) {
            return fail("Invalid device number '" + a.devno + "'");
        }
        a.devno = *d;
    }
    for (const std::string* v : {&a.form, &a.dest, &a.dist}) {
        if (v->size() > 8 || v->find_first_of(" \t") != std::string::npos) {
            return fail("Invalid value '" + *v + "': at most 8 characters, no blank");
        }
    }
    return -1;
}

/// A connection that runs CP commands and moves spool frames.
struct Cpd {
    cli::Connection conn;
    std::string error;

    /// Runs a CP command; the response text in `out`; the CP rc, or -1 if cpd failed.
    int cp(const std::string& command, std::string& out) {
        if (!conn.send(proto::ClientCpCommand{command}, error)) {
            return -1;
        }
        cli::Reply r;
        if (cli::await_answer(conn, r, answer_timeout_ms, error) != cli::ReadStatus::ok) {
            return -1;
        }
        const auto v = cli::cp_verdict(r.frame);
        if (!v) {
            error = cli::describe_frame(r.frame);
            return -1;
        }
        out = std::string(v->text);
        return static_cast<int>(v->rc);
    }
    bool send_raw(proto::SpoolFrameType type, const std::vector<std::byte>& payload) {
        std::vector<std::byte> bytes;
        const std::uint32_t n = static_cast<std::uint32_t>(payload.size());
        const std::uint16_t v = proto::socket_protocol_version;
        const auto t = static_cast<std::uint16_t>(type);
        for (unsigned s : {0u, 8u, 16u, 24u}) {
            bytes.push_back(static_cast<std::byte>((n >> s) & 0xFF));
        }
        bytes.push_back(static_cast<std::byte>(v & 0xFF));
        bytes.push_back(static_cast<std::byte>(v >> 8));
        bytes.push_back(static_cast<std::byte>(t & 0xFF));
        bytes.push_back(static_cast<std::byte>(t >> 8));
        bytes.insert(bytes.end(), payload.begin(), payload.end());
        std::error_code ec;
        if (!ipc::write_all(conn.fd(), bytes, ec)) {
            error = "lost the connection to cpd: " + ec.message();
            return false;
        }
        return true;
    }
};

/// CP's text without the "HCPxxxnnnE " prefix, as vmur prints it.
std::string cp_text(const std::string& text, const std::string& command, int rc) {
    if (text.empty()) {
        return "CP command '" + command + "' failed with rc=" + std::to_string(rc);
    }
    std::string first = text.substr(0, text.find('\n'));
    if (first.starts_with("HCP") && first.find(' ') != std::string::npos) {
        first = first.substr(first.find(' ') + 1);
    }
    return first;
}

int cp_or_fail(Cpd& c, const std::string& command, std::string& out) {
    const int rc = c.cp(command, out);
    if (rc < 0) {
        return fail(c.error);
    }
    if (rc != 0) {
        return fail(cp_text(out, command, rc), rc == 16 ? ex_busy : ex_error);
    }
    return -1;
}

int do_list(Cpd& c, const Args& a) {
    std::string out;
    const std::string id = a.operands.empty() ? "" : " " + a.operands[0];
    if (int st = cp_or_fail(c, "QUERY " + a.queue + " *" + id + " ALL", out); st >= 0) {
        return st;
    }
    std::cout << cli::safe_lines(out) << '\n';
    return ex_ok;
}

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

/// -d: the device must be the caller's `kind` ("RDR", "PUN", "PRT"), as
/// QUERY VIRTUAL shows it; its number, or the unit's own without -d.
int check_device(Cpd& c, const Args& a, std::string_view kind, const char* fallback,
                 std::string& devno) {
    devno = a.devno.empty() ? fallback : a.devno;
    if (a.devno.empty()) {
        return -1;
    }
    std::string out;
    if (int st = cp_or_fail(c, "QUERY VIRTUAL " + devno, out); st >= 0) {
        return st;
    }
    if (!out.starts_with(kind)) {
        return fail("Device " + devno + " is not a " +
                    (kind == "RDR" ? "reader" : kind == "PUN" ? "punch" : "printer"));
    }
    return -1;
}

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
    std::string ignored;
    if (!a.hold) {
        if (int st = cp_or_fail(c, "PURGE * RDR " + sid, ignored); st >= 0) {
            return st;
        }
    }
    return ex_ok;
}

/// Spool name and type from -N or the file's name; "" with `error` set if invalid.
bool spool_name(const Args& a, const std::string& file, std::string& name, std::string& type,
                std::string& error) {
    std::string n = a.name.empty() ? file.substr(file.find_last_of('/') + 1) : a.name;
    const std::size_t dot = n.find('.');
    name = n.substr(0, dot);
    type = dot == std::string::npos ? "" : n.substr(dot + 1);
    if (type.find('.') != std::string::npos) { // vmur: the type ends at the next dot
        type = type.substr(0, type.find('.'));
    }
    for (std::string* part : {&name, &type}) {
        bool bad = part->size() > 8;
        for (char& ch : *part) {
            if (!std::isalnum(static_cast<unsigned char>(ch)) && !std::strchr("@#$+-_", ch)) {
                bad = true;
                ch = '_';
            }
        }
        if (bad && !a.force) {
            error = "Invalid spool name '" + n + "' (use --force or --name)";
            return false;
        }
        part->resize(std::min<std::size_t>(part->size(), 8));
    }
    if (name.empty()) {
        error = "A spool name is required (--name)";
        return false;
    }
    return true;
}

/// Sends the records of `in` to `vdev` as write frames, `window` at a time.
int send_file(Cpd& c, const Args& a, std::istream& in, std::uint16_t vdev, std::size_t reclen,
              std::size_t& sent) {
    std::vector<std::byte> stream;
    int in_flight = 0;
    auto await_one = [&]() -> int {
        cli::Reply r;
        if (cli::await_answer(c.conn, r, answer_timeout_ms, c.error) != cli::ReadStatus::ok) {
            return fail(c.error);
        }
        const auto v = cli::cp_verdict(r.frame);
        --in_flight;
        if (!v || v->rc != proto::CpRc::ok) {
            const int rc = v ? static_cast<int>(v->rc) : -1;
            return fail(v ? cp_text(std::string(v->text), "write", rc)
                          : cli::describe_frame(r.frame),
                        rc == static_cast<int>(proto::CpRc::spool_busy) ? ex_busy : ex_error);
        }
        return -1;
    };
    auto flush = [&]() -> int {
        if (stream.empty()) {
            return -1;
        }
        if (!c.send_raw(proto::SpoolFrameType::socket_write,
                        proto::encode(proto::SpoolWrite{vdev, stream}))) {
            return fail(c.error);
        }
        stream.clear();
        return ++in_flight >= window ? await_one() : -1;
    };
    std::string line;
    std::vector<char> block(write_chunk / (reclen + 2) * reclen); // whole binary records
    for (std::size_t n = 1;;) {
        if (a.blocked) {
            if (!std::getline(in, line, a.blocked->separator)) {
                break;
            }
            if (line.size() > reclen) {
                return fail("Input line " + std::to_string(n) + " too long. Unit record length" +
                            " must not exceed " + std::to_string(reclen) + " characters");
            }
            line.resize(reclen, a.blocked->pad);
            proto::append_record(stream, std::as_bytes(std::span(line)));
            ++n;
            ++sent;
        } else if (a.text) {
            if (!std::getline(in, line)) {
                break;
            }
            if (line.size() > reclen) {
                return fail("Input line " + std::to_string(n) + " too long. Unit record length" +
                            " must not exceed " + std::to_string(reclen) + " characters");
            }
            line.resize(reclen, ' ');
            for (char& ch : line) {
                ch = static_cast<char>(proto::latin1_to_ebcdic[static_cast<unsigned char>(ch)]);
            }
            proto::append_record(stream, std::as_bytes(std::span(line)));
            ++n;
            ++sent;
        } else {
            in.read(block.data(), static_cast<std::streamsize>(block.size()));
            const auto got = static_cast<std::size_t>(in.gcount());
            if (got == 0) {
                break;
            }
            const auto bytes = std::as_bytes(std::span(block.data(), got));
            for (std::size_t at = 0; at < got; at += reclen, ++sent) {
                proto::append_record(stream, bytes.subspan(at, std::min(reclen, got - at)));
            }
        }
        if (stream.size() + reclen + 2 > write_chunk) {
            if (int st = flush(); st >= 0) {
                return st;
            }
        }
    }
    if (int st = flush(); st >= 0) {
        return st;
    }
    while (in_flight > 0) {
        if (int st = await_one(); st >= 0) {
            return st;
        }
    }
    return -1;
}

/// The value after `key` in QUERY VIRTUAL's text ("FORM STANDARD" -> "STANDARD").
std::string field_after(const std::string& text, const std::string& key) {
    const std::size_t at = text.find(key);
    if (at == std::string::npos) {
        return "";
    }
    const std::size_t from = at + key.size();
    return text.substr(from, text.find_first_of(" \n", from) - from);
}

/// The SPOOL command that sets the options given (-C, --form, --dest, --dist),
/// and in `restore` the one that puts the device back as QUERY VIRTUAL showed
/// it, as vmur restores the spooling options at exit. "" if none is given.
int spool_options(Cpd& c, const Args& a, const std::string& dev, std::string& set,
                  std::string& restore) {
    if (a.spool_class.empty() && a.form.empty() && a.dest.empty() && a.dist.empty()) {
        return -1;
    }
    std::string shown;
    if (int st = cp_or_fail(c, "QUERY VIRTUAL " + dev, shown); st >= 0) {
        return st;
    }
    restore = "SPOOL ";
    restore += dev;
    set = restore;
    auto option = [](std::string& cmd, const char* key, const std::string& value) {
        if (!value.empty()) {
            cmd += ' ';
            cmd += key;
            cmd += ' ';
            cmd += value;
        }
    };
    option(restore, "CLASS", shown.size() > 13 ? shown.substr(13, 1) : "");
    option(restore, "FORM", field_after(shown, "FORM "));
    option(restore, "DEST", field_after(shown, "DEST "));
    option(restore, "DIST", field_after(shown, "DIST "));
    option(set, "CLASS", a.spool_class);
    option(set, "FORM", a.form);
    option(set, "DEST", a.dest);
    option(set, "DIST", a.dist);
    std::string out;
    const int rc = c.cp(set, out);
    if (rc < 0) {
        return fail(c.error);
    }
    if (rc != 0) {
        return fail("Could not set spooling options (rc=" + std::to_string(rc) +
                    "): " + cp_text(out, set, rc));
    }
    return -1;
}

int punch_file(Cpd& c, const Args& a, std::istream& in, const std::string& dev, bool print,
               const std::string& name, const std::string& type);

int do_punch(Cpd& c, const Args& a, bool print) {
    if (!a.user.empty() && !a.rdr) {
        return fail("--user without --rdr specified");
    }
    if (a.operands.size() > 1 || (a.operands.empty() && a.name.empty())) {
        return fail(a.operands.empty() ? "--name is required when reading standard input"
                                       : "Too many arguments");
    }
    const std::string file = a.operands.empty() ? "" : a.operands[0];
    std::string name, type, error, out;
    if (!spool_name(a, file, name, type, error)) {
        return fail(error);
    }
    std::ifstream f;
    if (!file.empty()) {
        f.open(file, std::ios::binary);
        if (!f) {
            return fail("Could not open file '" + file + "': " + std::strerror(errno));
        }
    }
    std::istream& in = file.empty() ? std::cin : f;
    std::string dev, set, restore;
    if (int st = check_device(c, a, print ? "PRT" : "PUN", print ? "000E" : "000D", dev); st >= 0) {
        return st;
    }
    if (int st = spool_options(c, a, dev, set, restore); st >= 0) {
        return st;
    }
    const int st = punch_file(c, a, in, dev, print, name, type);
    if (!restore.empty()) {
        c.cp(restore, out);
    }
    return st;
}

/// Sends the file and closes it: to a reader with -r, else to the own queue.
int punch_file(Cpd& c, const Args& a, std::istream& in, const std::string& dev, bool print,
               const std::string& name, const std::string& type) {
    std::string out;
    std::size_t sent = 0;
    const auto vdev = static_cast<std::uint16_t>(std::stoul(dev, nullptr, 16));
    const int st = send_file(c, a, in, vdev, print ? 132 : 80, sent);
    if (st >= 0 || sent == 0) {
        c.cp("CLOSE " + dev + " PURGE", out);
        return st >= 0 ? st : fail("No spool file created - probably empty input.");
    }
    const std::string to =
        a.rdr ? " TO " + (a.user.empty() ? std::string("*") : a.user) + " RDR" : "";
    if (int s = cp_or_fail(
            c, "CLOSE " + dev + to + " NAME " + name + (type.empty() ? "" : " " + type), out);
        s >= 0) {
        c.cp("CLOSE " + dev + " PURGE", out);
        return s;
    }
    const std::string sid = out.size() >= 13 ? out.substr(9, 4) : "????";
    if (a.rdr) {
        std::cout << "Reader file with spoolid " << sid << " created"
                  << (a.user.empty() ? "" : " and transferred to " + a.user) << ".\n";
    } else {
        std::cout << (print ? "Printer" : "Punch") << " file with spoolid " << sid << " created.\n";
    }
    return ex_ok;
}

int do_purge(Cpd& c, const Args& a) {
    std::string sel = a.operands.empty() ? "" : " " + a.operands[0];
    if (!a.spool_class.empty()) {
        sel += " CLASS " + a.spool_class;
    }
    for (const auto& [key, value] : {std::pair{" FORM ", &a.form}, std::pair{" DEST ", &a.dest}}) {
        if (!value->empty()) {
            sel += key;
            sel += *value;
        }
    }
    if (sel.empty()) {
        sel = " ALL";
    }
    if (!a.force && !a.non_interactive) {
        std::cerr << "purge selected " << a.queue << " file(s)? (y/n) ";
        std::string answer;
        if (!std::getline(std::cin, answer) || (answer != "y" && answer != "Y")) {
            return ex_ok;
        }
    }
    std::string out;
    if (int st = cp_or_fail(c, "PURGE * " + a.queue + sel, out); st >= 0) {
        return st;
    }
    std::cerr << cli::safe_lines(out) << '\n';
    return ex_ok;
}

int do_order(Cpd& c, const Args& a) {
    if (a.operands.size() != 1) {
        return fail("Spoolid required: vmur order SPOOLID");
    }
    std::string out;
    if (int st = cp_or_fail(c, "ORDER * " + a.queue + " " + a.operands[0], out); st >= 0) {
        return st;
    }
    return ex_ok;
}

/// The command by vmur's abbreviations.
bool is(const std::string& w, const char* name, std::size_t min) {
    return w.size() >= min && std::string_view(name).starts_with(w);
}

} // namespace

int main(int argc, char** argv) {
    Args a;
    if (int st = parse(argc, argv, a); st >= 0) {
        return st;
    }
    if (a.command.empty()) {
        return fail("Command missing\nTry 'vmur --help' for more information.");
    }
    std::string socket, error;
    if (!cli::resolve_socket(a.socket, socket, error)) {
        return fail(error);
    }
    Cpd c;
    if (!c.conn.open(socket, error)) {
        return fail(error);
    }
    const std::string& w = a.command;
    if (is(w, "receive", 2)) {
        return do_receive(c, a);
    }
    if (is(w, "punch", 3)) {
        return do_punch(c, a, false);
    }
    if (is(w, "print", 2)) {
        return do_punch(c, a, true);
    }
    if (is(w, "list", 2)) {
        return do_list(c, a);
    }
    if (is(w, "purge", 3)) {
        return do_purge(c, a);
    }
    if (is(w, "order", 2)) {
        return do_order(c, a);
    }
    return fail("Unknown command '" + w + "'\nTry 'vmur --help' for more information.");
}
