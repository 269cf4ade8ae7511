#!/usr/bin/env bash
# Benchmark (run on request, not a test): detection latency of `everbit-deploy verify`, from the moment the
# service becomes healthy to the moment verify reports success. verify polls a loopback URL where nothing
# listens yet; after a random delay a busybox httpd starts answering there, and the first curl that succeeds
# marks "healthy". "Reported" is when verify's closing line ("verify passed ...") is printed; the process exit
# is shown beside it (JVM teardown is not detection). Target: reported within one --interval plus 100 ms.
#   ROUNDS=5 INTERVALS="1000 250" scripts/bench-verify.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$root"
rounds="${ROUNDS:-5}"
intervals="${INTERVALS:-1000 250}"
command -v busybox >/dev/null || { echo "bench-verify: busybox is needed (apt-get install busybox-static)" >&2; exit 1; }
bin/everbit-deploy --version >/dev/null 2>&1

work="$(mktemp -d)"
httpd_pid=
cleanup() { [ -z "$httpd_pid" ] || kill "$httpd_pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
mkdir "$work/www"
printf '{"status":"UP"}\n' > "$work/www/health"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null || echo 18097)"
url="http://127.0.0.1:$port/health"
now_ms() { local t="${EPOCHREALTIME/./}"; echo "${t:0:-3}"; }   # bash 5: no process per reading

verdict_ok=1
for interval in $intervals; do
  reported=()
  for ((i = 1; i <= rounds; i++)); do
    rm -f "$work/reported"
    ( bin/everbit-deploy verify --url "$url" --interval "$interval" --timeout 60 2>/dev/null |
        while IFS= read -r line; do
          case "$line" in "verify passed"*) now_ms > "$work/reported" ;; esac
        done ) &
    verify_pid=$!
    sleep "$(awk -v r="$RANDOM" 'BEGIN { printf "%.3f", 1.5 + (r % 1500) / 1000 }')"
    busybox httpd -f -p "127.0.0.1:$port" -h "$work/www" &
    httpd_pid=$!
    until curl -fsS -o /dev/null "$url" 2>/dev/null; do sleep 0.005; done
    healthy=$(now_ms)
    wait "$verify_pid"
    exited=$(now_ms)
    kill "$httpd_pid"; wait "$httpd_pid" 2>/dev/null || true; httpd_pid=
    [ -s "$work/reported" ] || { echo "bench-verify: verify did not report success" >&2; exit 1; }
    latency=$(( $(cat "$work/reported") - healthy ))
    reported+=("$latency")
    echo "interval ${interval} ms, round $i: success reported ${latency} ms after the service became healthy" \
         "(process exited after $((exited - healthy)) ms)"
  done
  max=$(printf '%s\n' "${reported[@]}" | sort -n | tail -n 1)
  median=$(printf '%s\n' "${reported[@]}" | sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}')
  target=$((interval + 100))
  verdict=ok; [ "$max" -le "$target" ] || { verdict="OVER TARGET"; verdict_ok=0; }
  echo "interval ${interval} ms: detection latency median ${median} ms, max ${max} ms (target <= ${target} ms): ${verdict}"
done
[ "$verdict_ok" = 1 ]
