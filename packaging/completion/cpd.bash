# SPDX-License-Identifier: MIT
# Bash completion for cpd, vmsend, vmcp, vmur and cmsconsole: options, and guest
# userids taken from `vmcp QUERY NAMES` ("ECHO     - DSC , MAINT    - DSC").
# Installed once per command name; needs nothing from bash-completion itself.

# Prints the logged-on userids, asking cpd through the socket in the words.
_cpd_userids() {
    local sock="" i
    for ((i = 1; i < ${#COMP_WORDS[@]} - 1; i++)); do
        case ${COMP_WORDS[i]} in
            -s | --socket) sock=${COMP_WORDS[i + 1]} ;;
            --socket=*) sock=${COMP_WORDS[i]#--socket=} ;;
        esac
    done
    command -v vmcp >/dev/null 2>&1 || return 0
    timeout 2 vmcp ${sock:+--socket "$sock"} QUERY NAMES 2>/dev/null |
        tr ',' '\n' | awk 'NF && $1 ~ /^[A-Za-z0-9@#$]+$/ { print $1 }'
}

# Position of the first operand (0 if none yet), skipping options and their values.
_cpd_first_operand() {
    local i takes_value="$1"
    for ((i = 1; i < COMP_CWORD; i++)); do
        case ${COMP_WORDS[i]} in
            --) echo $((i + 1)); return ;;
            -*=*) ;;
            -*) [[ " $takes_value " == *" ${COMP_WORDS[i]} "* ]] && ((i++)) ;;
            *) echo "$i"; return ;;
        esac
    done
    echo 0
}

_cpd_complete() {
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
    local cmd=${COMP_WORDS[0]##*/} opts values first
    COMPREPLY=()
    case $cmd in
        cpd)
            opts="--help --version --config --directory --autolog --state-dir --socket
                  --socket-mode --socket-group --guest-dir --log-level --grace-seconds
                  --console-replay-lines --console-log --ring-kib --latency-hold-ms --spool-mib"
            case $prev in
                -c | --config | --directory)
                    COMPREPLY=($(compgen -f -- "$cur")); return ;;
                --state-dir | --guest-dir)
                    COMPREPLY=($(compgen -d -- "$cur")); return ;;
                --socket)
                    COMPREPLY=($(compgen -f -- "$cur")); return ;;
                --log-level)
                    COMPREPLY=($(compgen -W "error warn info debug trace" -- "$cur")); return ;;
                --console-log)
                    COMPREPLY=($(compgen -W "yes no" -- "$cur")); return ;;
                --socket-group)
                    COMPREPLY=($(compgen -g -- "$cur")); return ;;
                --autolog | --socket-mode | --grace-seconds | --console-replay-lines | --ring-kib \
                    | --latency-hold-ms)
                    return ;;
            esac
            COMPREPLY=($(compgen -W "$opts" -- "$cur"))
            return ;;
        vmsend) opts="--help --version --socket --wait --show-sender" values="-s --socket -w --wait" ;;
        vmcp) opts="--help --version --socket --keepcase" values="-s --socket" ;;
        vmur)
            # vmur COMMAND [options]: the command, its options, -q queues, -u userids, files.
            if ((COMP_CWORD == 1)); then
                COMPREPLY=($(compgen -W "list receive punch print purge order --help --version" -- "$cur"))
                return
            fi
            case $prev in
                -q | --queue) COMPREPLY=($(compgen -W "rdr pun prt" -- "$cur")); return ;;
                -u | --user) COMPREPLY=($(compgen -W "$(_cpd_userids)" -- "${cur^^}")); return ;;
                -s | --socket) COMPREPLY=($(compgen -f -- "$cur")); return ;;
                -C | --class | -N | --name) return ;;
            esac
            case ${COMP_WORDS[1]} in
                li | lis | list) opts="-q --queue" ;;
                re | rec | rece | recei | receiv | receive) opts="-f --force -H --hold -t --text -O --stdout" ;;
                pun | punc | punch | pr | pri | prin | print)
                    opts="-r --rdr -u --user -N --name -C --class -t --text -f --force" ;;
                pur | purg | purge) opts="-f --force -q --queue -C --class" ;;
                or | ord | orde | order) opts="-q --queue" ;;
            esac
            if [[ $cur == -* ]]; then
                COMPREPLY=($(compgen -W "$opts --socket" -- "$cur"))
            else
                COMPREPLY=($(compgen -f -- "$cur"))
            fi
            return ;;
        cmsconsole)
            opts="--help --version --socket --observe --force --escape --no-logon"
            values="-s --socket -e --escape" ;;
        *) return ;;
    esac
    case $prev in
        -s | --socket) COMPREPLY=($(compgen -f -- "$cur")); return ;;
        -e | --escape) COMPREPLY=($(compgen -W "^] none" -- "$cur")); return ;;
        -w | --wait) return ;;
    esac
    first=$(_cpd_first_operand "$values")
    if [[ $first == 0 && $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
        return
    fi
    if [[ $cmd == vmcp ]]; then
        # vmcp CMD [args]: complete a few CP commands, then userids.
        if [[ $first == 0 ]]; then
            COMPREPLY=($(compgen -W "QUERY SMSG XAUTOLOG FORCE SHUTDOWN" -- "${cur^^}"))
        elif ((COMP_CWORD == first + 1)); then
            case ${COMP_WORDS[first]^^} in
                Q | QUERY) COMPREPLY=($(compgen -W "NAMES USER TIME" -- "${cur^^}")) ;;
                SMSG | XAUTOLOG | FORCE) COMPREPLY=($(compgen -W "$(_cpd_userids)" -- "${cur^^}")) ;;
            esac
        elif ((COMP_CWORD == first + 2)) && [[ ${COMP_WORDS[first + 1]^^} == USER ]]; then
            COMPREPLY=($(compgen -W "$(_cpd_userids)" -- "${cur^^}"))
        fi
        return
    fi
    # vmsend USERID text / cmsconsole USERID: the userid is the first operand.
    if [[ $first == 0 ]]; then
        COMPREPLY=($(compgen -W "$(_cpd_userids)" -- "${cur^^}"))
    fi
}

complete -F _cpd_complete cpd vmsend vmcp cmsconsole
