#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Every HCP/DMS message id that the documentation names (man pages, READMEs,
# docs/) must be one the code can print, so a page never promises a message
# the tools do not give. Usage:
#   check-message-ids.sh <repo-root>   check a tree; exit 1 and list each unknown id
#   check-message-ids.sh --self-test   prove that a planted unknown id is caught
set -euo pipefail

# The documents whose message ids are checked, relative to the root.
doc_files() {
    local root=$1
    find "$root/packaging/man" -maxdepth 1 -type f -name '*.[1-8]'
    find "$root/docs" -maxdepth 1 -type f -name '*.md'
    local f
    for f in README.md packaging/README.md packaging/sdk-example/README.md \
        guest/programs/cms/README.md; do
        [[ -f $root/$f ]] && echo "$root/$f"
    done
    return 0
}

# The program sources: every id the code can print is written in one of them.
source_files() {
    local root=$1 dir
    for dir in proto libipc guest cpd; do
        [[ -d $root/$dir ]] && find "$root/$dir" -type f \( -name '*.cpp' -o -name '*.hpp' \)
    done
    return 0
}

id_pattern='\b(HCP|DMS)([A-Z]{3}|xxx)?[0-9]{3,4}[EIWST]\b'

# known_ids ROOT: the ids the sources hold, one a line: literals ("HCPMSG045E"),
# CMS's dms("MOD", n, 'S', ...) calls (DMSMODnnnS), and dms(module, n, 'S', ...)
# with the module a variable (DMSxxxnnnS), plus "MOD:xyz" for each
# three-letter module literal the CMS sources pass to dms or fs_message.
known_ids() {
    local root=$1
    local -a files
    mapfile -t files < <(source_files "$root")
    ((${#files[@]} > 0)) || return 0
    grep -ohE "$id_pattern" "${files[@]}" || true
    grep -ohE "dms\(\"[A-Z]{3}\", *[0-9]+, *'[EIWST]'" "${files[@]}" |
        sed -E "s/dms\(\"([A-Z]{3})\", *([0-9]+), *'([EIWST])'/\1 \2 \3/" |
        while read -r module number severity; do
            printf 'DMS%s%03d%s\n' "$module" "$((10#$number))" "$severity"
        done
    grep -ohE "dms\([a-z_]+, *[0-9]+, *'[EIWST]'" "${files[@]}" |
        sed -E "s/dms\([a-z_]+, *([0-9]+), *'([EIWST])'/\1 \2/" |
        while read -r number severity; do
            printf 'DMSxxx%03d%s\n' "$((10#$number))" "$severity"
        done
    grep -ohE "(dms|fs_message|too_long)\(\"[A-Z]{3}\"" "${files[@]}" |
        sed -E 's/.*"([A-Z]{3})"/MOD:\1/'
}

# check ROOT: prints "file: id" for each documented id the code cannot print.
check() {
    local root=$1 known doc id generic unknown=0
    known=$(known_ids "$root" | sort -u)
    while IFS= read -r doc; do
        while IFS= read -r id; do
            grep -qxF "$id" <<<"$known" && continue
            # DMSxxx054E in a page: some module prints number 054, severity E.
            if [[ $id =~ ^DMSxxx([0-9]{3}[EIWST])$ ]] &&
                grep -qE "^DMS[A-Z]{3}${BASH_REMATCH[1]}$" <<<"$known"; then
                continue
            fi
            # DMSCPY037E from fs_message("CPY", ...): the generic number and the module.
            if [[ $id =~ ^DMS([A-Z]{3})([0-9]{3}[EIWST])$ ]]; then
                generic="DMSxxx${BASH_REMATCH[2]}"
                if grep -qxF "$generic" <<<"$known" &&
                    grep -qxF "MOD:${BASH_REMATCH[1]}" <<<"$known"; then
                    continue
                fi
            fi
            echo "message-ids: ${doc#"$root"/}: $id is named but no source prints it" >&2
            unknown=$((unknown + 1))
        done < <(grep -ohE "$id_pattern" "$doc" | sort -u)
    done < <(doc_files "$root")
    return $((unknown > 0))
}

self_test() {
    local t
    t=$(mktemp -d)
    trap 'rm -rf "$t"' RETURN
    mkdir -p "$t/packaging/man" "$t/docs" "$t/cpd/src" "$t/guest/programs/cms/src"
    cat >"$t/cpd/src/a.cpp" <<'CPP'
return "HCPMSG045E " + id + " not logged on";
CPP
    cat >"$t/guest/programs/cms/src/b.cpp" <<'CPP'
dms("ACP", 723, 'I', fm);
dms(module, 37, 'E', "Filemode " + fm);
fs_message("ERS", st, f.text(), letter);
CPP
    printf '.TP\nHCPMSG045E and DMSACP723I and DMSxxx037E and DMSERS037E\n' >"$t/packaging/man/x.1"
    check "$t" || { echo "message-ids: self-test: a correct tree was refused" >&2; return 1; }
    printf 'HCPLGA053E\n' >"$t/docs/y.md"
    if check "$t" 2>/dev/null; then
        echo "message-ids: self-test: an id no source prints was not caught" >&2
        return 1
    fi
    printf 'DMSCPY037E\n' >"$t/docs/y.md"
    if check "$t" 2>/dev/null; then
        echo "message-ids: self-test: a module no source uses was not caught" >&2
        return 1
    fi
    echo "message-ids: self-test passed"
}

if [[ ${1:-} == --self-test ]]; then
    self_test
else
    root=${1:?usage: check-message-ids.sh <repo-root> | --self-test}
    check "$root" && echo "message-ids: every documented message id is in the sources"
fi
