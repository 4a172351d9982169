// SPDX-License-Identifier: MIT
// GlobalvStore: the GLOBALV variables of a CMS session (§7.3): named groups
// of name -> value, a selected group (LASTING by default, always present),
// and the set of "lasting" variables that survive logoff because they are
// written to LASTING GLOBALV on the A-disk. Pure in-memory; the caller does I/O,
// told by a change count that only operations altering a lasting variable bump.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cpd::cms {

/// GLOBALV groups and variables.
class GlobalvStore {
  public:
    /// The default group, which always exists and whose variables are all lasting.
    static constexpr std::string_view lasting_group = "LASTING";

    GlobalvStore();

    /// The selected group's name.
    const std::string& selected() const noexcept { return selected_; }
    /// Selects `group` (upper-cased), creating it if needed.
    void select(std::string_view group);

    /// Sets `name` in `group`; `lasting` also marks it to survive logoff.
    void set(std::string_view group, std::string_view name, std::string value,
             bool lasting = false);
    /// The value of `name` in `group`, if set.
    std::optional<std::string> get(std::string_view group, std::string_view name) const;
    /// Removes `name` from `group`; false if it was not set.
    bool erase(std::string_view group, std::string_view name);
    /// Removes every variable of `group`.
    void purge(std::string_view group);
    /// (name, value) pairs of `group`, sorted by name; empty for an unknown group.
    std::vector<std::pair<std::string, std::string>> list(std::string_view group) const;

    /// The lasting variables as file content: one "GROUP NAME value" line each.
    std::string serialize_lasting() const;
    /// Adds the variables of serialize_lasting() text, marked lasting; returns
    /// the number of lines skipped as malformed.
    std::size_t load_lasting(std::string_view content);

    /// How many times a lasting variable was added, changed or removed so far;
    /// setting a variable to the value it already has is not a change.
    std::uint64_t lasting_changes() const noexcept { return lasting_changes_; }
    /// True if lasting variables changed since the last mark_lasting_saved().
    bool is_lasting_dirty() const noexcept { return lasting_changes_ != saved_changes_; }
    /// Records that the lasting variables as they are now are on disk.
    void mark_lasting_saved() noexcept { saved_changes_ = lasting_changes_; }

  private:
    struct Var {
        std::string value;
        bool lasting = false;
    };
    /// True if `var` of `group` belongs in the lasting file.
    static bool is_lasting(std::string_view group, const Var& var) noexcept;

    std::map<std::string, std::map<std::string, Var>> groups_;
    std::string selected_;
    std::uint64_t lasting_changes_ = 0;
    std::uint64_t saved_changes_ = 0;
};

} // namespace cpd::cms
