# bash completion for zcreport (installed as share/bash-completion/completions/zcreport).
# The commands and option lists are tests/build/test_completion.py's: each
# must equal zcreport --help's and zcreport COMMAND --help's.
_zcreport()
{
    local cur prev words cword
    _init_completion || return
    local -A opts=(
        [.]='-h --help --version --help-all'
        [validate]='-h --help --help-all'
        [render]='-h --help --help-all --format --require --strict -o --output --redact --redact-word --color'
        [matrix]='-h --help --help-all --label --format -o --output --redact --redact-word --color'
        [diff]='-h --help --help-all --format -o --output --redact --redact-word'
        [fleet]='-h --help --help-all --format --require --strict --threads -o --output --color'
    )
    local command=. i
    for ((i = 1; i < cword; i++)); do
        if [[ -v opts[${words[i]}] && ${words[i]} != . ]]; then
            command=${words[i]}
            break
        fi
    done
    case $prev in
        --format)
            case $command in
                render) COMPREPLY=($(compgen -W 'text markdown junit prometheus html json' -- "$cur")) ;;
                matrix) COMPREPLY=($(compgen -W 'text markdown json html' -- "$cur")) ;;
                diff) COMPREPLY=($(compgen -W 'text markdown json' -- "$cur")) ;;
                fleet) COMPREPLY=($(compgen -W 'text markdown json html' -- "$cur")) ;;
            esac
            return ;;
        --color)
            COMPREPLY=($(compgen -W 'auto always never' -- "$cur"))
            return ;;
        -o | --output)
            _filedir
            return ;;
        --require | --label | --redact-word | --threads)
            return ;;
    esac
    if [[ $command == . && $cur != -* ]]; then
        COMPREPLY=($(compgen -W 'validate render matrix diff fleet' -- "$cur"))
    elif [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "${opts[$command]}" -- "$cur"))
    elif [[ $command == fleet ]]; then
        _filedir # reports, or directories of them
    else
        _filedir json
    fi
} &&
    complete -F _zcreport zcreport
