#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Enforces the order of the rooms (subfolders) inside one module's src/: a
# file in a room may include private headers ("room/x.hpp") and public
# headers of its own room and of the rooms before it, never of those after.
# Usage:
#   check-rooms.sh <src-dir> <room>[:<public-header>,...] ...
#       rooms bottom first; each may name the public headers that belong to it
#   check-rooms.sh --self-test   prove that a planted upward include is caught
set -euo pipefail

violations=0
declare -A room_rank=()   # room name -> position, 0 = bottom
declare -A header_rank=() # public header path -> position of its room
declare -a room_names=()  # position -> room name

# parse_rooms SPEC...: fills room_rank and header_rank from the arguments.
parse_rooms() {
    room_rank=()
    header_rank=()
    room_names=()
    local rank=0 spec room header
    for spec in "$@"; do
        room=${spec%%:*}
        room_rank[$room]=$rank
        room_names[rank]=$room
        if [[ $spec == *:* ]]; then
            IFS=, read -r -a headers <<<"${spec#*:}"
            for header in "${headers[@]}"; do
                header_rank[$header]=$rank
            done
        fi
        rank=$((rank + 1))
    done
}

# rank_of_include PATH: the rank of the room PATH belongs to, or nothing.
rank_of_include() {
    if [[ -n ${header_rank[$1]:-} ]]; then
        echo "${header_rank[$1]}"
    elif [[ $1 == */* && -n ${room_rank[${1%%/*}]:-} ]]; then
        echo "${room_rank[${1%%/*}]}"
    fi
}

# check_rooms SRC SPEC...: checks every file in each room of SRC.
check_rooms() {
    local src=$1
    shift
    parse_rooms "$@"
    violations=0
    local room file line path rank
    for room in "${!room_rank[@]}"; do
        [[ -d $src/$room ]] || continue
        while IFS= read -r -d '' file; do
            while IFS= read -r line; do
                [[ $line =~ ^[[:space:]]*#[[:space:]]*include[[:space:]]*\"([^\"]+)\" ]] || continue
                path=${BASH_REMATCH[1]}
                rank=$(rank_of_include "$path")
                if [[ -n $rank ]] && ((rank > room_rank[$room])); then
                    echo "rooms: ${file#"$src"/}: #include \"$path\": $room may not use ${room_names[rank]}, which comes after it" >&2
                    violations=$((violations + 1))
                fi
            done <"$file"
        done < <(find "$src/$room" -type f \( -name '*.hpp' -o -name '*.cpp' \) -print0)
    done
    if ((violations > 0)); then
        echo "rooms: $violations violation(s) in $src" >&2
        return 1
    fi
    echo "rooms: $src: ok"
}

# self_test: a clean tree passes; an upward private or public include fails.
self_test() {
    local failures=0
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    local -a rooms=(low:cpd/m/low.hpp mid high:cpd/m/high.hpp)
    plant() { # plant FILE CONTENT
        mkdir -p "$(dirname "$tmp/$1")"
        printf '%s\n' "$2" >"$tmp/$1"
    }
    clean() {
        rm -rf "${tmp:?}"/*
        plant low/a.cpp $'#include "cpd/m/low.hpp"\n#include <string>'
        plant mid/b.cpp $'#include "low/a.hpp"\n#include "mid/b.hpp"\n#include "cpd/m/low.hpp"'
        plant high/c.cpp $'#include "mid/b.hpp"\n#include "cpd/m/high.hpp"\n#include "cpd/proto/x.hpp"'
    }
    expect() { # expect pass|fail DESCRIPTION
        local got=pass
        check_rooms "$tmp" "${rooms[@]}" >/dev/null 2>&1 || got=fail
        if [[ $got != "$1" ]]; then
            echo "self-test: $2: expected $1, got $got" >&2
            failures=$((failures + 1))
        fi
    }
    clean
    expect pass "clean tree"
    local c
    for c in 'low/d.cpp|#include "mid/b.hpp"' 'mid/d.hpp|  #  include "high/c.hpp"' \
        'mid/d.cpp|#include "cpd/m/high.hpp"'; do
        clean
        plant "${c%%|*}" "${c#*|}"
        expect fail "${c%%|*}: ${c#*|}"
    done
    if ((failures > 0)); then
        echo "self-test: $failures failure(s)" >&2
        return 1
    fi
    echo "self-test: ok (3 upward includes caught, clean tree passes)"
}

if [[ ${1:-} == --self-test ]]; then
    self_test
elif [[ $# -ge 2 && -d $1 ]]; then
    check_rooms "$@"
else
    echo "usage: $0 <src-dir> <room>[:<public-header>,...] ... | --self-test" >&2
    exit 64
fi
