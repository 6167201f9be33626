# Sourced by the scripts in scripts/ (POSIX sh). With DRY_RUN=1 nothing is changed: `run` prints each command
# ("+ command args") instead of running it, `capture PLACEHOLDER command…` prints the command and answers the
# placeholder instead of the command's output, `exists command…` answers "no" after printing the look-up, and
# `write FILE` prints what it would write to FILE.

dry_run() { [ "${DRY_RUN:-}" = 1 ]; }

show() {
  printf '+'
  for arg in "$@"; do
    case $arg in
      '' | *[[:space:]]* ) printf " '%s'" "$arg" ;;
      * ) printf ' %s' "$arg" ;;
    esac
  done
  printf '\n'
}

run() {
  if dry_run; then show "$@"; else "$@"; fi
}

capture() {
  placeholder=$1
  shift
  if dry_run; then show "$@" >&2; printf '%s\n' "$placeholder"; else "$@"; fi
}

# quietly command…: runs it without its output (a dry run still shows it).
quietly() {
  if dry_run; then show "$@"; else "$@" > /dev/null 2>&1; fi
}

# exists command…: whether a look-up command succeeds (output discarded); a dry run shows it and answers no, so the
# whole creation path is printed.
exists() {
  if dry_run; then show "$@"; return 1; fi
  "$@" > /dev/null 2>&1
}

write() {
  if dry_run; then
    echo "write $1:"
    sed 's/^/  | /'
  else
    mkdir -p "$(dirname "$1")"
    cat > "$1"
  fi
}

new_guid() {
  if command -v uuidgen > /dev/null 2>&1; then uuidgen | tr 'A-Z' 'a-z'
  elif [ -r /proc/sys/kernel/random/uuid ]; then cat /proc/sys/kernel/random/uuid
  else node -e 'console.log(require("crypto").randomUUID())'
  fi
}

need() {
  command -v "$1" > /dev/null 2>&1 || dry_run || { echo "$0 needs $1: $2" >&2; exit 1; }
}
