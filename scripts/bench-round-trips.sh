# shellcheck shell=bash
# Sourced by the benchmarks. counted DIR OUT COMMAND... runs COMMAND (the tool) with a stand-in for ssh between it and
# the VM (scripts/bench-zero-downtime/count-round-trips.py, found first on PATH through a link in DIR, a scratch
# folder) and prints the round trips it took; the command's output goes to OUT.
bench_real_ssh="$(command -v ssh)"
counted() {
  local dir="$1" out="$2"; shift 2
  mkdir -p "$dir"
  ln -sf "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)/bench-zero-downtime/count-round-trips.py" "$dir/ssh"
  rm -f "$dir/round-trips"
  PATH="$dir:$PATH" REAL_SSH="$bench_real_ssh" ROUND_TRIPS_FILE="$dir/round-trips" "$@" > "$out" 2>&1 || true
  cat "$dir/round-trips"
}
