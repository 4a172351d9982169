// SPDX-License-Identifier: MIT
// vmur punch and print: the file's records as write frames, `window` of them
// unanswered at most, each under cpd's request limit, so a file of any size
// moves in bounded memory; then CLOSE with its name, to the own queue or (-r)
// to a reader. -C, --form, --dest and --dist are set on the device for this
// file and the device's settings put back afterwards, as vmur does.
#include "vmur_commands.hpp"

#include "cpd/proto/ebcdic.hpp"
#include "cpd/proto/spool_frame.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <span>
#include <string>
#include <vector>

namespace cpd::vmur {

namespace {

/// Record-stream bytes per write frame: under cpd's request limit (16 KiB),
/// which bounds what a client can make cpd hold. (64 KiB frames measured no
/// faster: the time goes to copying the bytes, not to the requests.)
constexpr std::size_t write_chunk = 16 * 1024 - 64;
/// Writes sent before their answers are awaited: enough to keep cpd busy
/// while the answers travel back.
constexpr int window = 16;

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
    stream.reserve(write_chunk + reclen + 2);
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
        if (a.blocked || a.text) { // a line a record: -b as it is, padded; -t in EBCDIC
            if (!std::getline(in, line, a.blocked ? a.blocked->separator : '\n')) {
                break;
            }
            if (line.size() > reclen) {
                return fail("Input line " + std::to_string(n) + " too long. Unit record length" +
                            " must not exceed " + std::to_string(reclen) + " characters");
            }
            line.resize(reclen, a.blocked ? a.blocked->pad : ' ');
            if (!a.blocked) {
                for (char& ch : line) {
                    ch = static_cast<char>(proto::latin1_to_ebcdic[static_cast<unsigned char>(ch)]);
                }
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

} // namespace

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

} // namespace cpd::vmur
