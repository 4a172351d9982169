// SPDX-License-Identifier: MIT
// vmur's command line: options anywhere after the command, long forms as
// s390-tools' vmur has them.
#include "vmur_args.hpp"

#include "safe_text.hpp"

#include "cpd/proto/version.hpp"

#include <cctype>
#include <iostream>

namespace cpd::vmur {

namespace {

constexpr const char* usage =
    "Usage: vmur COMMAND [OPTIONS] [ARGS]\n"
    "Work with the z/VM-style spool of cpd as your mapped userid.\n\n"
    "  vmur list|li [-q rdr|pun|prt] [SPOOLID]\n"
    "  vmur receive|re [-fH] [-d DEVNO] [-t | -b SEP,PAD] [-O] SPOOLID [OUTFILE]\n"
    "  vmur punch|pun [-fr] [-d DEVNO] [-C CLASS] [--form F] [--dest D] [--dist D]\n"
    "                 [-t | -b SEP,PAD] [-u USERID [-n NODE]] [-N NAME.TYPE] [FILE]\n"
    "  vmur print|pr  (as punch; 132-byte text records)\n"
    "  vmur purge|pur [-f] [-q QUEUE] [-C CLASS] [--form F] [--dest D] [SPOOLID]\n"
    "  vmur order|or [-q QUEUE] SPOOLID\n\n"
    "Options: -t/--text ASCII<->EBCDIC (IBM037), a record per line; -b/--blocked\n"
    "SEP,PAD (0xSS,0xPP) records split at byte SEP and padded with PAD (punch),\n"
    "or PAD stripped and SEP appended (receive); -r/--rdr send the file to a\n"
    "reader; -u/--user whose reader (class D for another's); -N/--name spool name\n"
    "and type; --form, --dest, --dist the file's FORM, DEST and DIST; -d/--devno\n"
    "the virtual device (000C, 000D, 000E); -f/--force overwrite, fix names, no\n"
    "question; -n/--node a remote node (refused: cpd has no RSCS); -H/--hold keep\n"
    "the file in the reader; -O/--stdout write to stdout; -q/--queue rdr|pun|prt;\n"
    "-C/--class A-Z, 0-9; -s/--socket PATH; -h; -v.\n\n"
    "Exit status: 0 success, 1 error, 16 the device is in use by another writer.\n"
    "Environment: CPD_SOCKET (overridden by --socket).\n";

} // namespace

int fail(std::string_view what, int code) {
    std::cerr << "vmur: " << cli::safe_line(what) << '\n';
    return code;
}

std::optional<Blocked> parse_blocked(const std::string& arg) {
    const std::size_t comma = arg.find(',');
    if (comma == std::string::npos) {
        return std::nullopt;
    }
    auto byte = [](std::string v) -> std::optional<char> {
        if (v.starts_with("0x") || v.starts_with("0X")) {
            v = v.substr(2);
        }
        if (v.empty() || v.size() > 2 ||
            v.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos) {
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
        } else if (w == "-n" || w == "--node") {
            ok = value(a.node);
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
    if (!a.node.empty()) { // s390-tools' -n/--node: spooling to another system through RSCS
        if (a.user.empty()) {
            return fail("--node without --user specified");
        }
        return fail("Remote spooling to node " + a.node + " needs RSCS, which cpd does not have");
    }
    return -1;
}

} // namespace cpd::vmur
