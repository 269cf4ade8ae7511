# shellcheck shell=sh
# everbit-deploy's VM side, the proxy switch mode (ProxyScripts calls these; loaded with everbit-session.sh, whose
# everbit_compose, everbit_project, everbit_wait_healthy and everbit_write_file they use). The state of the mode
# lives in .everbit: proxy.live (the slot Nginx sends to) and proxy.warm (the release out of rotation that still
# runs, and until when), one line each: SERVICE IMAGE ADDRESS [EXPIRES]. The slots are the service's copies that
# .everbit/slots.yaml defines. Nginx is pointed at a slot by a reload (everbit_swap, the default) or, where the
# operator's Nginx picks the slot on each request by a flag file, by flipping that file (everbit_flip).
# shellcheck disable=SC2154 # project, cid and everbit_health are set by the session's functions

# How long a reload may take until every worker of before has stopped accepting; longer is a failed switch
# (ProxyScripts.RELOAD_BOUND_SECONDS).
everbit_reload_bound=30

# Prints the proxy state for the tool: "live LINE", "warm LINE", "upstream LINE" for each line of the upstream file
# UPSTREAM_FILE, then "now EPOCH" (the VM's clock, which the warm window is counted in). With IMAGE, the release the
# command switches to, also "warm-runs SLOT" when the warm release is IMAGE in one of the service's slots and its
# container runs (see everbit_slot_running): the switch is then a swap alone, and is known to be in the same round
# trip; IMAGE empty (the release is not known yet: a rollback to "previous", which the ledger read with the state
# names): whatever the warm release is. The warm line is data: only a slot's own name reaches docker, and only as a
# value. With FLAG and URL (the
# switch by a flag file, everbit_flip), also "flag present|absent" and "served " with what a request through Nginx to
# URL got (everbit_http_slot): which slot Nginx sends to before anything changes. UPSTREAM_FILE [IMAGE [FLAG URL]].
# Run in the session's shell, it leaves the warm slot that runs IMAGE in everbit_warm_runs (empty: none), for
# everbit_proxy_config after it.
everbit_proxy_state() {
  everbit_warm_runs=
  [ ! -f .everbit/proxy.live ] || sed -n '1s/^/live /p' .everbit/proxy.live
  [ ! -f .everbit/proxy.warm ] || sed -n '1s/^/warm /p' .everbit/proxy.warm
  [ ! -f "$1" ] || sed 's/^/upstream /' "$1"
  if [ -n "${3:-}" ]; then
    echo "flag $(everbit_flag_state "$3")"
    everbit_http_slot "$4" 2 | sed 's/^/served /'
  fi
  if [ "$#" -ge 2 ] && [ -f .everbit/proxy.warm ]; then
    read -r everbit_ws everbit_wi _ < .everbit/proxy.warm
    case $everbit_ws in
      "$everbit_service"-blue | "$everbit_service"-green)
        if { [ -z "$2" ] || [ "$everbit_wi" = "$2" ]; } && everbit_slot_running "$everbit_ws"; then
          everbit_warm_runs=$everbit_ws
          echo "warm-runs $everbit_ws"
        fi
        ;;
    esac
  fi
  echo "now $(date +%s)"
}

# Prints the live and warm lines, for retention (which must never prune either image).
everbit_proxy_releases() {
  cat .everbit/proxy.live .everbit/proxy.warm 2>/dev/null
  true
}

# Prints the operator's services as compose resolves them from the operator's files (the slots are copied from the
# service), uninterpolated: the slots file is interpolated again when compose reads it ($$ stays $$, ${TAG} stays).
# With unless-warm, nothing when everbit_proxy_state, just before in the session's shell, found the release warm and
# running: that switch is a swap alone and starts no slot, so it needs no compose call. [unless-warm]
everbit_proxy_config() {
  if [ "${1:-}" = unless-warm ] && [ -n "${everbit_warm_runs:-}" ]; then
    return 0
  fi
  everbit_compose '' config --no-interpolate
}

# Prints the last LINES log lines of SLOT, for an error report.
everbit_slot_logs() {
  everbit_compose .everbit/slots.yaml logs --no-color --tail="$2" "$1" 2>&1
  true
}

# Starts SLOT beside the live one and waits until it is healthy (--no-deps once the project runs, as in restart mode),
# then until it answers at its own address: a TCP connect, and with READY_PATH a 2xx there. The address is HOST:PORT,
# HOST being the one Nginx uses, or when empty the container's address on its network (which the VM reaches as Nginx
# reaches the service name). All within SECONDS: SLOT SECONDS PORT HOST READY_PATH. Prints state=STATUS health=HEALTH
# last.
everbit_start_slot() {
  everbit_project || return 1
  everbit_end=$(($(date +%s) + $2))
  if [ -n "$project" ]; then
    everbit_compose .everbit/slots.yaml up -d --no-deps "$1" || return 1
  else
    everbit_compose .everbit/slots.yaml up -d "$1" || return 1
  fi
  cid=$(everbit_compose .everbit/slots.yaml ps -q "$1" 2>/dev/null | head -n 1)
  [ -n "$cid" ] || { echo 'state=missing health=none'; return 1; }
  everbit_state=$(everbit_wait_healthy "$cid" "$2") || { printf '%s\n' "$everbit_state"; return 1; }
  everbit_h=$4
  [ -n "$everbit_h" ] || everbit_h=$(docker inspect --format '{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}' "$cid" \
    | awk '{ print $1 }')
  everbit_hp=$everbit_h:$3
  everbit_answers 'a TCP connection' '*everbit_tcp=open*' everbit_tcp_connect "$everbit_h" "$3" 2 || return 1
  [ -z "$5" ] || everbit_answers "a 2xx to GET $5" '*everbit_http_status=2[0-9][0-9]*' \
    everbit_http_get "http://$everbit_hp$5" 2 || return 1
  printf '%s\n' "$everbit_state"
}

# Runs PROBE... every 200 ms until its output matches the case pattern PATTERN, up to everbit_end: WHAT PATTERN
# PROBE... (WHAT names the answer awaited, for the message when it does not come).
everbit_answers() {
  everbit_what=$1
  everbit_pattern=$2
  shift 2
  while :; do
    said=$("$@" 2>&1)
    # shellcheck disable=SC2254 # a pattern, by design
    case "$said" in $everbit_pattern) return 0 ;; esac
    if [ "$(date +%s)" -ge "$everbit_end" ]; then
      echo "everbit: the new slot gave no $everbit_what at $everbit_hp within the health timeout"
      printf '%s\n' "$said" | tail -n 3
      echo 'state=running health=no-answer'
      return 1
    fi
    sleep 0.2
  done
}

# Exit 0 when the container of SERVICE (a slot) runs and is healthy, or has no healthcheck: one docker call, its
# filters of one key or'ed (health), of different keys and'ed.
everbit_slot_running() {
  everbit_project || return 1
  [ -n "$project" ] || return 1
  cid=$(docker ps -q --filter "label=com.docker.compose.project=$project" --filter "label=com.docker.compose.service=$1" \
    --filter status=running --filter health=healthy --filter health=none | head -n 1)
  [ -n "$cid" ]
}

# Stops the container of SERVICE (gracefully: SIGTERM, then its grace), leaving it for compose ps and logs.
everbit_slot_stop() {
  everbit_project || return 1
  [ -n "$project" ] || return 0
  cid=$(docker ps -q --filter "label=com.docker.compose.project=$project" --filter "label=com.docker.compose.service=$1")
  # shellcheck disable=SC2086 # one word per container id
  [ -z "$cid" ] || docker stop -t 30 $cid >/dev/null
}

# Prints "PID PPID" of each Nginx worker process that accepts connections (a worker told to shut down renames itself
# "worker process is shutting down" as it closes its listening sockets).
everbit_workers() {
  ps -e -o pid= -o ppid= -o args= 2>/dev/null \
    | awk '$3 == "nginx:" && $4 == "worker" && $5 == "process" && NF == 5 { print $1, $2 }'
}

# Succeeds once a master that had accepting workers in everbit_before (everbit_workers, before the reload) has only
# new ones: from then on every new connection is taken by a worker that read the new upstream. Other masters on the
# VM (other Nginx instances) keep their workers and so do not count, unless one reloads at the same moment for a
# reason of its own: which master the operator's reload command signals is not observable from here.
everbit_reloaded() {
  { printf '%s\n' "$everbit_before" | sed 's/^/old /'; everbit_workers | sed 's/^/now /'; } | awk '
    $1 == "old" { old[$2] = $3; had[$3] = 1 }
    $1 == "now" { now[$2] = $3 }
    END {
      for (p in now) if (!(p in old) || old[p] != now[p]) fresh[now[p]] = 1
      for (p in old) if ((p in now) && now[p] == old[p]) stale[old[p]] = 1
      for (m in had) if ((m in fresh) && !(m in stale)) exit 0
      exit 1
    }'
}

# Writes the state FILE with LINE atomically; an empty LINE removes it.
everbit_state_write() {
  if [ -z "$2" ]; then
    rm -f "$1"
  else
    printf '%s\n' "$2" > "$1.tmp" && mv -f "$1.tmp" "$1"
  fi
}

# Puts the upstream file everbit_file back as it was before the swap (or removes it when there was none).
everbit_put_back() {
  if [ -f .everbit/upstream.before ]; then mv -f .everbit/upstream.before "$everbit_file"; else rm -f "$everbit_file"; fi
}

# Points Nginx at a new upstream: UPSTREAM_FILE TEST RELOAD UPSTREAM LIVE_LINE WARM_LINE KEEP. The file is written
# atomically, the operator's TEST command (nginx -t) checks it, the RELOAD command applies it gracefully, and the
# function waits until it has taken: every Nginx worker of before has stopped accepting and new ones run, at most
# everbit_reload_bound seconds. When Nginx refuses either, or the reload does not take, the file as it was is put back
# (and reloaded again after a reload) and the function fails with 3 and what Nginx said; nothing else changed. Only
# then do the state files name the new live release and the warm one (WARM_LINE empty: none), whose window ends KEEP
# seconds from now. TEST and RELOAD run without the lock's descriptor: a reload that starts a daemon
# (nginx -s reload || nginx) must not keep the lock.
everbit_swap() {
  everbit_file=$1
  everbit_test=$2
  everbit_reload=$3
  mkdir -p "$(dirname -- "$everbit_file")" .everbit || return 1
  if [ -f "$everbit_file" ]; then cp -p "$everbit_file" .everbit/upstream.before || return 1; else rm -f .everbit/upstream.before; fi
  { printf '%s' "$4" > "$everbit_file.tmp.$$" && mv -f "$everbit_file.tmp.$$" "$everbit_file"; } || return 1
  if ! said=$(sh -c "$everbit_test" 9>&- 2>&1); then
    everbit_put_back
    printf '%s\n' "$said"
    printf 'everbit: Nginx refused the new upstream (%s): the upstream file as it was is back, Nginx was not reloaded\n' "$everbit_test"
    return 3
  fi
  everbit_before=$(everbit_workers)
  if [ -z "$everbit_before" ]; then
    everbit_put_back
    echo 'everbit: no Nginx worker process is seen on the VM (ps): a switch could not be confirmed, so Nginx was not reloaded and the upstream file as it was is back'
    return 3
  fi
  everbit_t0=$(date +%s%N)
  if ! said=$(sh -c "$everbit_reload" 9>&- 2>&1); then
    everbit_put_back
    sh -c "$everbit_reload" >/dev/null 2>&1 9>&-
    printf '%s\n' "$said"
    printf 'everbit: reloading Nginx failed (%s): the upstream file as it was is back\n' "$everbit_reload"
    return 3
  fi
  # The reload only signals the master: until its workers of before stop accepting, new connections still go to the
  # upstream of before. The switch is true once they have.
  everbit_end=$(($(date +%s) + everbit_reload_bound))
  until everbit_reloaded; do
    if [ "$(date +%s)" -ge "$everbit_end" ]; then
      everbit_put_back
      sh -c "$everbit_reload" >/dev/null 2>&1 9>&-
      [ -z "$said" ] || printf '%s\n' "$said"
      printf 'everbit: Nginx did not take the reload within %ss (its worker processes of before still accept connections; see Nginx'\''s error log; reload: %s): the upstream file as it was is back\n' \
        "$everbit_reload_bound" "$everbit_reload"
      return 3
    fi
    sleep 0.05
  done
  # GNU date has %N; elsewhere the figure is left out rather than guessed.
  everbit_t1=$(date +%s%N)
  case "$everbit_t0$everbit_t1" in
    *[!0-9]*) ;;
    *) echo "everbit: Nginx took the reload $(((everbit_t1 - everbit_t0) / 1000000)) ms after it was signalled: no worker of before accepts connections" ;;
  esac
  rm -f .everbit/upstream.before
  everbit_switched "$5" "$6" "$7"
}

# After a switch Nginx was seen to take: the state files name the new live release LIVE_LINE and the warm one
# WARM_LINE (empty: none), whose window ends KEEP seconds from now.
everbit_switched() {
  everbit_state_write .everbit/proxy.live "$1"
  if [ -z "$2" ]; then
    rm -f .everbit/proxy.warm
  else
    printf '%s %s\n' "$2" "$(($(date +%s) + $3))" > .everbit/proxy.warm.tmp && mv -f .everbit/proxy.warm.tmp .everbit/proxy.warm
  fi
}

# How long Nginx may take, once the flag is flipped, to answer a request from the new slot; longer is a failed switch
# (ProxyScripts.FLIP_BOUND_SECONDS). Nginx stats the flag on each request, so the first request after the flip
# normally shows it: the bound is for a busy VM.
everbit_flip_bound=10

# Prints present when the flag file FLAG exists, else absent.
everbit_flag_state() {
  if [ -e "$1" ]; then echo present; else echo absent; fi
}

# Sets the flag file FLAG to STATE: present (an empty file, written under a temporary name and renamed, so that
# Nginx sees it whole or not at all) or absent (removed). Its directory is made only when missing: each process
# started here is time the switch takes.
everbit_flag_set() {
  if [ "$2" = present ]; then
    case $1 in */*) everbit_d=${1%/*} ;; *) everbit_d=. ;; esac
    { [ -d "$everbit_d" ] || mkdir -p "$everbit_d"; } && : > "$1.tmp.$$" && mv -f "$1.tmp.$$" "$1"
  else
    rm -f "$1"
  fi
}

# Asks URL, within SECONDS, which slot Nginx chose for it: URL SECONDS. Prints "everbit_http_status=CODE
# everbit_slot=VALUE" (VALUE: the X-Everbit-Slot header of the last response, empty when it has none), then, when the
# client said why a request failed, everbit_http_error=... (curl, or wget where curl is missing). The headers are data:
# the caller compares them, nothing runs them. Run in the caller's shell, not a subshell, and the answer handed to awk
# as a here-document: a switch waits for this, and each process started here is time it takes.
everbit_http_slot() {
  if command -v curl >/dev/null 2>&1; then
    everbit_r=$(curl -sS -o /dev/null -D - --connect-timeout "$2" --max-time "$2" "$1" 2>&1)
  elif command -v wget >/dev/null 2>&1; then
    everbit_to=
    command -v timeout >/dev/null 2>&1 && everbit_to="timeout $2"
    everbit_r=$($everbit_to wget -S -O /dev/null "$1" 2>&1)
  else
    everbit_r='neither curl nor wget is installed on the VM'
  fi
  # wget indents the headers it prints; a redirect followed makes more than one response, the last one counts.
  awk '
    { sub(/\r$/, "") }
    $1 ~ /^HTTP\/[0-9.]+$/ { status = $2; slot = ""; next }
    tolower($1) == "x-everbit-slot:" { slot = $2; next }
    /^(curl|wget|timeout|neither)/ { error = $0 }
    END {
      printf "everbit_http_status=%s everbit_slot=%s\n", status, slot
      if (error != "") print "everbit_http_error=" substr(error, 1, 200)
    }' <<everbit_answer_end
$everbit_r
everbit_answer_end
}

# Succeeds when a request to URL, through Nginx, is answered from SLOT: the X-Everbit-Slot header names it and the
# status is below 500 (the slot answered, not Nginx for a slot it could not reach). What the request got is left in
# everbit_said. URL SLOT.
everbit_serves() {
  everbit_said=$(everbit_http_slot "$1" 2)
  # The first line; a slot's name has no space, so nothing else can follow it on that line.
  case $everbit_said in
    "everbit_http_status="[234][0-9][0-9]" everbit_slot=$2" | "everbit_http_status="[234][0-9][0-9]" everbit_slot=$2"[[:space:]]*) return 0 ;;
  esac
  return 1
}

# Switches Nginx to another slot without a reload: FLAG STATE URL SLOT LIVE_LINE WARM_LINE KEEP. The operator's Nginx
# chooses the slot on each request by whether the flag file FLAG exists; the function sets it to STATE (present or
# absent, atomically), then asks URL through Nginx until the answer comes from SLOT (everbit_serves), at most
# everbit_flip_bound seconds, every 50 ms. When it does not, the flag as it was is put back and the function fails
# with 3 and what the last request got; nothing else changed. Only then do the state files name the new live release
# and the warm one (everbit_switched).
everbit_flip() {
  if [ -e "$1" ]; then everbit_was=present; else everbit_was=absent; fi
  everbit_end=$(($(date +%s) + everbit_flip_bound))
  everbit_t0=$(date +%s%N)
  if ! everbit_flag_set "$1" "$2"; then
    everbit_flag_set "$1" "$everbit_was"
    printf 'everbit: the flag file %s could not be made %s: nothing was switched\n' "$1" "$2"
    return 3
  fi
  until everbit_serves "$3" "$4"; do
    if [ "$(date +%s)" -ge "$everbit_end" ]; then
      everbit_flag_set "$1" "$everbit_was"
      printf '%s\n' "$everbit_said"
      printf 'everbit: Nginx did not answer %s from %s within %ss of the flag file %s being made %s (its X-Everbit-Slot header and a status below 500; check that Nginx reads this flag file with no open_file_cache, and that the location sets the header): the flag as it was (%s) is back\n' \
        "$3" "$4" "$everbit_flip_bound" "$1" "$2" "$everbit_was"
      return 3
    fi
    sleep 0.05
  done
  everbit_t1=$(date +%s%N)
  case "$everbit_t0$everbit_t1" in
    *[!0-9]*) ;;
    *) echo "everbit: Nginx answered from $4 $(((everbit_t1 - everbit_t0) / 1000000)) ms after the flag file was made $2" ;;
  esac
  everbit_switched "$5" "$6" "$7"
}

# What the VM does on its own when a proxy switch is interrupted (the call the switch writes to .everbit/proxy.restore,
# run by everbit_restore_switch): UPSTREAM_FILE RELOAD LIVE_SERVICE UPSTREAM LIVE_LINE WARM_LINE PIN STOP. It makes
# LIVE_SERVICE live again, starting it only if it does not run, with the upstream UPSTREAM (empty: the file is left
# alone), the pin of PIN (empty: left alone) and the state files as given, then stops STOP (the slot the switch was
# bringing up; empty: none). Succeeds when the live release was made healthy and Nginx took it.
everbit_proxy_restore() {
  everbit_restore_rc=0
  everbit_restore_running "$3"
  if [ -n "$4" ]; then
    everbit_before=$(everbit_workers)
    { printf '%s' "$4" > "$1.tmp.$$" && mv -f "$1.tmp.$$" "$1" && sh -c "$2" 9>&-; } || everbit_restore_rc=1
    # As in a switch: Nginx sends to the live release once its workers of before have stopped accepting; only then
    # may the slot that was being started stop, and the restore count as done.
    everbit_end=$(($(date +%s) + everbit_reload_bound))
    while [ -n "$everbit_before" ] && ! everbit_reloaded; do
      if [ "$(date +%s)" -ge "$everbit_end" ]; then
        echo "everbit: Nginx did not take the restore's reload within ${everbit_reload_bound}s"
        everbit_restore_rc=1
        break
      fi
      sleep 0.05
    done
  fi
  everbit_restore_rest "$7" "$5" "$6" "$8"
}

# The restore of an interrupted switch by a flag file (everbit_flip), as everbit_proxy_restore does it for a reload:
# FLAG STATE URL SLOT LIVE_SERVICE LIVE_LINE WARM_LINE PIN STOP. The flag is made STATE again (empty: left alone),
# and only once a request to URL through Nginx is answered from SLOT (at most everbit_flip_bound seconds, else the
# restore counts as failed) may STOP, the slot the switch was bringing up, stop.
everbit_flag_restore() {
  everbit_restore_rc=0
  everbit_restore_running "$5"
  if [ -n "$2" ]; then
    everbit_flag_set "$1" "$2" || everbit_restore_rc=1
    everbit_end=$(($(date +%s) + everbit_flip_bound))
    until everbit_serves "$3" "$4"; do
      if [ "$(date +%s)" -ge "$everbit_end" ]; then
        printf '%s\n' "$everbit_said"
        echo "everbit: Nginx did not answer $3 from $4 within ${everbit_flip_bound}s of the restore's flag"
        everbit_restore_rc=1
        break
      fi
      sleep 0.05
    done
  fi
  everbit_restore_rest "$8" "$6" "$7" "$9"
}

# The first step of a restore: starts the slot SERVICE (empty: none) unless its container runs, and waits until it
# is healthy; a restore that could not make it so fails (everbit_restore_rc=1).
everbit_restore_running() {
  [ -n "$1" ] || return 0
  cid=$(everbit_compose .everbit/slots.yaml ps -q "$1" 2>/dev/null | head -n 1)
  if [ -z "$cid" ] || [ "$(docker inspect --format '{{.State.Running}}' "$cid")" != true ]; then
    everbit_compose .everbit/slots.yaml up -d --no-deps "$1"
    cid=$(everbit_compose .everbit/slots.yaml ps -q "$1" 2>/dev/null | head -n 1)
    everbit_wait_healthy "$cid" "${everbit_health:-120}" || everbit_restore_rc=1
  fi
}

# The last step of a restore, once Nginx sends to the live release: the pin of PIN (empty: left alone), the state
# files as LIVE_LINE and WARM_LINE give them, then STOP stopped (empty: none). Succeeds when the restore did.
everbit_restore_rest() {
  [ -z "$1" ] || (everbit_write_pin .everbit/pin.yaml "$1")
  everbit_state_write .everbit/proxy.live "$2"
  everbit_state_write .everbit/proxy.warm "$3"
  [ -z "$4" ] || (everbit_slot_stop "$4")
  [ "$everbit_restore_rc" = 0 ]
}

# Retires the warm SERVICE of compose project PROJECT, under the lock: only while proxy.warm still names that service
# and its window has ended (FORCE 1: even before, its slot being needed). A later switch that warmed it again has its
# own timer. PROJECT SERVICE FORCE.
everbit_retire() {
  [ -f .everbit/proxy.warm ] || return 0
  read -r everbit_ws everbit_wi _ everbit_wu < .everbit/proxy.warm || [ -n "$everbit_ws" ] || return 0
  [ "$everbit_ws" = "$2" ] || return 0
  if [ "$3" != 1 ]; then
    case ${everbit_wu:-0} in *[!0-9]*) return 0 ;; esac
    [ "${everbit_wu:-0}" -le "$(date +%s)" ] || return 0
  fi
  printf 'everbit: %s retiring the warm %s (%s)\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$2" "$everbit_wi"
  cid=$(docker ps -q --filter "label=com.docker.compose.project=$1" --filter "label=com.docker.compose.service=$2")
  # shellcheck disable=SC2086 # one word per container id
  [ -z "$cid" ] || docker stop -t 30 $cid >/dev/null
  rm -f .everbit/proxy.warm
}

# Retires the warm SERVICE now, under the session's lock: SERVICE FORCE (see everbit_retire).
everbit_retire_warm() {
  everbit_project || return 1
  everbit_retire "$project" "$1" "$2"
}

# Retires the warm SERVICE once its window of SECONDS has ended, from a detached timer that outlives the session (a
# session id of its own, without the lock's descriptor) and then takes the lock itself: SERVICE SECONDS.
everbit_retire_later() {
  everbit_project || return 1
  # shellcheck disable=SC2016 # expanded by the timer's own shell
  setsid sh -c "$everbit_lib"'
everbit_retire_timer "$@"' everbit-retire "$project" "$1" "$2" </dev/null >>.everbit/recovery.log 2>&1 9>&- &
}

# The warm window's timer: PROJECT SERVICE SECONDS. Sleeps, takes the deploy lock (naming itself the holder), retires.
everbit_retire_timer() {
  sleep "$3"
  exec 9>>.everbit/deploy.lock
  flock -w 3600 9 || exit 0
  printf 'the warm window timer (pid %s) retiring %s since %s\n' "$$" "$2" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" > .everbit/lock.holder
  everbit_retire "$1" "$2" 0
}
