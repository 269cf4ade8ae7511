# shellcheck shell=sh
# The manager side of target swarm: functions only, sourced at the top of every script the engine runs on a Swarm
# manager (engine/swarm/SwarmScripts.java); the engine calls them with quoted values. They print data lines
# (key=value, or one record per line) for the engine, which validates them before it acts on them, and lines starting
# "everbit: " that say why they failed. Exit codes: 66 missing input, 69 not a manager, 75 lock held, 1 anything else.

# everbit_swarm_cd DIR: enters the deploy dir as the operator wrote it (~ and ~/PATH are the manager user's home, as
# in a typed command); a missing one is said and returns 66.
everbit_swarm_cd() {
  # shellcheck disable=SC2088 # the operator's ~, matched literally
  case $1 in
    '~') set -- "$HOME" ;;
    '~/'*) set -- "$HOME/${1#??}" ;;
  esac
  cd -- "$1" 2>/dev/null || {
    printf 'everbit: no deploy directory %s\n' "$1"
    return 66
  }
}

# everbit_swarm_manager: this node's daemon is an active manager of a swarm (only managers run stack deploy and keep
# the Raft store where the lock and the ledger live). Prints node=NAME.
everbit_swarm_manager() {
  said=$(docker info --format '{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}} {{.Name}}' 2>&1) || {
    printf 'everbit: docker info failed: %s\n' "$said"
    return 1
  }
  case $said in
    "active true "*) printf 'node=%s\n' "${said#active true }" ;;
    *)
      printf 'everbit: this host is not a manager of an active swarm (docker info: %s)\n' "$said"
      return 69
      ;;
  esac
}

# everbit_swarm_files FILE...: every compose file exists (run in the deploy dir)
everbit_swarm_files() {
  for f in "$@"; do
    [ -f "$f" ] || {
      printf 'everbit: no compose file %s in %s\n' "$f" "$(pwd)"
      return 66
    }
  done
}

# everbit_swarm_lock NAME HOLDER LIMIT TIMEOUT: creates the config NAME, which the Raft store lets exist once, labelled
# with its holder, its start and its expiry (start + LIMIT seconds, the longest its command can take); waits up to
# TIMEOUT seconds while another holds it. A lock past its expiry is stale (its command was killed or lost its
# manager): it is removed by its ID, never by its name, so that a lock another command took meanwhile is never the
# one removed. Prints lock=ID; when the lock stays held, held=START EXPIRES HOLDER and exit 75.
everbit_swarm_lock() {
  name=$1 holder=$2 limit=$3 timeout=$4
  deadline=$(($(date +%s) + timeout))
  while :; do
    now=$(date +%s)
    if said=$(printf '%s\n' "$holder" | docker config create --label everbit.lock=1 \
      --label "everbit.lock.holder=$holder" --label "everbit.lock.started=$now" \
      --label "everbit.lock.expires=$((now + limit))" "$name" - 2>&1); then
      printf 'lock=%s\n' "$said"
      return 0
    fi
    case $said in
      *AlreadyExists* | *"already exists"*) ;;
      *)
        printf 'everbit: docker config create %s failed: %s\n' "$name" "$said"
        return 1
        ;;
    esac
    held=$(docker config inspect --format \
      '{{.ID}} {{index .Spec.Labels "everbit.lock.started"}} {{index .Spec.Labels "everbit.lock.expires"}} {{index .Spec.Labels "everbit.lock.holder"}}' \
      "$name" 2>/dev/null) || continue
    id=${held%% *}
    rest=${held#* }
    started=${rest%% *}
    rest=${rest#* }
    expires=${rest%% *}
    case $expires in
      '' | *[!0-9]*) expires=$((now + 1)) ;;
    esac
    if [ "$now" -gt "$expires" ]; then
      printf 'stale=%s\n' "$held"
      docker config rm "$id" >/dev/null 2>&1 || true
      continue
    fi
    if [ "$now" -ge "$deadline" ]; then
      printf 'held=%s %s %s\n' "$started" "$expires" "${rest#* }"
      return 75
    fi
    sleep 1
  done
}

# everbit_swarm_unlock NAME ID: removes the lock when it is still the one this command took
everbit_swarm_unlock() {
  current=$(docker config inspect --format '{{.ID}}' "$1" 2>/dev/null) || {
    printf 'everbit: the lock %s was gone already\n' "$1"
    return 0
  }
  if [ "$current" != "$2" ]; then
    printf 'everbit: the lock %s is not this command'"'"'s any more (%s); left as it is\n' "$1" "$current"
    return 0
  fi
  docker config rm "$2" >/dev/null
}

# everbit_swarm_lock_held NAME: who holds the lock NAME, for status (which takes no lock): held=START EXPIRES HOLDER,
# or nothing when it is free
everbit_swarm_lock_held() {
  held=$(docker config inspect --format \
    '{{index .Spec.Labels "everbit.lock.started"}} {{index .Spec.Labels "everbit.lock.expires"}} {{index .Spec.Labels "everbit.lock.holder"}}' \
    "$1" 2>/dev/null) || return 0
  printf 'held=%s\n' "$held"
}

# everbit_swarm_ledger KEY: every ledger entry of KEY (the configs labelled everbit.ledger=KEY), one line each:
# NAME "BASE64 OF THE ENTRY" (the config's data as docker prints it in JSON)
everbit_swarm_ledger() {
  names=$(docker config ls --filter "label=everbit.ledger=$1" --format '{{.Name}}') || return 1
  [ -n "$names" ] || return 0
  # config names are single words of [a-zA-Z0-9_.-]: split into arguments, never globbed
  set -f
  # shellcheck disable=SC2086
  docker config inspect --format '{{.Spec.Name}} {{json .Spec.Data}}' $names
}

# everbit_swarm_record KEY NAME ENTRY: adds ENTRY (one JSON line) to the ledger of KEY as the config NAME; the name
# carries the entry's number, so two commands can never write the same entry (the second create fails)
everbit_swarm_record() {
  printf '%s\n' "$3" | docker config create --label "everbit.ledger=$1" "$2" - >/dev/null
}

# everbit_swarm_pin SERVICE IMAGE FILE...: writes .everbit/swarm-pin.yaml, the override naming IMAGE for SERVICE, in
# the compose file version of the operator's files (stack deploy refuses files of different versions; without one,
# it reads every file as the newest)
everbit_swarm_pin() {
  service=$1 image=$2
  shift 2
  version=
  for f in "$@"; do
    version=$(sed -n 's/^version:[[:space:]]*["'\'']\{0,1\}\([0-9][0-9.]*\)["'\'']\{0,1\}[[:space:]]*$/\1/p' "$f" | head -n 1)
    [ -z "$version" ] || break
  done
  mkdir -p .everbit || return 1
  {
    [ -z "$version" ] || printf 'version: "%s"\n' "$version"
    printf 'services:\n  %s:\n    image: "%s"\n' "$service" "$image"
  } >.everbit/swarm-pin.yaml.next && mv .everbit/swarm-pin.yaml.next .everbit/swarm-pin.yaml
}

# everbit_swarm_deploy STACK REGISTRY USER FILE...: docker stack deploy of the operator's files, then the pin, with
# the registry login (the token on stdin; USER "-": none) in a docker config of its own that is removed afterwards.
# --with-registry-auth hands the login to the swarm, which keeps it in the service's spec in the Raft store and
# gives it to the nodes that pull the image.
everbit_swarm_deploy() {
  stack=$1 registry=$2 user=$3
  shift 3
  n=$#
  for f in "$@"; do
    set -- "$@" -c "$f"
  done
  shift "$n"
  set -- "$@" -c .everbit/swarm-pin.yaml
  if [ "$user" = - ]; then
    docker stack deploy --with-registry-auth "$@" "$stack" 2>&1
    return
  fi
  # A subshell, its traps set before the directory exists: the login is removed however the deploy ends, the
  # session's end included.
  (
    cfg=
    trap 'rm -rf "$cfg"' EXIT
    trap 'rm -rf "$cfg"; exit 143' INT TERM HUP
    cfg=$(mktemp -d) || exit 1
    chmod 700 "$cfg"
    # an auths entry keeps the login in the file, not in a credential helper docker would pick for an empty config
    printf '{"auths":{"%s":{}}}\n' "$registry" >"$cfg/config.json"
    if ! said=$(DOCKER_CONFIG=$cfg docker login --username "$user" --password-stdin "$registry" 2>&1); then
      printf 'everbit: docker login %s failed: %s\n' "$registry" "$said"
      exit 1
    fi
    DOCKER_CONFIG=$cfg docker stack deploy --with-registry-auth "$@" "$stack" 2>&1
  )
}

# everbit_swarm_state SERVICE: what the swarm runs of SERVICE. absent when there is no such service; else
# image=SPEC IMAGE, update=STATE, started=WHEN, message=TEXT, replicas=RUNNING/DESIRED and one line per task that
# is meant to run: task NODE|IMAGE|CURRENT STATE|ERROR
everbit_swarm_state() {
  docker service inspect "$1" >/dev/null 2>&1 || {
    printf 'absent\n'
    return 0
  }
  docker service inspect --format 'image={{.Spec.TaskTemplate.ContainerSpec.Image}}
update={{if .UpdateStatus}}{{.UpdateStatus.State}}{{end}}
started={{if .UpdateStatus}}{{.UpdateStatus.StartedAt}}{{end}}
message={{if .UpdateStatus}}{{.UpdateStatus.Message}}{{end}}' "$1" || return 1
  docker service ls --filter "name=$1" --format '{{.Name}} {{.Replicas}}' | while read -r name replicas; do
    [ "$name" != "$1" ] || printf 'replicas=%s\n' "$replicas"
  done
  docker service ps --no-trunc --filter desired-state=running --format 'task {{.Node}}|{{.Image}}|{{.CurrentState}}|{{.Error}}' "$1"
}
