# bash completion for zcprobe (installed as share/bash-completion/completions/zcprobe).
# The option list is tests/build/test_completion.py's: it must equal zcprobe --help's.
_zcprobe()
{
    local cur prev words cword
    _init_completion || return
    local opts='-h --help --version --list --json --format -o --output -q --quiet --color --only --skip --require --timeout --jobs --host-netns --load-modules --xdp-device'
    case $prev in
        --format)
            COMPREPLY=($(compgen -W 'text json markdown junit prometheus html' -- "$cur"))
            return ;;
        --color)
            COMPREPLY=($(compgen -W 'auto always never' -- "$cur"))
            return ;;
        -o | --output)
            _filedir
            return ;;
        --only | --skip | --require)
            # Comma-separated probe ids: complete the item after the last comma.
            local head= item=$cur
            [[ $cur == *,* ]] && head=${cur%,*}, item=${cur##*,}
            local ids=$("${words[0]}" --list --json 2>/dev/null | sed -n 's/^ *"id": "\([^"]*\)".*/\1/p')
            COMPREPLY=($(compgen -P "$head" -W "$ids" -- "$item"))
            compopt -o nospace
            return ;;
        --timeout)
            COMPREPLY=($(compgen -W '500ms 2s 5s 10s' -- "$cur"))
            return ;;
        --jobs)
            COMPREPLY=($(compgen -W "1 $(( $(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1) * 4 ))" -- "$cur"))
            return ;;
        --xdp-device)
            COMPREPLY=($(compgen -W "$(ls /sys/class/net 2>/dev/null)" -- "$cur"))
            return ;;
    esac
    COMPREPLY=($(compgen -W "$opts" -- "$cur"))
} &&
    complete -F _zcprobe zcprobe
