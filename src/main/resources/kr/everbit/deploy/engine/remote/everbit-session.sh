# shellcheck shell=sh
# everbit-deploy's VM side: the functions one SSH session of the tool calls (RemoteScripts, RecordedCompose and the
# flows call them by name, with values the tool quotes once). POSIX sh, as dash runs it: the VM's /bin/sh may be dash,
# busybox ash or bash in POSIX mode. Nothing here runs when it is loaded; it only defines functions.
#
# Session variables (globals, as the functions below leave them for the next call):
#   everbit_service, everbit_repo, everbit_files, everbit_settle_default  set by everbit_configure: the service, its
#                        image repository, the operator's compose files one a line (a name never holds a control
#                        character: the tool refuses them), the settle window of a start that names none
#   everbit_compose_v    v2 (docker compose) or v1 (docker-compose), picked by everbit_pick_compose
#   everbit_session      the pid of the session's shell, which the guardian watches
#   everbit_locked       1 once this session holds the deploy lock (file descriptor 9)
#   everbit_guardian     the pid of the guardian of the switch in flight
#   project, cid         what everbit_project and everbit_start_wait found
#   everbit_lib          the text of this library, for the processes that must run it on their own (the bounded
#                        restore, the warm window's timer): set by the tool when it loads the library
#
# Exit codes the tool reads (RemoteScripts): 66 a deploy dir or compose file missing, 75 the lock stayed taken,
# 65 the compose project belongs to another deploy dir, 127 no compose, 68 a damaged in-flight file.

# No docker process keeps the deploy lock's descriptor: a client that outlives its script (a hung dockerd, a restore
# ended at its limit) would hold the lock after the shell that took it has gone. (xargs runs the real docker: its
# callers close the descriptor on xargs.)
# shellcheck disable=SC2032
docker() { command docker "$@" 9>&-; }

# Sets the values the functions work with: SERVICE REPOSITORY FILES (the compose files, one a line) SETTLE (the
# startSettle setting's default, for the restore of an interrupted switch, which the in-flight file does not name).
everbit_configure() {
  everbit_service=$1
  everbit_repo=$2
  everbit_files=$3
  everbit_settle_default=$4
}

# Picks compose v2 (the docker CLI plugin) or v1 (docker-compose) for everbit_dc; fails when neither is installed.
# Every command picks as its session opens, and a warm rollback runs no compose at all: so first what costs no
# process, the plugin in the folders where the docker CLI looks for it (the user's, then the system's), then a
# docker-compose on PATH; asking the docker CLI (which also knows folders its config adds) comes last.
everbit_pick_compose() {
  for everbit_d in "${DOCKER_CONFIG:-$HOME/.docker}/cli-plugins" /usr/local/lib/docker/cli-plugins \
    /usr/local/libexec/docker/cli-plugins /usr/lib/docker/cli-plugins /usr/libexec/docker/cli-plugins; do
    if [ -x "$everbit_d/docker-compose" ]; then
      everbit_compose_v=v2
      return 0
    fi
  done
  if command -v docker-compose >/dev/null 2>&1; then
    everbit_compose_v=v1
  elif docker compose version >/dev/null 2>&1; then
    everbit_compose_v=v2
  else
    return 1
  fi
}

# Compose, the version everbit_pick_compose found. v1 is a process of its own: it must not keep the lock either.
everbit_dc() {
  if [ "${everbit_compose_v:-v2}" = v1 ]; then
    docker-compose "$@" 9>&-
  else
    docker compose "$@"
  fi
}

# Compose with the operator's files in their order, then PIN when it is not empty, then the rest of the arguments:
# PIN ARGS... The same command line the standard's operator types, so the tool manages the same containers.
everbit_compose() {
  everbit_extra=$1
  shift
  everbit_cn=$#
  while IFS= read -r everbit_f; do
    [ -z "$everbit_f" ] || set -- "$@" -f "$everbit_f"
  done <<EOF
$everbit_files
EOF
  [ -z "$everbit_extra" ] || set -- "$@" -f "$everbit_extra"
  # The caller's arguments were first: move them after the -f options.
  while [ "$everbit_cn" -gt 0 ]; do
    set -- "$@" "$1"
    shift
    everbit_cn=$((everbit_cn - 1))
  done
  everbit_dc "$@"
}

# Enters DIR, the deploy dir as the operator wrote it: ~ and ~/PATH are the VM user's home, as in a typed command.
everbit_cd() {
  # shellcheck disable=SC2088 # the operator's ~, matched literally
  case $1 in
    '~') set -- "$HOME" ;;
    '~/'*) set -- "$HOME/${1#??}" ;;
  esac
  cd -- "$1" 2>/dev/null || return
}

# Opens the compose project for the session: enters DIR, checks the compose files and picks compose (printing
# compose=v2 or compose=v1 for the tool's progress line). Fails naming what is missing.
everbit_open() {
  everbit_rc=0
  if everbit_cd "$1"; then
    while IFS= read -r everbit_f; do
      [ -z "$everbit_f" ] || [ -f "$everbit_f" ] || {
        printf 'everbit: compose file %s not found in %s on the VM\n' "$everbit_f" "$(pwd)"
        everbit_rc=66
      }
    done <<EOF
$everbit_files
EOF
  else
    printf 'everbit: deploy dir %s does not exist on the VM\n' "$1"
    everbit_rc=66
  fi
  if [ "$everbit_rc" = 0 ]; then
    if everbit_pick_compose; then
      echo "compose=$everbit_compose_v"
    else
      echo "everbit: neither 'docker compose' (v2) nor 'docker-compose' (v1) is installed on the VM"
      everbit_rc=127
    fi
  fi
  everbit_session=$$
  return "$everbit_rc"
}

# Takes the deploy lock for the rest of the session, waiting up to SECONDS, and records HOLDER for others: flock on a
# descriptor of the session's shell, which the kernel releases when that shell ends, however it ends. Taking it again
# in the same session (a deploy's automatic rollback) keeps the descriptor: flock on a description that holds the
# lock returns at once, so the lock is never let go in between.
everbit_lock() {
  [ "${everbit_locked:-}" = 1 ] || { mkdir -p .everbit && exec 9>>.everbit/deploy.lock; }
  if flock -n 9; then
    everbit_rc=0
  else
    echo "everbit: deploy lock held by $(cat .everbit/lock.holder 2>/dev/null); waiting up to $1s"
    if flock -w "$1" 9; then
      everbit_rc=0
    else
      echo "everbit: deploy lock still held after $1s by $(cat .everbit/lock.holder 2>/dev/null)"
      everbit_rc=75
    fi
  fi
  [ "$everbit_rc" = 0 ] || return "$everbit_rc"
  everbit_locked=1
  printf '%s since %s\n' "$2" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" > .everbit/lock.holder
}

# What status needs, for deploy dir DIR without compose details: the ledger, a SEPARATOR line, the pinned image,
# SEPARATOR, "inflight" while a switch is, and the proxy mode's live and warm lines (absent in restart mode).
everbit_status() {
  everbit_cd "$1" || { printf 'everbit: deploy dir %s does not exist on the VM\n' "$1"; return 66; }
  cat .everbit/releases.jsonl 2>/dev/null
  # On a line of its own even after a ledger whose last line lost its newline.
  printf '\n%s\n' "$2"
  everbit_pin_image .everbit/pin.yaml
  printf '%s\n' "$2"
  [ ! -f .everbit/inflight ] || echo inflight
  [ ! -f .everbit/proxy.live ] || sed -n '1s/^/proxy-live /p' .everbit/proxy.live
  [ ! -f .everbit/proxy.warm ] || sed -n '1s/^/proxy-warm /p' .everbit/proxy.warm
  true
}

# Prints the release ledger (nothing before the first release).
everbit_read_ledger() {
  cat .everbit/releases.jsonl 2>/dev/null
  true
}

# Ends the ledger's last line when it lacks its newline (a hand edit, a full disk), so that the next entry is never
# glued to the damaged line and lost with it. $(...) drops a trailing newline, nothing else.
everbit_ledger_newline() {
  if [ -s .everbit/releases.jsonl ] && [ -n "$(tail -c 1 .everbit/releases.jsonl)" ]; then
    printf '\n' >> .everbit/releases.jsonl
  fi
}

# Appends LINE, one JSON entry, to the ledger.
everbit_append_ledger() {
  mkdir -p .everbit || return 1
  everbit_ledger_newline || return 1
  printf '%s\n' "$1" >> .everbit/releases.jsonl
}

# Prints the image the pin FILE names (written by everbit_write_pin); nothing when there is no pin.
everbit_pin_image() {
  sed -n 's/^    image: "\(.*\)"$/\1/p' "$1" 2>/dev/null
  true
}

# Writes FILE with CONTENT atomically (temporary file, then rename), creating its folder.
everbit_write_file() {
  mkdir -p "$(dirname -- "$1")" || return 1
  printf '%s' "$2" > "$1.tmp.$$" && mv -f "$1.tmp.$$" "$1"
}

# Writes the pin FILE: a compose override that sets the service's image to IMAGE (the tool checked it: its
# repository tagged with a SHA, so it needs no escaping inside the quotes).
everbit_write_pin() {
  everbit_write_file "$1" "# Written by everbit-deploy: the release of service '$everbit_service'. Do not edit: run everbit-deploy up or rollback.
services:
  $everbit_service:
    image: \"$2\"
"
}

# Prints the images of the service's repository on the VM, one a line: TAG DIGEST, the digest the registry gave it
# (<none> when none). A rollback learns with the lock which releases are kept and their digests, in one docker call,
# before it knows which release "previous" is. With TAG, only that release (nothing when it is not here), by an
# inspect, which dockerd answers several times quicker than a listing. [TAG]
everbit_release_images() {
  if [ -z "${1:-}" ]; then
    docker image ls --digests --format '{{.Tag}} {{.Digest}}' "$everbit_repo" 2>/dev/null
    return 0
  fi
  everbit_digests=$(docker image inspect --format '{{range .RepoDigests}}{{println .}}{{end}}' "$everbit_repo:$1" 2>/dev/null) ||
    return 0
  printf '%s <none>\n' "$1"
  # The digests of this repository only; the repository is data to awk, not part of its program.
  printf '%s\n' "$everbit_digests" | EVERBIT_PREFIX="$everbit_repo@" EVERBIT_TAG="$1" awk '
    index($0, ENVIRON["EVERBIT_PREFIX"]) == 1 { print ENVIRON["EVERBIT_TAG"] " " substr($0, length(ENVIRON["EVERBIT_PREFIX"]) + 1) }'
}

# Pulls the service's image through compose with the pin PIN.
everbit_pull() {
  everbit_compose "$1" pull "$everbit_service"
}

# As everbit_pull, logged in first: PIN REGISTRY USER CONFIG TOKEN, where CONFIG is the docker config.json that keeps
# the login in its own file. The login lives in a temporary docker config directory removed afterwards, also on
# failure; the token reaches docker login through a pipe from printf, a builtin, so it is in no process's arguments.
# A subshell: its trap and its DOCKER_CONFIG end with it.
everbit_pull_logged_in() (
  # The trap first: a signal between the directory's creation and the trap would leave it, and then the login.
  everbit_cfg=
  trap 'rm -rf "$everbit_cfg"' EXIT INT TERM HUP
  everbit_cfg=$(mktemp -d) || exit 1
  chmod 700 "$everbit_cfg"
  printf '%s\n' "$4" > "$everbit_cfg/config.json" || exit 1
  # DOCKER_CONFIG also moves the CLI plugin dir: keep a user-installed compose v2 plugin in reach.
  [ ! -d "$HOME/.docker/cli-plugins" ] || ln -s "$HOME/.docker/cli-plugins" "$everbit_cfg/cli-plugins"
  said=$(printf '%s\n' "$5" | DOCKER_CONFIG="$everbit_cfg" docker login --username "$3" --password-stdin "$2" 2>&1) || {
    printf '%s\n' "$said"
    exit 1
  }
  DOCKER_CONFIG="$everbit_cfg"
  export DOCKER_CONFIG
  everbit_pull "$1"
)

# Gives the image SOURCE the name TARGET too: a release pulled by the digest the ledger recorded gets back its tag,
# by which the pin and the ledger name it.
everbit_tag() {
  docker tag "$1" "$2"
}

# Prints the digests the registry gave IMAGE (its RepoDigests), one a line.
everbit_digest() {
  docker image inspect --format '{{range .RepoDigests}}{{println .}}{{end}}' "$1" 2>/dev/null
  true
}

# Sets project to the compose project of this deploy dir's containers (empty before its first start), and fails,
# changing nothing, when compose would act on another deploy dir's containers: compose names a project after the
# folder of the first compose file, so two deploy dirs with the standard's layout (DIR/docker/compose.yaml) share the
# name "docker", and a release in one would replace the other's. Compose labels its containers with the project
# dir, as the physical or the logical path; asking dockerd is quick, compose itself is asked only when no container
# of this dir is found. Once found with no other dir's containers, the name is kept for the session in
# everbit_project_found (a project's name does not change while the lock is held): run in the session's shell first
# (the switch's check), it spares every script after it the docker calls.
everbit_project() {
  if [ -n "${everbit_project_found:-}" ]; then
    project=$everbit_project_found
    return 0
  fi
  project=
  everbit_file1=${everbit_files%%
*}
  everbit_pdir=$(dirname -- "$everbit_file1")
  physical=$(cd -- "$everbit_pdir" && pwd -P)
  logical=$(cd -- "$everbit_pdir" && pwd -L)
  # Every container's project and dir in one docker call, newest first as docker ps lists them: the project before
  # the first tab (a compose project name has none), the dir after it; compared in awk as data, through the
  # environment (awk -v would expand backslashes).
  everbit_ps=$(docker ps -a --format '{{.Label "com.docker.compose.project"}}	{{.Label "com.docker.compose.project.working_dir"}}')
  for wd in "$physical" "$logical"; do
    [ -n "$project" ] || project=$(printf '%s\n' "$everbit_ps" | EVERBIT_WD=$wd awk \
      '{ i = index($0, "\t") } i > 1 && substr($0, i + 1) == ENVIRON["EVERBIT_WD"] { print substr($0, 1, i - 1); exit }')
    [ "$physical" != "$logical" ] || break
  done
  if [ -n "$project" ]; then
    others=$(printf '%s\n' "$everbit_ps" | EVERBIT_P=$project awk \
      '{ i = index($0, "\t") } i > 1 && substr($0, 1, i - 1) == ENVIRON["EVERBIT_P"] { print substr($0, i + 1) }' |
      sort -u | grep -vxF -e "$physical" -e "$logical")
  else
    # Before the first release of this dir there is no pin yet: the operator's files are enough to ask.
    # shellcheck disable=SC2033 # the real docker, without the lock's descriptor
    others=$(everbit_compose '' ps -q 2>/dev/null | xargs -r docker inspect \
      --format '{{index .Config.Labels "com.docker.compose.project.working_dir"}}' 9>&- | sort -u)
    # shellcheck disable=SC2033 # as above
    project=$(everbit_compose '' ps -q 2>/dev/null | head -n 1 | xargs -r docker inspect \
      --format '{{index .Config.Labels "com.docker.compose.project"}}' 9>&-)
  fi
  if [ -z "$others" ]; then
    everbit_project_found=$project
    return 0
  fi
  printf 'everbit: compose project %s already has containers of another deploy dir (%s): its compose files sit in a folder of the same name as this one'\''s, so a release here would replace them; nothing was changed. Give this deploy dir its own project name: COMPOSE_PROJECT_NAME=NAME in a .env file beside %s (read by compose, so by the tool and by hand alike)\n' \
    "$project" "$(printf '%s' "$others" | tr '\n' ' ')" "$everbit_file1"
  return 65
}

# Starts the service from the pin and waits for it: SECONDS SETTLE (see everbit_wait_healthy). Once the project has
# containers, only this service is recreated (--no-deps): Kafka, the DB and Nginx keep running; on a first start the
# whole project comes up. The new container is then found by its compose labels, which costs no second compose run.
# Prints state=STATUS health=HEALTH last; fails when the service does not get there.
everbit_start_wait() {
  everbit_project || return 1
  if [ -n "$project" ]; then
    everbit_compose .everbit/pin.yaml up -d --no-deps "$everbit_service" || return 1
    cid=$(docker ps -aq --filter "label=com.docker.compose.project=$project" \
      --filter "label=com.docker.compose.service=$everbit_service" | head -n 1)
  else
    everbit_compose .everbit/pin.yaml up -d || return 1
    cid=$(everbit_compose .everbit/pin.yaml ps -q "$everbit_service" 2>/dev/null | head -n 1)
  fi
  [ -n "$cid" ] || { echo 'state=missing health=none'; return 1; }
  everbit_wait_healthy "$cid" "$1" "${2:-$everbit_settle_default}"
}

# Waits until container CID runs and is healthy, polling every 200 ms up to SECONDS. Without a healthcheck it must
# keep running, with the same start time and restart count, for SETTLE seconds (default: none): one sample of
# "running" between two restarts of a crash loop is no start. Prints state=STATUS health=HEALTH last.
everbit_wait_healthy() {
  cid=$1
  everbit_settle=${3:-0}
  everbit_first=
  everbit_since=
  end=$(($(date +%s) + $2))
  while :; do
    all=$(docker inspect --format '{{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}} {{.State.StartedAt}}/{{.RestartCount}}' "$cid" 2>/dev/null)
    st=${all% *}
    run=${all##* }
    case "$st" in
      'running healthy') echo "state=${st% *} health=${st#* }"; return 0 ;;
      'running none')
        if [ -z "$everbit_first" ]; then
          everbit_first=$run
          everbit_since=$(date +%s)
        elif [ "$run" != "$everbit_first" ]; then
          echo 'everbit: the container restarted while it settled (a crash loop is no start)'
          echo 'state=restarting health=none'
          return 1
        fi
        if [ "$everbit_settle" = 0 ] || [ $(($(date +%s) - everbit_since)) -gt "$everbit_settle" ]; then
          echo "state=${st% *} health=${st#* }"
          return 0
        fi
        ;;
      exited* | dead* | restarting* | 'running unhealthy' | '') echo "state=${st% *} health=${st#* }"; return 1 ;;
    esac
    [ "$(date +%s)" -lt "$end" ] || {
      echo "everbit: not healthy after $2s"
      echo "state=${st% *} health=${st#* }"
      return 1
    }
    sleep 0.2
  done
}

# Stops the service's containers without removing them (a failed first release, on request).
everbit_stop() {
  everbit_compose .everbit/pin.yaml stop "$everbit_service"
}

# Prints the last LINES log lines of the service's container, for an error report.
everbit_logs() {
  everbit_compose .everbit/pin.yaml logs --no-color --tail="$1" "$everbit_service" 2>&1
  true
}

# Prints the tags of the service's repository present on the VM.
everbit_list_tags() {
  docker image ls --format '{{.Tag}}' "$everbit_repo" 2>/dev/null
  true
}

# Removes the images IMAGE..., saying which went; an image still in use stays.
everbit_remove_images() {
  for everbit_i in "$@"; do
    if docker image rm "$everbit_i" >/dev/null 2>&1; then echo "removed $everbit_i"; fi
  done
  true
}

# Records the session's compose files in .everbit/compose-files, one a line, so that a command that only reads the
# project (verify) needs no --compose of its own.
everbit_record_files() {
  mkdir -p .everbit || return 1
  printf '%s\n' "$everbit_files" > .everbit/compose-files.tmp.$$ && mv -f .everbit/compose-files.tmp.$$ .everbit/compose-files
}

# Prints the compose files recorded in deploy dir DIR (the tool checks each like a --compose of its own).
everbit_recorded_files() {
  everbit_cd "$1" || { printf 'everbit: deploy dir %s does not exist on the VM\n' "$1"; return 66; }
  [ -s .everbit/compose-files ] || {
    printf 'everbit: no compose files recorded in %s/.everbit/compose-files (up, deploy and rollback record them): give {compose}, the files of the deploy, in order\n' "$1"
    return 66
  }
  cat .everbit/compose-files
}

# ----------------------------------------------------------------------------------------------------- the switch
# A release switch is in flight from everbit_begin_switch to everbit_end_switch. Meanwhile .everbit/inflight says what
# an interruption must restore and record:
#   line 1   the health timeout and the recovery's limit, in seconds
#   line 2   restore image IMAGE | restore proxy | restore none
#   then     the ledger lines of an interruption, each after "healthy " (written when the restore became healthy)
#            or "unhealthy " (when it did not); their time is @EVERBIT_AT@, the recovery's time.
# The file is data: everbit_read_inflight checks every value before anything uses it.

# Succeeds when VALUE is digits only, 1 to MAX: nothing else reaches an arithmetic or a command.
everbit_number() {
  case $1 in '' | *[!0-9]*) return 1 ;; esac
  [ "${#1}" -le 5 ] && [ "$1" -ge 1 ] && [ "$1" -le "$2" ]
}

# Succeeds when IMAGE is this service's repository tagged with a 7-40 hex SHA, as the tool writes a release.
everbit_release_image() {
  case $1 in "$everbit_repo":*) ;; *) return 1 ;; esac
  everbit_tag=${1#"$everbit_repo":}
  case $everbit_tag in '' | *[!0-9a-f]*) return 1 ;; esac
  [ "${#everbit_tag}" -ge 7 ] && [ "${#everbit_tag}" -le 40 ]
}

# Reads .everbit/inflight as data into everbit_health, everbit_limit, everbit_restore and everbit_image. Anything
# else (a hand edit, a damaged disk, a hostile value) is refused naming the line, and nothing runs (exit 68). The
# longest limit is the longest health timeout (3600 s) and the restart's margin (120 s).
everbit_read_inflight() {
  everbit_health='' everbit_limit='' everbit_more='' everbit_word='' everbit_restore='' everbit_image='' everbit_rest=''
  {
    read -r everbit_health everbit_limit everbit_more
    read -r everbit_word everbit_restore everbit_image everbit_rest
  } < .everbit/inflight
  everbit_bad=''
  { everbit_number "$everbit_health" 3600 && everbit_number "$everbit_limit" 3720 && [ -z "$everbit_more" ]; } || everbit_bad=1
  if [ -z "$everbit_bad" ]; then
    case $everbit_word/$everbit_restore in
      restore/proxy | restore/none) [ -z "$everbit_image$everbit_rest" ] || everbit_bad=2 ;;
      restore/image) { everbit_release_image "$everbit_image" && [ -z "$everbit_rest" ]; } || everbit_bad=2 ;;
      *) everbit_bad=2 ;;
    esac
  fi
  if [ -z "$everbit_bad" ]; then
    everbit_bad=$(sed -n '3,$p' .everbit/inflight | grep -vn -e '^healthy {' -e '^unhealthy {' | head -n 1 | cut -d : -f 1)
    [ -z "$everbit_bad" ] || everbit_bad=$((everbit_bad + 2))
  fi
  [ -z "$everbit_bad" ] && return 0
  printf 'everbit: %s/.everbit/inflight line %s is not what everbit-deploy writes (%s): the interrupted switch is not recovered from it, nothing was run; check what the VM runs (docker ps), then remove the file\n' \
    "$(pwd)" "$everbit_bad" "$(sed -n "${everbit_bad}p" .everbit/inflight | cut -c 1-60 | tr -cd '[:print:]')"
  return 68
}

# What an interrupted switch puts back, in a process of its own that the recovery runs under timeout (a limit for
# everything it starts, compose included) without the lock's descriptor: HEALTH WHAT IMAGE, as the in-flight file
# names them (WHAT: image, proxy or none). The restore pin is copied, never moved: a recovery cut off at any point
# leaves it for the next one. A proxy switch's restore is the file the switch wrote (a call of everbit_proxy_restore).
everbit_restore_switch() {
  everbit_pick_compose || everbit_compose_v=v1
  everbit_health=$1
  # shellcheck disable=SC1091 # .everbit/proxy.restore is written by the switch: a call of everbit_proxy_restore
  case $2 in
    proxy) . ./.everbit/proxy.restore ;;
    image)
      [ "$(everbit_pin_image .everbit/pin.restore.yaml)" = "$3" ] || {
        printf 'everbit: %s does not name %s: there is no pin to restore\n' .everbit/pin.restore.yaml "$3"
        return 1
      }
      cp -f .everbit/pin.restore.yaml .everbit/pin.yaml.tmp.$$ && mv -f .everbit/pin.yaml.tmp.$$ .everbit/pin.yaml \
        && everbit_start_wait "$everbit_health"
      ;;
    none) everbit_compose .everbit/pin.yaml stop "$everbit_service" && rm -f .everbit/pin.yaml ;;
    *) return 1 ;;
  esac
}

# Finishes an interrupted switch on the VM: restores what the in-flight file names, within its limit, then writes
# the ledger lines of what happened, with the time of the recovery: a restore that did not become healthy is
# recorded as failed, and said so. What was decided is kept (.everbit/inflight.record: healthy or unhealthy, then the
# ledger lines) until the ledger holds it, and the in-flight file and what it restores from are removed only then,
# so that a recovery cut off at any point is finished by the next one, its lines written once. Returns 0 when the
# restore became healthy.
everbit_recover() {
  [ -f .everbit/inflight ] || return 0
  everbit_read_inflight || return
  case $everbit_restore in
    proxy) everbit_what='the live release'; everbit_switch='a proxy switch' ;;
    image) everbit_what=$everbit_image; everbit_switch='a release switch' ;;
    *) everbit_what='the state before the first release (stopping it)'; everbit_switch="the first release's switch" ;;
  esac
  if [ ! -f .everbit/inflight.record ]; then
    echo "everbit: $(date -u +%Y-%m-%dT%H:%M:%SZ) $everbit_switch was interrupted: restoring $everbit_what (limit ${everbit_limit}s)"
    # shellcheck disable=SC2016,SC2154 # expanded by the restore's own shell; everbit_lib is set by the tool
    if timeout -k 5 "$everbit_limit" sh -c "$everbit_lib"'
everbit_configure "$1" "$2" "$3" "$4"; shift 4; everbit_restore_switch "$@"' everbit-restore \
      "$everbit_service" "$everbit_repo" "$everbit_files" "$everbit_settle_default" "$everbit_health" "$everbit_restore" "$everbit_image" </dev/null 9>&-; then
      everbit_how=healthy
    else
      everbit_rc=$?
      everbit_how=unhealthy
      case $everbit_rc in
        124 | 137) everbit_why="it did not finish within ${everbit_limit}s" ;;
        *) everbit_why="exit $everbit_rc" ;;
      esac
      echo "everbit: $(date -u +%Y-%m-%dT%H:%M:%SZ) restoring $everbit_what did not end healthy ($everbit_why): the VM runs nothing healthy; the ledger records the restore as failed"
    fi
    everbit_at=$(date -u +%Y-%m-%dT%H:%M:%SZ)
    { echo "$everbit_how"; sed -n -e "s/@EVERBIT_AT@/$everbit_at/g" -e "s/^$everbit_how //p" .everbit/inflight; } \
      > .everbit/inflight.record.tmp && mv -f .everbit/inflight.record.tmp .everbit/inflight.record || return 1
  else
    echo "everbit: $(date -u +%Y-%m-%dT%H:%M:%SZ) finishing the record of an interrupted recovery of $everbit_what"
  fi
  everbit_ledger_newline
  # Written once: a recovery cut off after the append finds its lines at the ledger's end.
  everbit_n=$(sed 1d .everbit/inflight.record | wc -l)
  [ "$(tail -n "$everbit_n" .everbit/releases.jsonl 2>/dev/null)" = "$(sed 1d .everbit/inflight.record)" ] \
    || sed 1d .everbit/inflight.record >> .everbit/releases.jsonl || return 1
  everbit_how=$(head -n 1 .everbit/inflight.record)
  rm -f .everbit/inflight .everbit/pin.restore.yaml .everbit/proxy.restore .everbit/inflight.record
  [ "$everbit_how" = healthy ] || return 1
  echo "everbit: $(date -u +%Y-%m-%dT%H:%M:%SZ) restored $everbit_what"
}

# Starts, once per switch, the guardian: a process of the session that ignores the signals ending the session and
# holds the deploy lock's descriptor (inherited), so that when the session ends with a switch in flight (the tool
# killed, the connection dropped or silent) it finishes the switch's recovery under the lock, then lets the lock go.
# Nothing it starts keeps the descriptor (its sleep, the bounded restore), so killing the guardian frees the lock at
# once. When it takes over, it names itself in the holder file.
everbit_guard() {
  [ -n "${everbit_guardian:-}" ] && kill -0 "$everbit_guardian" 2>/dev/null && return 0
  (
    trap '' TERM INT HUP PIPE
    while [ -f .everbit/inflight ] && kill -0 "$everbit_session" 2>/dev/null; do sleep 1 9>&-; done
    [ -f .everbit/inflight ] || exit 0
    # A builtin's redirection is opened by the shell itself: /proc/self is this subshell, not the session.
    read -r everbit_me everbit_rest </proc/self/stat 2>/dev/null || everbit_me='?'
    printf 'the guardian (pid %s) of an interrupted switch, recovering it, since %s (before: %s)\n' "$everbit_me" \
      "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$(cat .everbit/lock.holder 2>/dev/null)" > .everbit/lock.holder.tmp \
      && mv -f .everbit/lock.holder.tmp .everbit/lock.holder
    everbit_recover
  ) </dev/null >>.everbit/recovery.log 2>&1 &
  everbit_guardian=$!
}

# Marks a switch as in flight before anything changes: INFLIGHT (the in-flight file's content, see above), then the
# command that writes what to restore (everbit_write_pin .everbit/pin.restore.yaml IMAGE, or the proxy switch's
# everbit_write_file .everbit/proxy.restore TEXT; none: nothing to restore), run first; then, atomically, the
# in-flight file; then the guardian starts. Writing it again in the same session replaces what an interruption records.
everbit_begin_switch() {
  everbit_inflight=$1
  shift
  rm -f .everbit/inflight.record
  if [ "$#" = 0 ]; then
    rm -f .everbit/pin.restore.yaml
  else
    ("$@") || return 1
  fi
  printf '%s' "$everbit_inflight" > .everbit/inflight.tmp.$$ && mv -f .everbit/inflight.tmp.$$ .everbit/inflight && everbit_guard
}

# Ends the in-flight switch: records LINE (none: nothing), removes the in-flight file and stops the guardian, with the
# session's ending signals ignored meanwhile so that the record and the removal happen together.
everbit_end_switch() {
  trap '' TERM INT HUP
  everbit_rc=0
  [ "$#" = 0 ] || everbit_append_ledger "$1" || everbit_rc=1
  rm -f .everbit/inflight .everbit/pin.restore.yaml .everbit/proxy.restore .everbit/inflight.record
  [ -z "${everbit_guardian:-}" ] || kill -9 "$everbit_guardian" 2>/dev/null
  everbit_guardian=
  trap - TERM INT HUP
  return "$everbit_rc"
}

# Recovers a switch left in flight by a command whose guardian did not finish (the VM rebooted, the guardian was
# killed): the lock is held now, so nothing else is recovering it. This session's own switch (a deploy's automatic
# rollback) is no leftover. Fails when the restore did not become healthy, with 68 when the in-flight file is damaged.
everbit_recover_leftover() {
  [ -f .everbit/inflight ] && [ -z "${everbit_guardian:-}" ] || return 0
  echo 'everbit: the last release switch on this VM did not finish and was not recovered; recovering it now'
  everbit_recover
}

# ------------------------------------------------------------------------------------------------ the connection

# Starts the session once the library is loaded: FIFO_DIR READER SILENCE, from the remote command (SshCommands), which
# reads the channel with a cat (pid READER) into a FIFO in FIFO_DIR that this shell reads. The FIFO is open, so its
# folder can go; the watcher then starts (everbit_watch_reader).
everbit_connected() {
  [ -z "$1" ] || rm -rf "$1"
  everbit_watch_reader "$2" "$3"
}

# Watches the channel's reader, pid READER: without a terminal, sshd does not signal the shell when the channel ends,
# so the shell would finish its current command (a pull, a health wait) before it reads end of input, holding the
# deploy lock that long. When the reader ends, or has read nothing, not even the tool's heartbeat, for SILENCE
# seconds (a connection gone silent without ending), this ends the reader and the shell's process group within a
# second, so the kernel releases the lock. A reader that has ended but not yet been reaped is a zombie: state Z
# counts as gone. Without /proc the watcher does not start. READER SILENCE.
everbit_watch_reader() {
  [ -n "$1" ] && [ -e "/proc/$$" ] || return 0
  (
    heard=
    quiet=0
    while r=$(cut -d ' ' -f 3 "/proc/$1/stat" 2>/dev/null) && [ "$r" != Z ] && [ -e "/proc/$$" ]; do
      n=$(sed -n 's/^rchar: //p' "/proc/$1/io" 2>/dev/null)
      if [ -n "$n" ] && [ "$n" = "$heard" ]; then quiet=$((quiet + 1)); else quiet=0; heard=$n; fi
      [ "$quiet" -lt "$2" ] || { kill "$1"; break; }
      sleep 1
    done
    [ -e "/proc/$$" ] && { kill -TERM "-$$" || kill -TERM "$$"; }
  ) </dev/null >/dev/null 2>&1 &
}
