#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Enforces the dependency arrows proto <- libipc <- {guest, cpd, cpd/cli} on
# #include lines and on CMake target_link_libraries lines, and inside the
# daemon that its bottom rooms (cpd/src/config, service, isolation, spawner) never
# include from the rooms above them nor link cpd_core. Usage:
#   check-layering.sh <repo-root>    check a tree; exit 1 and list violations
#   check-layering.sh --self-test    prove each rule fires on a planted violation
set -euo pipefail

violations=0

report() {
    echo "layering: $1: $2" >&2
    violations=$((violations + 1))
}

# is_std_header NAME: a C++ standard library header (<cstdint>, <span>, ...).
is_std_header() {
    [[ $1 =~ ^[a-z_0-9]+$ ]]
}

# is_local FILE NAME: NAME is a private header beside FILE (no path parts).
is_local() {
    [[ $2 != */* && -f "$(dirname "$1")/$2" ]]
}

# private_root FILE: the nearest src/ folder above FILE, a module's private
# include root (guest/programs/cms/src includes "commands/x.hpp" from any of
# its subfolders); empty if FILE is under none.
private_root() {
    local dir
    dir=$(dirname "$1")
    while [[ $dir == "$root"/* ]]; do
        [[ ${dir##*/} == src ]] && echo "$dir" && return 0
        dir=$(dirname "$dir")
    done
    return 0
}

# index_headers: maps every public header path ("cpd/x/y.hpp") to its layer.
declare -A header_layer=()
index_headers() {
    header_layer=()
    local module dir file rel
    for module in proto:proto ipc:libipc guest:guest daemon:cpd; do
        dir="$root/${module#*:}"
        [[ -d $dir ]] || continue
        while IFS= read -r -d '' file; do
            rel=${file#*/include/}
            [[ $file == "$root/cpd/cli/"* ]] && header_layer[$rel]=cli && continue
            header_layer[$rel]=${module%%:*}
        done < <(find "$dir" -path '*/include/cpd/*' -type f -print0)
    done
}

# layer_of PATH: the layer a "cpd/..." include belongs to, by name, else by location.
layer_of() {
    case $1 in
    cpd/proto/*) echo proto ;;
    cpd/ipc/*) echo ipc ;;
    cpd/guest/*) echo guest ;;
    cpd/daemon/*) echo daemon ;;
    cpd/cli/*) echo cli ;;
    *) echo "${header_layer[$1]:-unknown}" ;;
    esac
}

# check_include MODULE FILE DELIM PATH: applies MODULE's rule to one include.
check_include() {
    local module=$1 file=$2 delim=$3 path=$4
    local where="${file#"$root"/}: #include ${delim}${path}"
    case $module in
    proto)
        if [[ $delim == '<' ]]; then
            is_std_header "$path" || report "$where" "proto may include only C++ standard headers (no boost, no syscall headers)"
        elif [[ $path != cpd/proto/* ]] && ! is_local "$file" "$path"; then
            report "$where" "proto may include only cpd/proto headers"
        fi
        ;;
    ipc)
        if [[ $path == cpd/* ]]; then
            [[ $path == cpd/proto/* || $path == cpd/ipc/* ]] || report "$where" "libipc may include only cpd/proto and cpd/ipc"
        elif [[ $delim == '"' ]] && ! is_local "$file" "$path"; then
            report "$where" "libipc may include only its own private headers"
        fi
        ;;
    guest | cli | daemon)
        local allowed='^(proto|ipc)$' layer
        [[ $module == guest ]] && allowed='^(proto|ipc|guest)$'
        [[ $module == cli ]] && allowed='^(proto|ipc|cli)$'
        [[ $module == daemon ]] && allowed='^(proto|ipc|daemon)$'
        if [[ $path == cpd/* ]]; then
            layer=$(layer_of "$path")
            [[ $layer == unknown || $layer =~ $allowed ]] ||
                report "$where" "$module may not include a $layer header"
        elif [[ $delim == '"' && $module != daemon ]]; then
            local resolved
            resolved=$(realpath -m "$(dirname "$file")/$path")
            local own
            own=$(private_root "$file")
            [[ ! -e $resolved && -n $own && -e $own/$path ]] && resolved=$(realpath -m "$own/$path")
            if [[ $resolved == "$root/cpd/src/"* ]] ||
                { [[ ! -e $resolved ]] && [[ -e "$root/cpd/src/$path" ]]; }; then
                report "$where" "$module may not include cpd_core headers (cpd/src)"
            fi
        fi
        ;;
    esac
}

# Inside cpd/src, the rooms at the bottom and the rooms each may include from.
declare -A room_may_use=(
    [config]='config'
    [service]='service'
    [isolation]='isolation config service'
    [spawner]='spawner isolation config service'
)

# check_room_include FILE PATH: FILE is in cpd/src; a quoted include with a
# room prefix ("routing/router.hpp") must name a room FILE's room may use.
check_room_include() {
    local file=$1 path=$2 rel room target
    [[ $file == "$root"/cpd/src/* ]] || return 0
    rel=${file#"$root"/cpd/src/}
    [[ $rel == */* ]] || return 0
    room=${rel%%/*}
    [[ -n ${room_may_use[$room]:-} && $path == */* && $path != cpd/* ]] || return 0
    target=${path%%/*}
    [[ " ${room_may_use[$room]} " == *" $target "* ]] ||
        report "${file#"$root"/}: #include \"$path\"" "cpd/src/$room may not include from $target/ (it may use: ${room_may_use[$room]})"
}

# check_module MODULE DIR [EXCLUDE]: checks every source file under DIR.
check_module() {
    local module=$1 dir=$2 exclude=${3:-}
    [[ -d $dir ]] || return 0
    local file line delim path
    while IFS= read -r -d '' file; do
        [[ -n $exclude && $file == "$exclude"/* ]] && continue
        while IFS= read -r line; do
            if [[ $line =~ ^[[:space:]]*#[[:space:]]*include[[:space:]]*([\<\"])([^\>\"]+)[\>\"] ]]; then
                delim=${BASH_REMATCH[1]}
                path=${BASH_REMATCH[2]}
                check_include "$module" "$file" "$delim" "$path"
                [[ $module == daemon && $delim == '"' ]] && check_room_include "$file" "$path"
            fi
        done <"$file"
    done < <(find "$dir" -type f \( -name '*.hpp' -o -name '*.cpp' -o -name '*.h' -o -name '*.cc' \) -print0)
}

# check_links MODULE DIR ALLOWED-REGEX [EXCLUDE]: every cpd_* target and Boost
# target named in DIR's target_link_libraries must match ALLOWED-REGEX.
check_links() {
    local module=$1 dir=$2 allowed=$3 exclude=${4:-}
    [[ -d $dir ]] || return 0
    local file call token
    while IFS= read -r -d '' file; do
        [[ -n $exclude && $file == "$exclude"/* ]] && continue
        while IFS= read -r call; do
            for token in $call; do
                token=${token//[()]/}
                if [[ $token =~ ^(cpd|cpd_[a-z_]+|Boost::[a-z_]+)$ && ! $token =~ $allowed ]]; then
                    report "${file#"$root"/}" "$module links $token, which is not below it"
                fi
            done
        done < <(tr '\n' ' ' <"$file" | grep -o 'target_link_libraries([^)]*)' || true)
    done < <(find "$dir" -name CMakeLists.txt -print0)
}

# check_target_links FILE TARGET ALLOWED-REGEX: what TARGET links in FILE.
check_target_links() {
    local file=$1 target=$2 allowed=$3 call token
    [[ -f $file ]] || return 0
    while IFS= read -r call; do
        for token in $call; do
            token=${token//[()]/}
            if [[ $token =~ ^(cpd|cpd_[a-z_]+|Boost::[a-z_]+)$ && $token != "$target" && ! $token =~ $allowed ]]; then
                report "${file#"$root"/}" "$target links $token, which is not below it"
            fi
        done
    done < <(tr '\n' ' ' <"$file" | grep -o "target_link_libraries($target [^)]*)" || true)
}

# check_tree ROOT: all rules; returns non-zero if any was broken.
check_tree() {
    root=$(realpath "$1")
    violations=0
    index_headers
    check_module proto "$root/proto"
    check_module ipc "$root/libipc"
    check_module guest "$root/guest"
    check_module cli "$root/cpd/cli"
    check_module daemon "$root/cpd" "$root/cpd/cli"
    check_links proto "$root/proto" '^$'
    check_links libipc "$root/libipc" '^(cpd_proto|Boost::headers)$'
    check_links guest "$root/guest" '^(cpd_proto|cpd_ipc|cpd_guest|Boost::[a-z_]+)$'
    check_links cli "$root/cpd/cli" '^(cpd_proto|cpd_ipc|cpd_cli_common|Boost::[a-z_]+)$'
    check_target_links "$root/cpd/CMakeLists.txt" cpd_config '^(cpd_proto|cpd_socket_path|Boost::[a-z_]+)$'
    check_target_links "$root/cpd/CMakeLists.txt" cpd_service '^(cpd_proto|cpd_ipc|cpd_socket_path|Boost::[a-z_]+)$'
    if ((violations > 0)); then
        echo "layering: $violations violation(s) in $root" >&2
        return 1
    fi
    echo "layering: $root: ok"
}

# self_test: a clean tree passes; each planted violation alone fails.
self_test() {
    local failures=0
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    plant() { # plant FILE CONTENT: writes CONTENT to $tmp/tree/FILE
        mkdir -p "$(dirname "$tmp/tree/$1")"
        printf '%s\n' "$2" >"$tmp/tree/$1"
    }
    clean_tree() {
        rm -rf "$tmp/tree"
        plant proto/src/wire.hpp '#include <cstdint>'
        plant proto/src/a.cpp $'#include "cpd/proto/a.hpp"\n#include "wire.hpp"\n#include <span>'
        plant proto/CMakeLists.txt 'target_compile_options(cpd_proto PRIVATE -fno-exceptions)'
        plant libipc/src/r.cpp $'#include <sys/mman.h>\n#include <boost/interprocess/mapped_region.hpp>\n#include "cpd/ipc/ring.hpp"\n#include "cpd/proto/a.hpp"'
        plant libipc/CMakeLists.txt $'target_link_libraries(cpd_ipc PUBLIC cpd_proto\n PRIVATE Boost::headers)'
        plant guest/src/g.cpp $'#include "cpd/guest/run.hpp"\n#include "cpd/ipc/ring.hpp"'
        plant guest/CMakeLists.txt 'target_link_libraries(cpd_guest PUBLIC cpd_ipc cpd_proto)'
        plant guest/programs/cms/include/cpd/cms/fs.hpp '#include "cpd/guest/context.hpp"'
        plant guest/programs/cms/src/fs.cpp '#include "cpd/cms/fs.hpp"'
        # A private header under the program's own src/, named like one in cpd/src.
        plant guest/programs/cms/src/commands/table.hpp '#include <string>'
        plant guest/programs/cms/src/console/run.cpp '#include "commands/table.hpp"'
        plant cpd/src/commands/table.hpp '#include <string>'
        plant cpd/src/routing/router.hpp '#include "cpd/ipc/ring.hpp"'
        plant cpd/src/routing/router.cpp $'#include "routing/router.hpp"\n#include "config/options.hpp"\n#include <boost/asio.hpp>'
        plant cpd/src/config/options.cpp $'#include "config/options.hpp"\n#include "socket_path.hpp"'
        plant cpd/src/isolation/sandbox.cpp $'#include "isolation/sandbox.hpp"\n#include "config/directory/directory.hpp"'
        plant cpd/CMakeLists.txt $'target_link_libraries(cpd_config PUBLIC cpd_proto Boost::program_options)\ntarget_link_libraries(cpd_core PUBLIC cpd_config cpd_service)'
        plant cpd/cli/client_common.hpp '#include <string>'
        plant cpd/cli/vmsend.cpp $'#include "client_common.hpp"\n#include "cpd/proto/a.hpp"'
        plant cpd/cli/CMakeLists.txt 'target_link_libraries(vmsend PRIVATE cpd_ipc cpd_proto)'
    }
    expect() { # expect pass|fail DESCRIPTION
        local got=pass
        check_tree "$tmp/tree" >/dev/null 2>&1 || got=fail
        if [[ $got != "$1" ]]; then
            echo "self-test: $2: expected $1, got $got" >&2
            failures=$((failures + 1))
        fi
    }
    clean_tree
    expect pass "clean tree"
    local -a cases=(
        'proto/src/b.cpp|#include <boost/asio.hpp>'
        'proto/src/b.cpp|#include <unistd.h>'
        'proto/src/b.cpp|#include <sys/mman.h>'
        'proto/include/cpd/proto/b.hpp|#include "cpd/ipc/ring.hpp"'
        'proto/src/b.cpp|#include "missing.hpp"'
        'libipc/src/b.cpp|#include "cpd/guest/handler.hpp"'
        'libipc/src/b.cpp|  #  include "cpd/daemon/router.hpp"'
        'guest/src/b.cpp|#include "cpd/daemon/router.hpp"'
        'guest/src/b.cpp|#include "routing/router.hpp"'
        'guest/programs/echo/b.cpp|#include "../../../cpd/src/routing/router.hpp"'
        'cpd/cli/b.cpp|#include "../src/routing/router.hpp"'
        'cpd/cli/b.cpp|#include "routing/router.hpp"'
        'cpd/cli/b.cpp|#include "cpd/guest/run.hpp"'
        'cpd/src/b.cpp|#include "cpd/guest/run.hpp"'
        'cpd/cli/b.cpp|#include "cpd/cms/fs.hpp"'
        'libipc/src/b.cpp|#include "cpd/cms/fs.hpp"'
        'proto/CMakeLists.txt|target_link_libraries(cpd_proto PRIVATE Boost::headers)'
        'libipc/CMakeLists.txt|target_link_libraries(cpd_ipc PUBLIC cpd_proto cpd_guest)'
        'guest/CMakeLists.txt|target_link_libraries(cpd_guest PUBLIC\n  cpd_core)'
        'cpd/cli/CMakeLists.txt|target_link_libraries(vmsend PRIVATE cpd_core)'
        'cpd/src/config/b.cpp|#include "routing/router.hpp"'
        'cpd/src/config/directory/b.cpp|#include "guests/guest.hpp"'
        'cpd/src/service/b.cpp|#include "config/options.hpp"'
        'cpd/src/isolation/b.cpp|#include "control/commands/query.hpp"'
        'cpd/CMakeLists.txt|target_link_libraries(cpd_config PUBLIC\n  cpd_proto cpd_core)'
        'cpd/CMakeLists.txt|target_link_libraries(cpd_service PUBLIC cpd_ipc cpd_iucv)'
    )
    local c
    for c in "${cases[@]}"; do
        clean_tree
        plant "${c%%|*}" "$(printf '%b' "${c#*|}")"
        expect fail "${c%%|*}: ${c#*|}"
    done
    if ((failures > 0)); then
        echo "self-test: $failures failure(s)" >&2
        return 1
    fi
    echo "self-test: ok (${#cases[@]} planted violations caught, clean tree passes)"
}

if [[ ${1:-} == --self-test ]]; then
    self_test
elif [[ $# -eq 1 && -d $1 ]]; then
    check_tree "$1"
else
    echo "usage: $0 <repo-root> | --self-test" >&2
    exit 64
fi
