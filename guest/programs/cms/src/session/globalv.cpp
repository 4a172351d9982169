// SPDX-License-Identifier: MIT
// GLOBALV groups, variables and the LASTING GLOBALV file format: one variable
// per line, "GROUP NAME value", the value kept exactly (it may hold blanks
// or be empty). Names are upper-cased; values never are.
#include "cpd/cms/globalv.hpp"

#include "cpd/cms/filespec.hpp"

namespace cpd::cms {

bool GlobalvStore::is_lasting(std::string_view group, const Var& var) noexcept {
    return var.lasting || group == lasting_group;
}

GlobalvStore::GlobalvStore() : selected_(lasting_group) {
    groups_[selected_];
}

void GlobalvStore::select(std::string_view group) {
    selected_ = to_upper(group);
    groups_[selected_];
}

// Sets a variable; counts a change only if the lasting file's content changes.
void GlobalvStore::set(std::string_view group, std::string_view name, std::string value,
                       bool lasting) {
    const std::string g = to_upper(group);
    auto [it, created] = groups_[g].try_emplace(to_upper(name));
    Var& v = it->second;
    const bool was_in_file = !created && is_lasting(g, v);
    const bool value_changed = created || v.value != value;
    v.value = std::move(value);
    v.lasting = v.lasting || lasting;
    if (is_lasting(g, v) && (!was_in_file || value_changed)) {
        ++lasting_changes_;
    }
}

std::optional<std::string> GlobalvStore::get(std::string_view group, std::string_view name) const {
    const auto g = groups_.find(to_upper(group));
    if (g == groups_.end()) {
        return std::nullopt;
    }
    const auto v = g->second.find(to_upper(name));
    if (v == g->second.end()) {
        return std::nullopt;
    }
    return v->second.value;
}

bool GlobalvStore::erase(std::string_view group, std::string_view name) {
    const auto g = groups_.find(to_upper(group));
    if (g == groups_.end()) {
        return false;
    }
    const auto v = g->second.find(to_upper(name));
    if (v == g->second.end()) {
        return false;
    }
    if (is_lasting(g->first, v->second)) {
        ++lasting_changes_;
    }
    g->second.erase(v);
    return true;
}

void GlobalvStore::purge(std::string_view group) {
    const auto g = groups_.find(to_upper(group));
    if (g == groups_.end()) {
        return;
    }
    for (const auto& [name, var] : g->second) {
        if (is_lasting(g->first, var)) {
            ++lasting_changes_; // one change for the whole purge is enough
            break;
        }
    }
    g->second.clear();
}

std::vector<std::pair<std::string, std::string>> GlobalvStore::list(std::string_view group) const {
    std::vector<std::pair<std::string, std::string>> out;
    const auto g = groups_.find(to_upper(group));
    if (g != groups_.end()) {
        for (const auto& [name, var] : g->second) {
            out.emplace_back(name, var.value);
        }
    }
    return out;
}

std::string GlobalvStore::serialize_lasting() const {
    std::string out;
    for (const auto& [group, vars] : groups_) {
        for (const auto& [name, var] : vars) {
            if (is_lasting(group, var)) {
                out += group + ' ' + name + ' ' + var.value + '\n';
            }
        }
    }
    return out;
}

std::size_t GlobalvStore::load_lasting(std::string_view content) {
    std::size_t skipped = 0;
    while (!content.empty()) {
        const auto eol = content.find('\n');
        std::string_view line = content.substr(0, eol);
        content = eol == std::string_view::npos ? std::string_view{} : content.substr(eol + 1);
        if (!line.empty() && line.back() == '\r') {
            line.remove_suffix(1);
        }
        const auto s1 = line.find(' ');
        const auto s2 = s1 == std::string_view::npos ? s1 : line.find(' ', s1 + 1);
        if (line.empty() || s1 == 0 || s2 == std::string_view::npos || s2 == s1 + 1) {
            skipped += line.empty() ? 0 : 1;
            continue;
        }
        set(line.substr(0, s1), line.substr(s1 + 1, s2 - s1 - 1), std::string(line.substr(s2 + 1)),
            true);
    }
    return skipped;
}

} // namespace cpd::cms
