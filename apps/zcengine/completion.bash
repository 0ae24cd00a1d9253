# bash completion for zcengine (installed as share/bash-completion/completions/zcengine).
# The option list is tests/build/test_completion.py's: it must equal zcengine --help's.
_zcengine()
{
    local cur prev words cword
    _init_completion || return
    local opts='-h --help --version --mode --modes --kind --sizes --count --duration --time-limit --repeat --warmup --no-verify --reuse --layout --window --sink --json --format -o --output -q --quiet --host-netns --load-modules'
    local modes='page packed sendto sendmmsg udp-splice udp-gso-splice msg-zerocopy tx-ring io-uring-send io-uring-send-zc xdp-copy'
    case $prev in
        --mode)
            COMPREPLY=($(compgen -W "$modes" -- "$cur"))
            return ;;
        --modes)
            local head= item=$cur
            [[ $cur == *,* ]] && head=${cur%,*}, item=${cur##*,}
            COMPREPLY=($(compgen -P "$head" -W "$modes all" -- "$item"))
            compopt -o nospace
            return ;;
        --kind)
            COMPREPLY=($(compgen -W 'raw4_hdrincl raw4 udp4 packet_raw' -- "$cur"))
            return ;;
        --reuse)
            COMPREPLY=($(compgen -W 'safe eager' -- "$cur"))
            return ;;
        --layout)
            COMPREPLY=($(compgen -W 'no-straddle dense auto' -- "$cur"))
            return ;;
        --sink)
            COMPREPLY=($(compgen -W 'loopback egress' -- "$cur"))
            return ;;
        --format)
            COMPREPLY=($(compgen -W 'text json markdown junit prometheus html' -- "$cur"))
            return ;;
        -o | --output)
            _filedir
            return ;;
        --sizes | --count | --duration | --time-limit | --repeat | --warmup | --window)
            return ;;
    esac
    COMPREPLY=($(compgen -W "$opts" -- "$cur"))
} &&
    complete -F _zcengine zcengine
