// SPDX-License-Identifier: MIT
#include "config/directory/directory_disk_statements.hpp"

#include <algorithm>

namespace cpd::daemon {

using namespace directory_words;

namespace {

/// A z/VM device type such as 3390, 3380, 9336 or FB-512.
bool is_device_type(std::string_view s) {
    return !s.empty() && s.size() <= 8 &&
           s.find_first_not_of("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-") == std::string_view::npos;
}

/// A password: 1-8 printable characters (z/VM's limit).
bool is_password(std::string_view s) {
    return !s.empty() && s.size() <= 8 &&
           std::all_of(s.begin(), s.end(), [](char c) { return c > ' ' && c < 0x7f; });
}

/// Checks the host path of the first MDISK form ("" or the error).
std::string check_host_path(std::string_view path) {
    if (path.front() != '/' &&
        !(path.starts_with(state_dir_prefix) && path.size() > state_dir_prefix.size()))
        return "MDISK: host path must be absolute or start with $STATE/, got " + quoted(path);
    // cpd creates $STATE/ paths: every component must name a directory below
    // the state directory, so none may climb out of it.
    if (path.starts_with(state_dir_prefix))
        for (std::size_t start = state_dir_prefix.size(); start <= path.size();) {
            const std::size_t end = std::min(path.find('/', start), path.size());
            const std::string_view name = path.substr(start, end - start);
            if (name.empty() || name == "." || name == "..")
                return "MDISK: host path below $STATE/ must not contain '.', '..' or empty "
                       "components, got " +
                       quoted(path);
            start = end + 1;
        }
    return "";
}

/// Reads the z/VM geometry operands (devtype start size volser) at t[2..5].
std::string check_geometry(const std::vector<Token>& t) {
    if (t.size() < 7)
        return "MDISK: z/VM form needs devtype start size volser mode "
               "(MDISK vdev devtype start size volser mode)";
    if (!is_device_type(upper(t[2].text)))
        return "MDISK: device type must be letters, digits or '-', got " + quoted(t[2].text);
    if (upper(t[3].text) == "V-DISK" || upper(t[3].text) == "T-DISK")
        return "MDISK: " + upper(t[3].text) + " (temporary disks) is not supported";
    if (!parse_number(t[3].text, 0, 0xFFFFFFFF))
        return "MDISK: start must be a number, got " + quoted(t[3].text);
    if (!parse_number(t[4].text, 1, 0xFFFFFFFF) && upper(t[4].text) != "END")
        return "MDISK: size must be a number or END, got " + quoted(t[4].text);
    const std::string volser = upper(t[5].text);
    if (volser.size() > 6 ||
        volser.find_first_not_of("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ@#$") != std::string::npos)
        return "MDISK: volume serial must be 1-6 of A-Z 0-9 @ # $, got " + quoted(t[5].text);
    return "";
}

} // namespace

std::string canonical_vdev(std::string_view text) {
    const std::string v = upper(text);
    if (v.empty() || v.size() > 4 || v.find_first_not_of("0123456789ABCDEF") != std::string::npos)
        return "";
    return std::string(4 - v.size(), '0') + v;
}

bool is_link_mode(std::string_view m) {
    static constexpr std::string_view modes[] = {"R",  "RR", "W",  "WR", "M",  "MR",
                                                 "MW", "SR", "SW", "SM", "ER", "EW"};
    return std::find(std::begin(modes), std::end(modes), m) != std::end(modes);
}

std::string parse_mdisk_statement(const std::vector<Token>& t, const proto::Userid& owner,
                                  Minidisk& disk, bool& filemode_given) {
    static constexpr const char* missing[] = {
        "", "MDISK: missing virtual device number (1-4 hex digits)",
        "MDISK: missing host path or device type",
        "MDISK: missing mode (RR read-only, MR read-write)"};
    if (t.size() < 4)
        return missing[t.size()];
    disk.vdev = canonical_vdev(t[1].text);
    if (disk.vdev.empty())
        return "MDISK: virtual device must be 1-4 hex digits, got " + quoted(t[1].text);
    const std::string_view second = t[2].text;
    std::size_t mode_at = 3;
    if (second.front() == '/' || second.front() == '$') {
        if (auto problem = check_host_path(second); !problem.empty())
            return problem;
        disk.host_path = std::string(second);
    } else {
        if (auto problem = check_geometry(t); !problem.empty())
            return problem;
        disk.host_path =
            std::string(state_dir_prefix) + "disks/" + std::string(owner.str()) + "/" + disk.vdev;
        disk.devtype = upper(t[2].text);
        disk.cylinders =
            static_cast<std::uint32_t>(parse_number(t[4].text, 1, 0xFFFFFFFF).value_or(0));
        disk.volser = upper(t[5].text);
        mode_at = 6;
    }
    std::string mode = upper(t[mode_at].text);
    if (mode == "RW") // accepted since the first releases: plain-English W
        mode = "W";
    if (!is_link_mode(mode) || mode.front() == 'S' || mode.front() == 'E')
        return "MDISK: mode must be R or RR (read-only) or W, WR, M, MR, MW (read-write), got " +
               quoted(t[mode_at].text);
    disk.mode = mode;
    disk.read_write = mode.front() == 'W' || mode.front() == 'M';
    std::size_t i = mode_at + 1;
    filemode_given = false;
    if (i < t.size() && t[i].text.size() == 1) {
        const char fm = upper(t[i].text)[0];
        if (fm < 'A' || fm > 'Z')
            return "MDISK: filemode must be a letter A-Z, got " + quoted(t[i].text);
        disk.filemode = fm;
        filemode_given = true;
        ++i;
    }
    std::optional<std::string>* passwords[] = {&disk.read_password, &disk.write_password,
                                               &disk.multi_password};
    for (auto* password : passwords) {
        if (i == t.size())
            break;
        if (!is_password(t[i].text))
            return "MDISK: password must be 1-8 printable characters, got " + quoted(t[i].text);
        *password = upper(t[i++].text);
    }
    if (i < t.size())
        return "MDISK: unexpected operand " + quoted(t[i].text) +
               " (MDISK vdev hostpath mode [filemode] [readpw [writepw [multpw]]])";
    return "";
}

std::string parse_link_statement(const std::vector<Token>& t, DirectoryLink& link) {
    if (t.size() < 3)
        return t.size() < 2 ? "LINK: missing userid (LINK userid vdev1 [vdev2 [mode]])"
                            : "LINK: missing virtual device number (1-4 hex digits)";
    if (t[1].text == "*") {
        link.owner.assign(1, '*'); // = "*" draws g++ 12's false -Wrestrict at -O3 (GCC bug 105651)
    } else if (auto id = proto::Userid::parse(t[1].text)) {
        link.owner = std::string(id->str());
    } else {
        return "LINK: invalid userid " + quoted(t[1].text) + ": " + userid_problem(t[1].text);
    }
    link.owner_vdev = canonical_vdev(t[2].text);
    if (link.owner_vdev.empty())
        return "LINK: virtual device must be 1-4 hex digits, got " + quoted(t[2].text);
    link.vdev = link.owner_vdev;
    if (t.size() > 3) {
        link.vdev = canonical_vdev(t[3].text);
        if (link.vdev.empty())
            return "LINK: virtual device must be 1-4 hex digits, got " + quoted(t[3].text);
    }
    if (t.size() > 4) {
        link.mode = upper(t[4].text);
        if (!is_link_mode(link.mode))
            return "LINK: mode must be one of R RR W WR M MR MW SR SW SM ER EW, got " +
                   quoted(t[4].text);
    }
    if (t.size() > 5) {
        const std::string fm = upper(t[5].text);
        if (fm.size() != 1 || fm[0] < 'A' || fm[0] > 'Z')
            return "LINK: filemode must be a letter A-Z, got " + quoted(t[5].text);
        link.filemode = fm[0];
    }
    if (t.size() > 6)
        return "LINK: unexpected operand " + quoted(t[6].text) +
               " (LINK userid vdev1 [vdev2 [mode [filemode]]])";
    return "";
}

} // namespace cpd::daemon
