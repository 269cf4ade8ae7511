#!/usr/bin/env bash
# Lays out the build context of the sandbox test application (see scripts/sandbox-app/Dockerfile).
#   scripts/sandbox-app.sh [DIR]     (default DIR: .sandbox/app/context at the repository root)
# Copies the committed Dockerfile, app/ and www/ and Debian's static busybox (package busybox-static,
# never committed) into DIR, then prints DIR. Build a variant with, for example:
#   docker build -t 127.0.0.1:5000/sandbox-app:r1 --build-arg RELEASE=r1 --build-arg ERRORS=high DIR
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
src="$root/scripts/sandbox-app"
dir="${1:-$root/.sandbox/app/context}"

busybox="$(command -v busybox || true)"
if [[ -z "$busybox" ]]; then
  echo "sandbox-app: busybox not found: apt-get install busybox-static" >&2
  exit 1
fi
# The image is FROM scratch: a dynamically linked busybox (package busybox) would not run in it.
if ! dpkg-query -W -f='${Status}' busybox-static 2>/dev/null | grep -q 'install ok installed'; then
  echo "sandbox-app: package busybox-static is not installed ($busybox may be dynamically linked)" >&2
  exit 1
fi

mkdir -p "$dir"
rm -rf "$dir/app" "$dir/www"
cp "$src/Dockerfile" "$dir/Dockerfile"
cp -R "$src/app" "$src/www" "$dir/"
# Keep the copy's mtime stable across runs when the binary did not change (cheaper rebuilds).
if ! cmp -s "$busybox" "$dir/busybox"; then
  cp "$busybox" "$dir/busybox"
fi
chmod 0755 "$dir/busybox"
echo "$dir"
