# Argument checks shared by the ci/bench-* scripts (sourced): --help prints
# the script's header comment; a number that is not a whole number gets one
# line on stderr and exit 2, before anything is built or installed.

# bench_help SCRIPT ARG: prints SCRIPT's header and exits 0 when ARG asks for help.
bench_help() {
  case "${2:-}" in
    -h|--help) sed -n '2,/^set -euo/p' "$1" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
  esac
}

# bench_whole TOOL WHAT VALUE: VALUE must be a whole number from 1 up.
bench_whole() {
  case "$3" in
    ''|*[!0-9]*|0) echo "$1: $2 '$3' is not a whole number from 1 up (see $1 --help)" >&2; exit 2 ;;
  esac
}
