// SPDX-License-Identifier: MIT
// Parses a user directory (a subset of z/VM USER DIRECT, see docs/directory.md)
// line by line into a Directory. Every problem becomes a diagnostic naming
// file:line; parsing never stops at the first error, but only the first
// max_kept_diagnostics are kept. Reads only the one file it is given
// (load_directory, through BoundedFile) and expands nothing ($STATE paths stay
// verbatim). DirectoryParse runs the same parser a slice at a time. How the
// diagnostics read is directory_diagnostics.cpp's.
#include "config/directory/directory_parser.hpp"
#include "config/bounded_file.hpp"
#include "config/directory/directory_disk_statements.hpp"
#include "config/directory/directory_restart_statement.hpp"
#include "config/directory/directory_words.hpp"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <optional>
#include <utility>

namespace cpd::daemon {

namespace {

using namespace directory_words;

constexpr std::uint64_t max_uid = 4294967294U; // (uid_t)-1 means "no uid"

/// A valid userid for an entry whose USER statement had none; such entries are dropped.
proto::Userid placeholder_userid() {
    static const proto::Userid id = [] {
        auto r = proto::Userid::parse("$BAD");
        if (!r)
            std::abort();
        return *r;
    }();
    return id;
}

/// `path` with "//" and "/./" folded and a trailing '/': the form the disk
/// directory check compares. ($STATE/ paths and absolute ones are compared
/// among themselves; '..' is refused for $STATE/ paths by the parser.)
std::string normalized_path(std::string_view path) {
    std::string out;
    for (std::size_t start = 0; start <= path.size();) {
        const std::size_t end = std::min(path.find('/', start), path.size());
        const std::string_view part = path.substr(start, end - start);
        if (!part.empty() && part != ".")
            out += (out.empty() && path.front() != '/' ? "" : "/") + std::string(part);
        start = end + 1;
    }
    return out + "/";
}

/// The entry being built: the USER statement seen last and what follows it.
struct OpenEntry {
    explicit OpenEntry(proto::Userid id) : entry(DirectoryEntry::make(id)) {}
    DirectoryEntry entry;
    bool keep = true;               ///< false after a bad or duplicate USER: checked, then dropped
    int ipl_line = 0;               ///< line of the IPL statement, 0: none yet
    std::vector<int> mdisk_lines;   ///< line of each MDISK, parallel to entry.minidisks
    std::vector<bool> mdisk_fm_set; ///< filemode given explicitly, parallel to entry.minidisks
    std::vector<bool> link_fm_set;  ///< filemode given explicitly, parallel to entry.links
};

/// Where a POSIXINFO UID or UNAME was first claimed.
struct Claim {
    std::string userid;
    int line = 0;
};

class Parser {
  public:
    explicit Parser(const std::string& file) : file_(file) {}

    void parse_line(std::string_view line, int lineno);
    DirectoryParseResult finish();

  private:
    void error_at(int line, std::string message) {
        if (result_.errors.size() < max_kept_diagnostics)
            result_.errors.push_back({file_, line, std::move(message)});
        else
            ++result_.more_errors;
    }
    void error(std::string message) { error_at(line_, std::move(message)); }
    void warning_at(int line, std::string message) {
        if (result_.warnings.size() < max_kept_diagnostics)
            result_.warnings.push_back({file_, line, std::move(message)});
        else
            ++result_.more_warnings;
    }
    void warning(std::string message) { warning_at(line_, std::move(message)); }
    std::string where(int line) const { return file_ + ":" + std::to_string(line); }
    DirectoryEntry& entry() { return open_->entry; }

    void on_user(const std::vector<Token>& t);
    void on_user_operands(const std::vector<Token>& t);
    void on_ipl(const std::vector<Token>& t, std::string_view line);
    void on_iucv(const std::vector<Token>& t);
    void on_option(const std::vector<Token>& t);
    void on_posixinfo(const std::vector<Token>& t);
    void on_mdisk(const std::vector<Token>& t);
    void on_link(const std::vector<Token>& t);
    void on_share(const std::vector<Token>& t);
    void on_restart(const std::vector<Token>& t);
    bool check_filemode(char filemode, const char* statement);
    std::string vdev_defined_at(const std::string& vdev);
    void close_entry();
    void check_disk_paths();
    void assign_filemodes();
    void claim(std::map<std::string, Claim>& claims, const std::string& key,
               const std::string& what);

    std::string file_;
    int line_ = 0;
    DirectoryParseResult result_;
    std::optional<OpenEntry> open_;
    std::map<proto::Userid, int> user_lines_;
    std::map<std::string, Claim> uid_claims_;
    std::map<std::string, Claim> uname_claims_;
    struct DiskPath {
                std::string path; ///< normalized_path() of it
        std::string disk; ///< "USERID vdev"
        int line = 0;
    };
    std::vector<DiskPath> disk_paths_;
};

// Dispatches one line to its statement handler.
void Parser::parse_line(std::string_view line, int lineno) {
    line_ = lineno;
    if (!line.empty() && line.back() == '\r')
        line.remove_suffix(1);
    if (auto bad = find_control_char(line))
        return error("control character " + hex_byte(*bad) + " in line");
    const std::vector<Token> t = tokenize(line);
    if (t.empty() || t[0].text.front() == '*' || t[0].text.front() == '#')
        return;
    const std::string keyword = upper(t[0].text);
    if (keyword == "USER")
        return on_user(t);
    using Handler = void (Parser::*)(const std::vector<Token>&);
    static const std::map<std::string, Handler, std::less<>> handlers = {
        {"IUCV", &Parser::on_iucv},
        {"OPTION", &Parser::on_option},
        {"POSIXINFO", &Parser::on_posixinfo},
        {"MDISK", &Parser::on_mdisk},
        {"LINK", &Parser::on_link},
        {"SHARE", &Parser::on_share},
        {"RESTART", &Parser::on_restart},
    };
    auto it = handlers.find(keyword);
    if (keyword != "IPL" && it == handlers.end())
        return warning("unknown statement " + keyword + " ignored");
    if (!open_)
        return error(keyword + " statement before the first USER statement");
    if (keyword == "IPL")
        return on_ipl(t, line);
    (this->*(it->second))(t);
}

// USER userid password [storage [maxstorage [classes]]]: opens a new entry.
void Parser::on_user(const std::vector<Token>& t) {
    close_entry();
    open_.emplace(placeholder_userid());
    entry().source = where(line_);
    if (t.size() < 2) {
        open_->keep = false;
        return error("USER: missing userid");
    }
    auto id = proto::Userid::parse(t[1].text);
    if (!id) {
        open_->keep = false;
        error("USER: invalid userid " + quoted(t[1].text) + ": " + userid_problem(t[1].text));
    } else if (auto why = reserved_userid(id->str())) {
        open_->keep = false;
        error("USER: userid " + std::string(id->str()) + " is reserved (" + *why + ")");
    } else if (auto [it, fresh] = user_lines_.emplace(*id, line_); !fresh) {
        open_->keep = false;
        error("USER: duplicate userid " + std::string(id->str()) + " (first defined at " +
              where(it->second) + ")");
    }
    if (id)
        entry().userid = *id;
    on_user_operands(t);
}

// Checks the password, storage, maximum storage and classes of a USER statement.
void Parser::on_user_operands(const std::vector<Token>& t) {
    DirectoryEntry& e = entry();
    if (t.size() < 3)
        return error("USER: missing password (any word, or NOLOG)");
    e.nolog = upper(t[2].text) == "NOLOG";
    std::optional<std::uint64_t> stor, maxstor;
    if (t.size() > 3 && !(stor = storage_bytes(t[3].text)))
        error("USER: storage must be a number followed by K, M or G, got " + quoted(t[3].text));
    else if (t.size() > 3)
        e.storage = upper(t[3].text);
    if (t.size() > 4 && !(maxstor = storage_bytes(t[4].text)))
        error("USER: maximum storage must be a number followed by K, M or G, got " +
              quoted(t[4].text));
    else if (t.size() > 4)
        e.max_storage = upper(t[4].text);
    if (stor && maxstor && *maxstor < *stor)
        error("USER: maximum storage " + e.max_storage + " is less than storage " + e.storage);
    if (t.size() > 5) {
        std::string classes;
        for (char c : upper(t[5].text)) {
            if (!((c >= 'A' && c <= 'Z') || (c >= '1' && c <= '6')))
                return error("USER: privilege classes must be letters A-Z or digits 1-6, got " +
                             quoted(t[5].text));
            if (classes.find(c) == std::string::npos)
                classes += c;
        }
        e.classes = classes;
    }
    if (t.size() > 6)
        error("USER: unexpected operand " + quoted(t[6].text) +
              " (USER userid password [storage [maxstorage [classes]]])");
}

// IPL program [PARM text]: a built-in program name or an absolute executable path.
void Parser::on_ipl(const std::vector<Token>& t, std::string_view line) {
    if (t.size() < 2)
        return error("IPL: missing program (a built-in name such as CMS, or an absolute path)");
    if (open_->ipl_line != 0)
        return error("IPL: second IPL statement for this user (first at " + where(open_->ipl_line) +
                     ")");
    std::string program;
    if (t[1].text.front() == '/')
        program = std::string(t[1].text);
    else if (is_builtin_name(t[1].text))
        program = upper(t[1].text);
    else
        return error("IPL: program must be a built-in name (letters and digits, starting with "
                     "a letter) or an absolute path, got " +
                     quoted(t[1].text));
    std::string parm;
    if (t.size() > 2) {
        if (upper(t[2].text) != "PARM")
            return error("IPL: unexpected operand " + quoted(t[2].text) +
                         " (IPL program [PARM text])");
        if (t.size() < 4)
            return error("IPL: PARM needs text");
        parm = std::string(line.substr(t[2].end + 1));
    }
    open_->ipl_line = line_;
    entry().ipl_program = std::move(program);
    entry().ipl_parm = std::move(parm);
}

// IUCV ALLOW | ANY | userid [MSGLIMIT n] [PRIORITY]
void Parser::on_iucv(const std::vector<Token>& t) {
    if (t.size() < 2)
        return error("IUCV: missing operand (ALLOW, ANY or a userid)");
    IucvAuthorization auth;
    const std::string what = upper(t[1].text);
    if (what == "ALLOW") {
        auth.kind = IucvAuthorization::Kind::allow;
    } else if (what == "ANY") {
        auth.kind = IucvAuthorization::Kind::any;
    } else if (what.front() == '*') {
        return warning("IUCV " + what + ": CP system services are not modelled; ignored");
    } else if (auto id = proto::Userid::parse(t[1].text)) {
        auth.target = *id;
    } else {
        return error("IUCV: invalid userid " + quoted(t[1].text) + ": " +
                     userid_problem(t[1].text));
    }
    for (std::size_t i = 2; i < t.size(); ++i) {
        const std::string op = upper(t[i].text);
        if (op == "PRIORITY") {
            warning("IUCV: PRIORITY is not modelled; ignored");
        } else if (op != "MSGLIMIT") {
            return error("IUCV: unexpected operand " + quoted(t[i].text) +
                         " (IUCV ALLOW | ANY | userid [MSGLIMIT n])");
        } else if (i + 1 == t.size()) {
            return error("IUCV: MSGLIMIT needs a number 1-65535");
        } else if (auto n = parse_number(t[++i].text, 1, 65535)) {
            auth.msglimit = static_cast<std::uint32_t>(*n);
        } else {
            return error("IUCV: MSGLIMIT needs a number 1-65535, got " + quoted(t[i].text));
        }
    }
    entry().iucv.push_back(std::move(auth));
}

// OPTION MAXCONN n | NETWORK | LNKNOPAS [other options, warned about and ignored]
void Parser::on_option(const std::vector<Token>& t) {
    if (t.size() < 2)
        return error("OPTION: missing operand (e.g. MAXCONN n)");
    std::string ignored;
    for (std::size_t i = 1; i < t.size(); ++i) {
        const std::string option = upper(t[i].text);
        if (option == "NETWORK") {
            entry().network = true;
        } else if (option == "LNKNOPAS") {
            entry().lnknopas = true;
        } else if (option != "MAXCONN") {
            ignored += (ignored.empty() ? "" : " ") + option;
        } else if (i + 1 == t.size()) {
            error("OPTION: MAXCONN needs a number 1-65535");
        } else if (auto n = parse_number(t[++i].text, 1, 65535)) {
            entry().maxconn = static_cast<std::uint32_t>(*n);
        } else {
            error("OPTION: MAXCONN needs a number 1-65535, got " + quoted(t[i].text));
        }
    }
    if (!ignored.empty())
        warning("OPTION " + ignored + " not supported; ignored");
}

// Records a POSIXINFO claim, or reports the entry that made it first.
void Parser::claim(std::map<std::string, Claim>& claims, const std::string& key,
                   const std::string& what) {
    if (!open_->keep)
        return;
    const std::string id(entry().userid.str());
    auto [it, fresh] = claims.emplace(key, Claim{id, line_});
    if (!fresh)
        error("POSIXINFO: " + what + " " + key + " of " + id + " is already claimed by " +
              it->second.userid + " at " + where(it->second.line));
}

// POSIXINFO [UID n] [UNAME name]: the host account that acts as this userid.
void Parser::on_posixinfo(const std::vector<Token>& t) {
    if (t.size() < 2)
        return error("POSIXINFO: missing operand (UID n or UNAME name)");
    DirectoryEntry& e = entry();
    for (std::size_t i = 1; i < t.size(); i += 2) {
        const std::string op = upper(t[i].text);
        const bool has_value = i + 1 < t.size();
        const std::string_view value = has_value ? t[i + 1].text : std::string_view{};
        if (op == "UID") {
            auto n = parse_number(value, 0, max_uid);
            if (!n)
                return error("POSIXINFO: UID needs a number 0-4294967294" +
                             (has_value ? ", got " + quoted(value) : std::string()));
            if (e.posix_uid)
                return error("POSIXINFO: UID given twice for " + std::string(e.userid.str()));
            e.posix_uid = static_cast<std::uint32_t>(*n);
            claim(uid_claims_, std::to_string(*n), "UID");
        } else if (op == "UNAME") {
            if (!is_posix_uname(value))
                return error("POSIXINFO: UNAME needs a host user name (1-32 of A-Z a-z 0-9 . _ -)" +
                             (has_value ? ", got " + quoted(value) : std::string()));
            if (e.posix_uname)
                return error("POSIXINFO: UNAME given twice for " + std::string(e.userid.str()));
            e.posix_uname = std::string(value);
            claim(uname_claims_, std::string(value), "UNAME");
        } else if (op == "GID" || op == "GNAME" || op == "IWDIR" || op == "IUPGM") {
            warning("POSIXINFO: " + op + " is not used; ignored");
        } else {
            return error("POSIXINFO: unexpected operand " + quoted(t[i].text) +
                         " (POSIXINFO UID n | UNAME name)");
        }
    }
}

// Checks an explicit filemode letter against the entry's earlier disks and links.
bool Parser::check_filemode(char filemode, const char* statement) {
    const auto& disks = entry().minidisks;
    for (std::size_t i = 0; i < disks.size(); ++i) {
        if (open_->mdisk_fm_set[i] && disks[i].filemode == filemode) {
            error(std::string(statement) + ": filemode " + filemode + " is already used by MDISK " +
                  disks[i].vdev + " at " + where(open_->mdisk_lines[i]));
            return false;
        }
    }
    for (const DirectoryLink& link : entry().links) {
        if (link.filemode == filemode) {
            error(std::string(statement) + ": filemode " + filemode + " is already used by LINK " +
                  link.vdev + " at " + link.source);
            return false;
        }
    }
    return true;
}

/// Where `vdev` is already defined in the entry (an MDISK or a LINK), or "".
std::string Parser::vdev_defined_at(const std::string& vdev) {
    const auto& disks = entry().minidisks;
    for (std::size_t i = 0; i < disks.size(); ++i)
        if (disks[i].vdev == vdev)
            return where(open_->mdisk_lines[i]);
    for (const DirectoryLink& link : entry().links)
        if (link.vdev == vdev)
            return link.source;
    return "";
}

// MDISK: a minidisk this user owns (see directory_disk_statements.hpp).
void Parser::on_mdisk(const std::vector<Token>& t) {
    Minidisk disk;
    bool filemode_given = false;
    if (auto problem = parse_mdisk_statement(t, entry().userid, disk, filemode_given);
        !problem.empty())
        return error(problem);
    if (auto at = vdev_defined_at(disk.vdev); !at.empty())
        return error("MDISK: virtual device " + disk.vdev + " already defined at " + at);
    if (filemode_given && !check_filemode(disk.filemode, "MDISK"))
        return;
    disk_paths_.push_back(
        {normalized_path(disk.host_path), std::string(entry().userid.str()) + " " + disk.vdev, line_});
    entry().minidisks.push_back(std::move(disk));
    open_->mdisk_lines.push_back(line_);
    open_->mdisk_fm_set.push_back(filemode_given);
}

// LINK userid vdev1 [vdev2 [mode [filemode]]]: a disk linked at logon.
void Parser::on_link(const std::vector<Token>& t) {
    DirectoryLink link;
    link.source = where(line_);
    if (auto problem = parse_link_statement(t, link); !problem.empty())
        return error(problem);
    if (auto at = vdev_defined_at(link.vdev); !at.empty())
        return error("LINK: virtual device " + link.vdev + " already defined at " + at);
    if (link.filemode != 0 && !check_filemode(link.filemode, "LINK"))
        return;
    entry().links.push_back(std::move(link));
    open_->link_fm_set.push_back(entry().links.back().filemode != 0);
}

// RESTART [LIMIT n] [WITHIN time] [BACKOFF time] [MAXBACKOFF time] (see
// directory_restart_statement.hpp): cpd restarts this guest when it crashes.
void Parser::on_restart(const std::vector<Token>& t) {
    if (entry().restart)
        return error("RESTART: second RESTART statement for this user");
    RestartPolicy policy;
    if (auto problem = parse_restart_statement(t, policy); !problem.empty())
        return error(problem);
    entry().restart = policy;
}

// SHARE RELATIVE n | ABSOLUTE n%: the guest's CPU share.
void Parser::on_share(const std::vector<Token>& t) {
    const std::string kind = t.size() > 1 ? upper(t[1].text) : "";
    if (kind == "ABSOLUTE")
        return warning("SHARE ABSOLUTE is not supported; ignored (use SHARE RELATIVE n)");
    if (kind != "RELATIVE" || t.size() != 3)
        return error("SHARE: expected SHARE RELATIVE n (n 1-10000)");
    auto n = parse_number(t[2].text, 1, 10000);
    if (!n)
        return error("SHARE: RELATIVE needs a number 1-10000, got " + quoted(t[2].text));
    entry().share_relative = static_cast<std::uint32_t>(*n);
}

// Gives each MDISK and then each LINK without a filemode the lowest letter no
// other disk of the entry uses. A LINK left without one is not accessed at IPL.
void Parser::assign_filemodes() {
    auto& disks = entry().minidisks;
    auto& links = entry().links;
    std::string used;
    for (std::size_t i = 0; i < disks.size(); ++i)
        if (open_->mdisk_fm_set[i])
            used += disks[i].filemode;
    for (std::size_t i = 0; i < links.size(); ++i)
        if (open_->link_fm_set[i])
            used += links[i].filemode;
    auto next_free = [&used] {
        char fm = 'A';
        while (fm <= 'Z' && used.find(fm) != std::string::npos)
            ++fm;
        return fm;
    };
    for (std::size_t i = 0; i < disks.size(); ++i) {
        if (open_->mdisk_fm_set[i])
            continue;
        const char fm = next_free();
        if (fm > 'Z') {
            error_at(open_->mdisk_lines[i], "MDISK: no free filemode left for " + disks[i].vdev);
            continue;
        }
        disks[i].filemode = fm;
        used += fm;
    }
    for (std::size_t i = 0; i < links.size(); ++i) {
        if (!open_->link_fm_set[i] && next_free() <= 'Z') {
            links[i].filemode = next_free();
            used += links[i].filemode;
        }
    }
}

// Finishes the open entry and adds it to the directory unless it was rejected.
void Parser::close_entry() {
    if (!open_)
        return;
    assign_filemodes();
    if (open_->keep) {
        if (entry().nolog && open_->ipl_line != 0)
            warning_at(open_->ipl_line, "IPL of NOLOG user " + std::string(entry().userid.str()) +
                                            " is never used (NOLOG cannot be logged on)");
        result_.directory.add(std::move(open_->entry));
    }
    open_.reset();
}

// Two MDISKs on one directory, or one inside another, would share or fight
// over one ACL: each disk needs a directory of its own. Sorted with a
// trailing '/', every path comes right after the paths it lies inside (of
// which a stack keeps the chain), whatever characters sort before '/'.
void Parser::check_disk_paths() {
    std::sort(disk_paths_.begin(), disk_paths_.end(),
              [](const DiskPath& a, const DiskPath& b) { return a.path < b.path; });
    std::vector<const DiskPath*> open;
    for (const DiskPath& d : disk_paths_) {
        while (!open.empty() && !d.path.starts_with(open.back()->path))
            open.pop_back();
        if (!open.empty()) {
            const DiskPath& outer = *open.back();
            const bool same = outer.path == d.path;
            error_at(d.line, "MDISK: " + d.disk +
                                 (same ? " uses the directory of " : " lies inside the directory of ") +
                                 outer.disk + " at " + where(outer.line) + ": " +
                                 d.path.substr(0, d.path.size() - 1));
            if (same)
                continue;
        }
        open.push_back(&d);
    }
}

DirectoryParseResult Parser::finish() {
    close_entry();
    check_disk_paths();
    if (result_.directory.size() == 0 && result_.errors.empty())
        warning_at(0, "no USER statements: the directory is empty");
    auto by_line = [](const auto& a, const auto& b) { return a.line < b.line; };
    std::stable_sort(result_.errors.begin(), result_.errors.end(), by_line);
    std::stable_sort(result_.warnings.begin(), result_.warnings.end(), by_line);
    return std::move(result_);
}

/// Feeds up to `max_lines` lines of `rest` to the parser; true once `rest` is empty.
bool parse_lines(Parser& parser, std::string_view& rest, int& lineno, std::size_t max_lines) {
    for (std::size_t n = 0; n < max_lines && !rest.empty(); ++n) {
        const std::size_t nl = rest.find('\n');
        parser.parse_line(rest.substr(0, nl), ++lineno);
        rest.remove_prefix(nl == std::string_view::npos ? rest.size() : nl + 1);
    }
    return rest.empty();
}

} // namespace

/// The text, where the parse stands in it, and the parser.
struct DirectoryParse::State {
    State(std::string t, const std::string& file) : text(std::move(t)), rest(text), parser(file) {}
    std::string text;
    std::string_view rest;
    int lineno = 0;
    Parser parser;
};

DirectoryParse::DirectoryParse(std::string text, std::string file)
    : state_(std::make_unique<State>(std::move(text), file)) {}
DirectoryParse::~DirectoryParse() = default;
DirectoryParse::DirectoryParse(DirectoryParse&&) noexcept = default;
DirectoryParse& DirectoryParse::operator=(DirectoryParse&&) noexcept = default;

bool DirectoryParse::parse_some(std::size_t max_lines) {
    return parse_lines(state_->parser, state_->rest, state_->lineno, max_lines);
}

DirectoryParseResult DirectoryParse::finish() {
    DirectoryParseResult result = state_->parser.finish();
    state_.reset(); // the text and the parser's maps go now, not with this object
    return result;
}

DirectoryParseResult parse_directory(std::string_view text, const std::string& file) {
    Parser parser(file);
    int lineno = 0;
    parse_lines(parser, text, lineno, static_cast<std::size_t>(-1));
    return parser.finish();
}

DirectoryParseResult load_directory(const std::string& path) {
    BoundedFile file(path, max_directory_file_bytes, "directory file");
    if (!file.read_all())
        return refused_directory(path, file.problem());
    return parse_directory(file.take_text(), path);
}

} // namespace cpd::daemon
