#!/usr/bin/env bash
# Rewrites plugins.txt with every plugin the shipped image installs, each pinned: the set the plugin installation
# manager resolves (--latest false) from the current pins and the built everbit plugin's own dependencies. Needs
# Docker, the update centre and plugin/target/everbit-deploy.hpi (mvn -f plugin/pom.xml package). To take a newer
# plugin, raise its version in plugins.txt first; then run this and review the diff.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
image=$(sed -n 's/^FROM //p' Dockerfile)
repo=$(cd ../.. && pwd)
[[ -f "$repo/plugin/target/everbit-deploy.hpi" ]] || { echo "build the plugin first: mvn -f plugin/pom.xml package" >&2; exit 1; }
resolved=$(docker run --rm -v "$repo:/repo:ro" "$image" jenkins-plugin-cli --latest false --no-download --list \
  --output txt --plugin-file /repo/deploy/jenkins/plugins.txt \
  --plugins everbit-deploy::file:///repo/plugin/target/everbit-deploy.hpi 2>/dev/null)
{
  echo "# Every plugin the image installs, pinned (refresh-plugins.sh writes this list; Dockerfile refuses any other)."
  grep -E '^[a-z0-9-]+:[0-9]' <<< "$resolved" | grep -v '^everbit-deploy:' | sort -u
} > plugins.txt.new
mv plugins.txt.new plugins.txt
echo "plugins.txt: $(grep -vc '^#' plugins.txt) plugins pinned"
