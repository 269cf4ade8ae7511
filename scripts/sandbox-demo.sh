#!/usr/bin/env bash
# The main job on a local sandbox: the loopback test environment plays the VM. Builds and pushes two releases,
# deploys both, rolls back to the previous one and shows the status, all through bin/everbit-deploy.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$root"
bash scripts/test-env.sh >/dev/null
env_file=.sandbox/env.properties
prop() { sed -n "s/^$1=//p" "$env_file"; }

image="$(prop registry.host)/everbit-demo/server"
port=18090
dir="$(prop vm.root)/demo"
mkdir -p "$dir/docker"
cat > "$dir/docker/compose.yaml" <<YAML
# The operator's compose file: the tool pins server's image in its own override, never edits this file.
services:
  server:
    image: $image:unset
    network_mode: host
    environment:
      PORT: "$port"
YAML
chown -R "$(prop ssh.user)" "$dir"

conn=(--host "$(prop ssh.host)" --port "$(prop ssh.port)" --user "$(prop ssh.user)" --identity "$(prop ssh.identity)"
      --known-hosts "$(prop ssh.knownHosts)" --dir "$dir")
compose=(--compose docker/compose.yaml --service server --image "$image")
login=(--registry-user "$(prop registry.user)" --registry-token-file "$(prop registry.tokenFile)")
release() { printf 'everbit demo release %s' "$1" | sha1sum | cut -c1-40; }
serving() { echo "  -> http://127.0.0.1:$port/release says: $(curl -fsS "http://127.0.0.1:$port/release" || echo '(nothing)')"; }

for n in 1 2; do
  sha="$(release "$n")"
  echo "== build and push release $n ($sha)"
  bin/everbit-deploy build --image "$image" --sha "$sha" --context "$(prop app.context)" --build-arg "RELEASE=$sha"
  bin/everbit-deploy push --image "$image" --sha "$sha" "${login[@]}"
  echo "== deploy release $n"
  bin/everbit-deploy up "${conn[@]}" "${compose[@]}" --sha "$sha" "${login[@]}"
  serving
done
echo "== roll back to the previous release"
bin/everbit-deploy rollback "${conn[@]}" "${compose[@]}" --to previous --reason "sandbox demo"
serving
echo "== status"
bin/everbit-deploy status "${conn[@]}"
