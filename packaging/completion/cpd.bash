# SPDX-License-Identifier: MIT
# Bash completion for cpd, vmsend, vmcp, vmur and cmsconsole: options, and the words
# cpd itself says work, so the completion cannot offer what cpd refuses:
#   vmcp CMD          QUERY COMMANDS (the CP commands the caller may use)
#   vmcp QUERY OP     QUERY COMMANDS QUERY (the operands cpd answers)
#   cmsconsole ID     QUERY DIRECTORY (the consoles the caller may attach to,
#                     logged on or not; for an ordinary user only its own)
#   vmsend ID, SMSG/FORCE ID   QUERY NAMES (the logged-on guests)
# Installed once per command name; needs nothing from bash-completion itself.

# Prints cpd's answer to a CP command, asking through the socket in the words.
_cpd_ask() {
    local sock="" i
    for ((i = 1; i < ${#COMP_WORDS[@]} - 1; i++)); do
        case ${COMP_WORDS[i]} in
            -s | --socket) sock=${COMP_WORDS[i + 1]} ;;
            --socket=*) sock=${COMP_WORDS[i]#--socket=} ;;
        esac
    done
    command -v vmcp >/dev/null 2>&1 || return 0
    timeout 2 vmcp ${sock:+--socket "$sock"} "$@" 2>/dev/null
}

# Prints the userids of a QUERY NAMES-style answer ("ECHO     - DSC , MAINT    - OFF").
_cpd_ids() {
    _cpd_ask QUERY "$1" | tr ',' '\n' | awk 'NF && $1 ~ /^[A-Za-z0-9@#$_-]+$/ { print $1 }'
}

# Logged-on guests.
_cpd_userids() { _cpd_ids NAMES; }

# The QUERY operands cpd answers ("QUERY    VIRTUAL   DASD|vdev" -> VIRTUAL).
_cpd_query_operands() {
    _cpd_ask QUERY COMMANDS QUERY | awk '$1 == "QUERY" && $2 ~ /^[A-Z]+$/ { print $2 }'
}

# What may follow QUERY operand $1: its literal words ("DASD|vdev" -> DASD),
# or the logged-on userids where it takes a userid.
_cpd_query_next() {
    local rest
    rest=$(_cpd_ask QUERY COMMANDS QUERY | awk -v op="$1" '$1 == "QUERY" && $2 == op {
        $1 = ""; $2 = ""; print }')
    if [[ $rest == *userid* ]]; then
        _cpd_userids
    fi
    tr ' |[]' '\n\n\n\n' <<<"$rest" | awk '/^[A-Z]+$/'
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
        vmsend) opts="--help --version --socket --wait --show-sender --msg" values="-s --socket -w --wait" ;;
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
                -d | --devno)
                    case ${COMP_WORDS[1]} in
                        re*) COMPREPLY=($(compgen -W "000C" -- "${cur^^}")) ;;
                        pr | pri | prin | print) COMPREPLY=($(compgen -W "000E" -- "${cur^^}")) ;;
                        *) COMPREPLY=($(compgen -W "000D" -- "${cur^^}")) ;;
                    esac
                    return ;;
                -b | --blocked) COMPREPLY=($(compgen -W "0x25,0x40 0x0a,0x40 0x0a,0x00" -- "$cur")); return ;;
                -C | --class | -N | --name | --form | --dest | --dist) return ;;
            esac
            case ${COMP_WORDS[1]} in
                li | lis | list) opts="-q --queue" ;;
                re | rec | rece | recei | receiv | receive)
                    opts="-f --force -H --hold -t --text -b --blocked -O --stdout -d --devno" ;;
                pun | punc | punch | pr | pri | prin | print)
                    opts="-r --rdr -u --user -N --name -C --class -t --text -b --blocked -f --force
                          --form --dest --dist -d --devno -n --node" ;;
                pur | purg | purge)
                    opts="-f --force -q --queue -C --class --form --dest" ;;
                or | ord | orde | order) opts="-q --queue" ;;
            esac
            if [[ $cur == -* ]]; then
                COMPREPLY=($(compgen -W "$opts --socket" -- "$cur"))
            else
                COMPREPLY=($(compgen -f -- "$cur"))
            fi
            return ;;
        cmsconsole)
            opts="--help --version --socket --observe --force --escape --no-logon --replay"
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
        # vmcp CMD [args]: the commands and QUERY operands cpd lists, then userids.
        local verb op
        if [[ $first == 0 ]]; then
            COMPREPLY=($(compgen -W "$(_cpd_ask QUERY COMMANDS)" -- "${cur^^}"))
            return
        fi
        verb=${COMP_WORDS[first]^^}
        if ((COMP_CWORD == first + 1)); then
            case $verb in
                Q | QU | QUE | QUER | QUERY)
                    COMPREPLY=($(compgen -W "$(_cpd_query_operands)" -- "${cur^^}")) ;;
                SM | SMS | SMSG | FORCE)
                    COMPREPLY=($(compgen -W "$(_cpd_userids)" -- "${cur^^}")) ;;
                XAUTO | XAUTOL | XAUTOLO | XAUTOLOG | AUTO | AUTOL | AUTOLO | AUTOLOG)
                    COMPREPLY=($(compgen -W "$(_cpd_ids DIRECTORY)" -- "${cur^^}")) ;;
            esac
        elif ((COMP_CWORD == first + 2)) && [[ QUERY == "$verb"* ]]; then
            op=$(_cpd_query_operands | while read -r w; do
                [[ $w == "${COMP_WORDS[first + 1]^^}"* ]] && echo "$w"
            done)
            # Only an unambiguous operand has a next word to offer.
            [[ -n $op && $op != *$'\n'* ]] &&
                COMPREPLY=($(compgen -W "$(_cpd_query_next "$op")" -- "${cur^^}"))
        fi
        return
    fi
    # cmsconsole USERID: every console the caller may attach to (cmsconsole
    # logs it on); vmsend USERID text: the logged-on guests.
    if [[ $first == 0 ]]; then
        if [[ $cmd == cmsconsole ]]; then
            COMPREPLY=($(compgen -W "$(_cpd_ids DIRECTORY)" -- "${cur^^}"))
        else
            COMPREPLY=($(compgen -W "$(_cpd_userids)" -- "${cur^^}"))
        fi
    fi
}

complete -F _cpd_complete cpd vmsend vmcp vmur cmsconsole
