#!/usr/bin/env bash
# Benchmark (run on request, not a test): requests through a real Nginx while releases switch, on the sandbox VM.
# An app that needs START_DELAY (3) seconds before it listens; a stream of at least N (5000) requests per phase
# from 4 threads on loopback (scripts/bench-zero-downtime/Stream.java). Phases: a proxy-mode deploy of a new SHA, a
# warm rollback (a swap), and a restart-mode deploy (stop first) through an Nginx pointed at the plain service.
# switch = from the tool's "healthy" line to the first answer of the new release through Nginx (the VM switches right
# after healthy, in the same round trip, while the tool prints that line: a few ms either way, even below 0), and
# from healthy to Nginx confirmed as the tool saw the VM's answers arrive; warm rollback = the whole command, JVM start
# included. Prints last:
#   zero-downtime: proxy deploy F/N failed, warm rollback F/N failed, restart deploy F/N failed; switch S ms (confirmed
#   C ms after healthy); warm rollback R ms
#   in T round trips (the SSH session's hello and T-1 after it); a proxy deploy in D
# and, before it, the medians of ROUNDS (5) warm rollbacks and as many swaps typed by hand, alternating, and their ratio.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$root"
min="${N:-5000}"
delay="${START_DELAY:-3}"
# A sandbox already running elsewhere (EVERBIT_SANDBOX_ENV, as the tests take it) is used as it is.
if [ -z "${EVERBIT_SANDBOX_ENV:-}" ]; then bash scripts/test-env.sh >/dev/null; fi
env_file="${EVERBIT_SANDBOX_ENV:-.sandbox/env.properties}"
prop() { sed -n "s/^$1=//p" "$env_file"; }
bin/everbit-deploy --version >/dev/null 2>&1
work="$(prop sandbox.dir)/bench-zero-downtime"
rm -rf "$work"; mkdir -p "$work"
context="$(scripts/sandbox-app.sh "$work/context")"
image="$(prop registry.host)/everbit-bench/zero-downtime"
user="$(prop ssh.user)"
ssh_cmd=(ssh -T -n -o BatchMode=yes -o StrictHostKeyChecking=yes -o "UserKnownHostsFile=$(prop ssh.knownHosts)"
         -i "$(prop ssh.identity)" -p "$(prop ssh.port)" "$user@$(prop ssh.host)")
login=(--registry-user "$(prop registry.user)" --registry-token-file "$(prop registry.tokenFile)")
nginx_bin="$(command -v nginx)"
tool() { bin/everbit-deploy "$@"; }
stamp() { while IFS= read -r line; do printf '%s %s\n' "$(date +%s%3N)" "$line"; done; }

a="$(printf 'zero-downtime a' | sha1sum | cut -c1-40)"
b="$(printf 'zero-downtime b' | sha1sum | cut -c1-40)"
for sha in "$a" "$b"; do
  tool build --image "$image" --sha "$sha" --context "$context" --build-arg "RELEASE=$sha" \
    --build-arg "START_DELAY=$delay" >/dev/null 2>&1
  tool push --image "$image" --sha "$sha" "${login[@]}" >/dev/null 2>&1
done

teardown() { # DIR: its containers (the slots too) and its Nginx
  "${ssh_cmd[@]}" "cd '$1' && docker-compose -f compose.yaml \$( [ -f .everbit/slots.yaml ] && echo -f .everbit/slots.yaml ) down -t 1 >/dev/null 2>&1;
    $(nginx_of "$1") -s stop >/dev/null 2>&1; true"
}
nginx_of() { echo "$nginx_bin -p $1/nginx -e $1/nginx/error.log -c $1/nginx/nginx.conf"; }

# One deploy dir per mode, each with its own Nginx (run as the VM user, so the tool reloads it over SSH).
setup() { # NAME APP_PORT NGINX_PORT UPSTREAM [SITE] -> prints the dir; SITE: Nginx's upstreams and server, else
  # an upstream that includes the tool's upstream file, and a server on NGINX_PORT that sends to it
  local dir ng site
  dir="$(prop vm.root)/bench-zd-$1"
  ng="$dir/nginx"
  site="${5:-"  upstream app { include $dir/.everbit/nginx/upstream.conf; }
  server { listen 127.0.0.1:$3; location / { proxy_pass http://app; } }"}"
  if [ -d "$dir" ]; then teardown "$dir"; rm -rf "$dir"; fi
  mkdir -p "$dir/.everbit/nginx" "$ng/tmp"
  cat > "$dir/compose.yaml" <<YAML
services:
  server:
    image: $image:unset
    network_mode: host
    environment:
      PORT: "$2"
      APP_STOP_GRACE: "2"
    healthcheck:
      test: ["CMD", "/bin/busybox", "sh", "-c", "/bin/busybox wget -q -O /dev/null http://127.0.0.1:\$\$PORT/release"]
      interval: 1s
      start_period: 20s
      retries: 3
YAML
  printf 'server %s;\n' "$4" > "$dir/.everbit/nginx/upstream.conf"
  cat > "$ng/nginx.conf" <<CONF
worker_processes 1;
pid $ng/nginx.pid;
error_log $ng/error.log warn;
events { worker_connections 512; }
http {
  access_log off;
  client_body_temp_path $ng/tmp; proxy_temp_path $ng/tmp; fastcgi_temp_path $ng/tmp; uwsgi_temp_path $ng/tmp; scgi_temp_path $ng/tmp;
$site
}
CONF
  chown -R "$user" "$dir"
  "${ssh_cmd[@]}" "$nginx_bin -p $ng -e $ng/error.log -c $ng/nginx.conf -s stop >/dev/null 2>&1; sleep 0.3;
    $nginx_bin -p $ng -e $ng/error.log -c $ng/nginx.conf </dev/null >/dev/null 2>&1"
  echo "$dir"
}
conn() { echo --host "$(prop ssh.host)" --port "$(prop ssh.port)" --user "$user" --identity "$(prop ssh.identity)" \
  --known-hosts "$(prop ssh.knownHosts)" --dir "$1"; }
compose=(--compose compose.yaml --service server --image "$image")

# A phase: the stream runs from before the command until it ended and at least $min requests were sent.
phase() { # NAME URL NEW_BODY COMMAND... -> $work/NAME.{stream,out,ms}
  local name="$1" url="$2" new="$3"; shift 3
  rm -f "$work/$name.stop"
  java scripts/bench-zero-downtime/Stream.java "$url" "$new" "$min" "$work/$name.stop" > "$work/$name.stream" &
  local stream=$! s e
  sleep 1
  s=$(date +%s%N)
  "$@" 2>&1 | stamp > "$work/$name.out" || true
  e=$(date +%s%N)
  echo $(( (e - s) / 1000000 )) > "$work/$name.ms"
  touch "$work/$name.stop"
  wait "$stream"
  echo "$name: $(cat "$work/$name.stream"), command $(cat "$work/$name.ms") ms"
}
field() { sed -n "s/.*$2=\([0-9]*\).*/\1/p" "$work/$1.stream"; }

proxy_dir="$(setup proxy 18097 18098 127.0.0.1:1)"
proxy_ng="$(nginx_of "$proxy_dir")"
proxy=(--switch proxy --proxy-test "$proxy_ng -t -q" --proxy-reload "$proxy_ng -s reload" --proxy-host 127.0.0.1
       --proxy-port 18101 --proxy-port 18102 --proxy-port-env PORT --drain 2 --warm 300)
# Round trips are counted on untimed commands, with a stand-in for ssh between the tool and the VM.
# shellcheck source=scripts/bench-round-trips.sh
. scripts/bench-round-trips.sh
# The first proxy-mode deploy (a slot started, Nginx pointed at it), counted.
# shellcheck disable=SC2046
deploy_trips=$(counted "$work/counting" "$work/counted-deploy.out" tool up $(conn "$proxy_dir") "${compose[@]}" --sha "$a" "${login[@]}" "${proxy[@]}")
grep -q "Nginx sends to" "$work/counted-deploy.out" || { echo "the counted deploy did not switch:" >&2; cat "$work/counted-deploy.out" >&2; exit 1; }
# shellcheck disable=SC2046
phase proxy-deploy http://127.0.0.1:18098/release "$b" tool deploy $(conn "$proxy_dir") "${compose[@]}" --sha "$b" \
  "${login[@]}" "${proxy[@]}" --url http://127.0.0.1:18098/actuator/health
healthy=$(grep -m1 "server-green runs" "$work/proxy-deploy.out" | cut -d' ' -f1)
switch_ms=$(( $(field proxy-deploy first_new_ms) - healthy ))
# Healthy to Nginx confirmed, as the tool saw the VM's answers for both arrive (its line after the switch says it).
confirmed() { sed -n 's/.*Nginx sends to server-[a-z]* ([^)]*) \([0-9]*\) ms after it was healthy.*/\1/p' "$work/$1.out" | head -n 1; }
switch_confirmed=$(confirmed proxy-deploy)
# shellcheck disable=SC2046
phase warm-rollback http://127.0.0.1:18098/release "$a" tool rollback $(conn "$proxy_dir") "${compose[@]}" --to previous "${proxy[@]}"
grep -q "still warm" "$work/warm-rollback.out" || { echo "the rollback was not a swap:" >&2; cat "$work/warm-rollback.out" >&2; exit 1; }
# The round trips of a warm rollback, counted on another one (back to B, warm now).
# shellcheck disable=SC2046
round_trips=$(counted "$work/counting" "$work/counted-rollback.out" tool rollback $(conn "$proxy_dir") "${compose[@]}" --to "$b" "${proxy[@]}")
grep -q "still warm" "$work/counted-rollback.out" || { echo "the counted rollback was not a swap:" >&2; cat "$work/counted-rollback.out" >&2; exit 1; }

# Warm rollbacks, the whole command from exec to exit, against the same swap typed by hand as one ssh call (the
# upstream file Nginx uses written again, nginx -t, reload), alternating, ROUNDS (5) times each: medians, ratio.
rounds="${ROUNDS:-5}"
took_ms() { # COMMAND... -> its milliseconds; its output in $work/took.out
  local s e
  s=$(date +%s%N)
  "$@" > "$work/took.out" 2>&1 || { echo "failed: $*" >&2; cat "$work/took.out" >&2; exit 1; }
  e=$(date +%s%N)
  echo $(( (e - s) / 1000000 ))
}
median() { printf '%s\n' "$@" | sort -n | sed -n "$(( ($# + 1) / 2 ))p"; }
# time_rollbacks DIR FIRST HAND OPTION...: ROUNDS warm rollbacks of DIR with OPTION... (to FIRST, then to the other
# release, and so on), each followed by HAND, the same swap typed by hand as one ssh call; the milliseconds in
# tool_runs and hand_runs, their medians and ratio in tool_median, hand_median and ratio.
time_rollbacks() {
  local dir="$1" to="$2" hand="$3"
  shift 3
  tool_runs=() hand_runs=()
  for _ in $(seq "$rounds"); do
    # shellcheck disable=SC2046
    tool_runs+=("$(took_ms tool rollback $(conn "$dir") "${compose[@]}" --to "$to" "$@")")
    grep -q "still warm" "$work/took.out" || { echo "a timed rollback was not a swap:" >&2; cat "$work/took.out" >&2; exit 1; }
    hand_runs+=("$(took_ms "${ssh_cmd[@]}" "$hand")")
    if [ "$to" = "$a" ]; then to="$b"; else to="$a"; fi
  done
  tool_median=$(median "${tool_runs[@]}")
  hand_median=$(median "${hand_runs[@]}")
  ratio=$(awk -v t="$tool_median" -v h="$hand_median" 'BEGIN { printf "%.2f", t / h }')
  next_to="$to"
}
# breakdown DIR TO OPTION...: one more warm rollback (to TO, warm), its output stamped line by line: where its time
# goes, from exec to the VM's first answer (the JVM, the ssh-agent, the SSH connection, the hello that opens the
# project), the lock's round trip, the switch's, then the record, the session's end and the JVM's exit; beside them
# the JVM alone (--version) and an SSH connection alone (ssh VM true).
breakdown() {
  local dir="$1" to="$2" s e first locked switched version connection
  shift 2
  s=$(date +%s%3N)
  # shellcheck disable=SC2046
  tool rollback $(conn "$dir") "${compose[@]}" --to "$to" "$@" 2>&1 | stamp > "$work/breakdown.out"
  e=$(date +%s%3N)
  grep -q "still warm" "$work/breakdown.out" || { echo "the rollback was not a swap:" >&2; cat "$work/breakdown.out" >&2; exit 1; }
  first=$(sed -n '1s/ .*//p' "$work/breakdown.out")
  locked=$(grep -m1 'take the deploy lock' "$work/breakdown.out" | cut -d' ' -f1)
  switched=$(grep -m1 'point Nginx at' "$work/breakdown.out" | cut -d' ' -f1)
  version=$(took_ms tool --version)
  connection=$(took_ms "${ssh_cmd[@]}" true)
  echo "warm rollback, where its $((e - s)) ms go: to the VM's first answer $((first - s)) ms (the JVM alone" \
    "${version} ms, an SSH connection alone ${connection} ms), the lock's round trip $((locked - first)) ms, the" \
    "switch's $((switched - locked)) ms, the record, the session's end and the exit $((e - switched)) ms"
}
upstream="$proxy_dir/.everbit/nginx/upstream.conf"
time_rollbacks "$proxy_dir" "$a" \
  "cp $upstream $upstream.tmp && mv -f $upstream.tmp $upstream && $proxy_ng -t -q && $proxy_ng -s reload" "${proxy[@]}"
echo "warm rollback: the command ${tool_median} ms (median of ${tool_runs[*]}), the swap by hand in one ssh call" \
  "${hand_median} ms (median of ${hand_runs[*]}): ${ratio}x (targets: under 1000 ms, at most 1.5x)"
breakdown "$proxy_dir" "$next_to" "${proxy[@]}"

# The switch without a reload (--proxy-swap flag): README's Nginx snippet, a static upstream block per slot, the slot
# picked on each request by whether the flag file exists. switch = from the tool's "healthy" line to the first answer
# of the new release through Nginx, as above; the tool's own figure (flip to confirmed, on the VM) beside it.
# The service first answers where the block the flag picks today (blue, no flag file) sends: as README asks.
flag_dir="$(setup flag 18111 18106 127.0.0.1:1 "  upstream server-blue  { server 127.0.0.1:18111; }
  upstream server-green { server 127.0.0.1:18112; }
  server {
    listen 127.0.0.1:18106;
    location / {
      set \$everbit_slot server-blue;
      if (-f $(prop vm.root)/bench-zd-flag/.everbit/nginx/green.live) { set \$everbit_slot server-green; }
      add_header X-Everbit-Slot \$everbit_slot always;
      proxy_pass http://\$everbit_slot;
    }
  }")"
flag=(--switch proxy --proxy-swap flag --proxy-confirm-url http://127.0.0.1:18106/release --proxy-host 127.0.0.1
      --proxy-port 18111 --proxy-port 18112 --proxy-port-env PORT --drain 2 --warm 300)
# A in restart mode, then B in green by a flag switch (the plain service drained, then retired), then the timed
# deploy of A in blue once the plain service has let its port go (bounded), which leaves B warm in green.
# shellcheck disable=SC2046
tool up $(conn "$flag_dir") "${compose[@]}" --sha "$a" "${login[@]}" >/dev/null 2>&1
# shellcheck disable=SC2046
tool up $(conn "$flag_dir") "${compose[@]}" --sha "$b" "${login[@]}" "${flag[@]}" >/dev/null 2>&1
for _ in $(seq 60); do
  curl -s -o /dev/null --max-time 1 http://127.0.0.1:18111/release || break
  sleep 0.5
done
# shellcheck disable=SC2046
phase flag-deploy http://127.0.0.1:18106/release "$a" tool deploy $(conn "$flag_dir") "${compose[@]}" --sha "$a" \
  "${login[@]}" "${flag[@]}" --url http://127.0.0.1:18106/actuator/health
healthy=$(grep -m1 -E "server-(blue|green) runs" "$work/flag-deploy.out" | cut -d' ' -f1)
flag_switch_ms=$(( $(field flag-deploy first_new_ms) - healthy ))
flag_confirmed=$(sed -n 's/.*Nginx answered from server-[a-z]* \([0-9]*\) ms after.*/\1/p' "$work/flag-deploy.out" | head -n 1)
flag_tool_confirmed=$(confirmed flag-deploy)
flag_file="$flag_dir/.everbit/nginx/green.live"
# By hand: the flag made as it is again (created under another name and renamed, or removed).
time_rollbacks "$flag_dir" "$b" \
  "if [ -f $flag_file ]; then touch $flag_file.tmp && mv -f $flag_file.tmp $flag_file; else rm -f $flag_file; fi" "${flag[@]}"
echo "flag switch: healthy to the first answer of the new release through Nginx ${flag_switch_ms} ms (the tool's flip" \
  "to confirmed: ${flag_confirmed} ms; healthy to confirmed as the tool saw both: ${flag_tool_confirmed} ms); warm rollback: the command ${tool_median} ms (median of ${tool_runs[*]}), by" \
  "hand in one ssh call ${hand_median} ms (median of ${hand_runs[*]}): ${ratio}x (targets: switch under 50 ms," \
  "rollback under 1000 ms, at most 1.5x); $(field flag-deploy failed)/$(field flag-deploy requests) failed"

restart_dir="$(setup restart 18099 18100 127.0.0.1:18099)"
# shellcheck disable=SC2046
tool up $(conn "$restart_dir") "${compose[@]}" --sha "$a" "${login[@]}" >/dev/null 2>&1
# shellcheck disable=SC2046
phase restart-deploy http://127.0.0.1:18100/release "$b" tool deploy $(conn "$restart_dir") "${compose[@]}" --sha "$b" \
  "${login[@]}" --url http://127.0.0.1:18100/actuator/health

teardown "$proxy_dir"
teardown "$flag_dir"
teardown "$restart_dir"
echo "zero-downtime: proxy deploy $(field proxy-deploy failed)/$(field proxy-deploy requests) failed," \
  "warm rollback $(field warm-rollback failed)/$(field warm-rollback requests) failed," \
  "restart deploy $(field restart-deploy failed)/$(field restart-deploy requests) failed;" \
  "switch ${switch_ms} ms (confirmed ${switch_confirmed} ms after healthy); warm rollback $(cat "$work/warm-rollback.ms") ms in $round_trips round trips" \
  "(the session's hello and $((round_trips - 1)) after it); a proxy deploy in $deploy_trips"
