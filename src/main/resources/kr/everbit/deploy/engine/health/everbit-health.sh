# shellcheck shell=sh
# everbit-deploy's VM side, health checks and the post-deploy report (HealthScripts calls these; loaded with
# everbit-session.sh, whose everbit_compose the report's functions use). everbit_http_get and everbit_tcp_connect
# need nothing else: they also run on a Jenkins agent, for requests "from here". Each of them is a subshell, so that
# its traps and its exit end with it.

# GET URL with curl, or wget where curl is missing (busybox images), within SECONDS: URL SECONDS. Prints the body,
# then everbit_http_status=CODE (empty or 000 without an answer), then, on failure, the client's last error line as
# everbit_http_error=... Stderr goes to a file so that it cannot interleave with the body.
everbit_http_get() (
  everbit_u=$1
  everbit_t=$2
  # A stopped step ends this shell with SIGTERM, on which sh runs no EXIT trap of its own. The traps come first: a
  # signal between the file's creation and a trap set after it would leave the file behind (an abort test saw one).
  everbit_e=
  trap 'rm -f "$everbit_e"' EXIT
  trap 'rm -f "$everbit_e"; exit 143' INT TERM HUP
  everbit_e=$(mktemp) || exit 1
  if command -v curl >/dev/null 2>&1; then
    curl -sS --connect-timeout "$everbit_t" --max-time "$everbit_t" -o - -w '\neverbit_http_status=%{http_code}\n' \
      "$everbit_u" 2>"$everbit_e"
  elif command -v wget >/dev/null 2>&1; then
    # Not wget -T: Debian's busybox 1.35 wget crashes with it.
    everbit_to=
    command -v timeout >/dev/null 2>&1 && everbit_to="timeout $everbit_t"
    $everbit_to wget -S -O - "$everbit_u" 2>"$everbit_e"
    printf '\neverbit_http_status=%s\n' "$(sed -n 's|^ *HTTP/[0-9.]* \([0-9][0-9][0-9]\).*|\1|p' "$everbit_e" | tail -n 1)"
  else
    echo 'neither curl nor wget is installed on the VM' >"$everbit_e"
    printf '\neverbit_http_status=\n'
  fi
  # shellcheck disable=SC2016 # sed's $, the last line
  sed -n '/[^[:space:]]/h; ${x;s/^/everbit_http_error=/;p;}' "$everbit_e"
)

# Whether HOST:PORT accepts a TCP connection, within SECONDS, by what the shell has: bash's /dev/tcp (not POSIX
# sh's, so bash is asked for by name), else an nc that has -z; each under timeout where it exists, as a dropped SYN
# would otherwise hang. Prints everbit_tcp=open TOOL, everbit_tcp=closed TOOL or, with neither, everbit_tcp=none.
everbit_tcp_connect() (
  everbit_h=$1
  everbit_p=$2
  everbit_t=$3
  everbit_to=
  command -v timeout >/dev/null 2>&1 && everbit_to="timeout $everbit_t"
  if command -v bash >/dev/null 2>&1; then
    # shellcheck disable=SC2016 # expanded by bash
    if $everbit_to bash -c 'exec 3<>"/dev/tcp/$1/$2"' everbit "$everbit_h" "$everbit_p" 2>/dev/null; then
      echo 'everbit_tcp=open bash'
    else
      echo 'everbit_tcp=closed bash'
    fi
  # busybox's small nc has no -z (it would wait for input instead): only an nc that lists -z counts.
  elif command -v nc >/dev/null 2>&1 && nc -h 2>&1 | grep -q -e '-z'; then
    if $everbit_to nc -z -w "$everbit_t" "$everbit_h" "$everbit_p" </dev/null >/dev/null 2>&1; then
      echo 'everbit_tcp=open nc'
    else
      echo 'everbit_tcp=closed nc'
    fi
  else
    echo 'everbit_tcp=none'
  fi
)

# Compose as the report needs it: with the pin when there is one, so that the containers are the ones up manages
# (without it before the first release), and in proxy mode with the slots too, so that the report shows them.
everbit_dcp() {
  everbit_pinned=
  [ ! -f .everbit/pin.yaml ] || everbit_pinned=.everbit/pin.yaml
  if [ -f .everbit/slots.yaml ]; then
    everbit_compose "$everbit_pinned" -f .everbit/slots.yaml "$@"
  else
    everbit_compose "$everbit_pinned" "$@"
  fi
}

# Prints docker inspect of the containers of SERVICE (stopped ones included), or everbit_no_container when there is none.
everbit_inspect() (
  everbit_ids=$(everbit_dcp ps -a -q "$1") || exit 1
  [ -n "$everbit_ids" ] || { echo everbit_no_container; exit 0; }
  # shellcheck disable=SC2086 # one word per container id
  docker inspect $everbit_ids
)

# Prints the project's containers: JSON with compose v2 (--format json), the text table with v1. The version is
# asked, because compose 1.29 answers the unknown option with its usage on stderr and exit 0.
everbit_compose_ps() {
  case "$(everbit_dc version --short 2>/dev/null)" in
    1.*) everbit_dcp ps -a 2>&1 ;;
    *) everbit_dcp ps -a --format json 2>&1 ;;
  esac
}

# Prints the last LINES log lines of SERVICE, as the standard's compose logs --tail=200 server: SERVICE LINES.
everbit_service_logs() {
  everbit_dcp logs --no-color --tail="$2" "$1" 2>&1
  true
}
