#!/usr/bin/env bash
# Benchmark (run on request, not a test): `everbit-deploy rollback --to SHA` against the same switch typed by hand
# as ONE ssh call (pin + compose up -d + wait healthy), on the sandbox VM, alternating, ROUNDS times each.
# Prints every timing, the medians, their ratio (target: at most 1.1x), the SSH connections per rollback, and the round
# trips of a deploy, a rollback to a SHA and one to "previous" (the SSH session's hello and the rest after it).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$root"
rounds="${ROUNDS:-7}"
bash scripts/test-env.sh >/dev/null
env_file=.sandbox/env.properties
prop() { sed -n "s/^$1=//p" "$env_file"; }
bin/everbit-deploy --version >/dev/null 2>&1

image="$(prop registry.host)/everbit-bench/server"
port=18095
dir="$(prop vm.root)/bench"
mkdir -p "$dir"
printf 'services:\n  server:\n    image: %s:unset\n    network_mode: host\n    environment:\n      PORT: "%s"\n' "$image" "$port" > "$dir/compose.yaml"
chown -R "$(prop ssh.user)" "$dir"
conn=(--host "$(prop ssh.host)" --port "$(prop ssh.port)" --user "$(prop ssh.user)" --identity "$(prop ssh.identity)"
      --known-hosts "$(prop ssh.knownHosts)" --dir "$dir")
compose=(--compose compose.yaml --service server --image "$image")
login=(--registry-user "$(prop registry.user)" --registry-token-file "$(prop registry.tokenFile)")
ssh_cmd=(ssh -T -o BatchMode=yes -o StrictHostKeyChecking=yes -o "UserKnownHostsFile=$(prop ssh.knownHosts)"
         -i "$(prop ssh.identity)" -p "$(prop ssh.port)" "$(prop ssh.user)@$(prop ssh.host)")
tool() { bin/everbit-deploy "$@"; }

a="$(printf 'bench a' | sha1sum | cut -c1-40)"
b="$(printf 'bench b' | sha1sum | cut -c1-40)"
for sha in "$a" "$b"; do
  tool build --image "$image" --sha "$sha" --context "$(prop app.context)" --build-arg "RELEASE=$sha" >/dev/null 2>&1
  tool push --image "$image" --sha "$sha" "${login[@]}" >/dev/null 2>&1
  tool up "${conn[@]}" "${compose[@]}" --sha "$sha" "${login[@]}" >/dev/null 2>&1
done

by_hand() { # the standard's rollback typed by hand: pin the SHA, up -d, wait until healthy, in one ssh call
  "${ssh_cmd[@]}" "cd '$dir' && printf 'services:\n  server:\n    image: \"%s\"\n' '$image:$1' > .everbit/pin.yaml &&
    docker-compose -f compose.yaml -f .everbit/pin.yaml up -d --no-deps server 2>/dev/null &&
    cid=\$(docker-compose -f compose.yaml -f .everbit/pin.yaml ps -q server) &&
    until [ \"\$(docker inspect -f '{{.State.Health.Status}}' \$cid)\" = healthy ]; do sleep 0.2; done"
}
by_tool() { tool rollback "${conn[@]}" "${compose[@]}" --to "$1" >/dev/null 2>&1; }
millis() { local s e; s=$(date +%s%N); "$@"; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
median() { sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }

tool_ms=(); hand_ms=(); target="$a"
for ((i = 1; i <= rounds; i++)); do
  if ((i % 2)); then order=(tool hand); else order=(hand tool); fi
  for who in "${order[@]}"; do
    if [ "$who" = tool ]; then t=$(millis by_tool "$target"); tool_ms+=("$t"); else t=$(millis by_hand "$target"); hand_ms+=("$t"); fi
    echo "round $i: $who -> ${target:0:7}: ${t} ms"
    if [ "$target" = "$a" ]; then target="$b"; else target="$a"; fi
  done
done
[ "$(curl -fsS "http://127.0.0.1:$port/release")" = "$( [ "$target" = "$a" ] && echo "$b" || echo "$a")" ] || { echo "the last switch is not serving" >&2; exit 1; }

log="$(prop sandbox.dir)/logs/sshd.log"
sleep 1; before=$(grep -c 'Accepted publickey' "$log" || true)
by_tool "$target"
sleep 1; after=$(grep -c 'Accepted publickey' "$log" || true)

tm=$(printf '%s\n' "${tool_ms[@]}" | median); hm=$(printf '%s\n' "${hand_ms[@]}" | median)
echo "median rollback --to SHA: ${tm} ms; by hand (one ssh call): ${hm} ms; ratio $(awk "BEGIN {printf \"%.2f\", $tm / $hm}")x (target <= 1.1x)"
echo "SSH connections for one rollback: $((after - before))"

# Round trips, counted on one more of each command, untimed, with a stand-in for ssh between the tool and the VM.
# shellcheck source=scripts/bench-round-trips.sh
. scripts/bench-round-trips.sh
counting="$(prop sandbox.dir)/bench-rollback-counting"
if [ "$target" = "$a" ]; then other="$b"; else other="$a"; fi
deploy_trips=$(counted "$counting" "$counting/deploy.out" tool up "${conn[@]}" "${compose[@]}" --sha "$other" "${login[@]}")
previous_trips=$(counted "$counting" "$counting/previous.out" tool rollback "${conn[@]}" "${compose[@]}" --to previous)
sha_trips=$(counted "$counting" "$counting/sha.out" tool rollback "${conn[@]}" "${compose[@]}" --to "$other")
echo "round trips (the SSH session's hello included): deploy $deploy_trips, rollback --to SHA $sha_trips, rollback --to previous $previous_trips"
tool up "${conn[@]}" "${compose[@]}" --sha "$a" "${login[@]}" >/dev/null 2>&1 || true
"${ssh_cmd[@]}" "cd '$dir' && docker-compose -f compose.yaml -f .everbit/pin.yaml down -t 1" >/dev/null 2>&1 || true
