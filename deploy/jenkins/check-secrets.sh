#!/bin/sh
# Checks deploy/jenkins/secrets before `docker compose up`: compose hands each file to the containers with its
# owner and mode, and Jenkins runs as uid 1000, so each must be readable by uid 1000 (owner 1000, or group 1000
# with the group read bit) and by nobody else. Prints what is wrong, never a file's content.
#   deploy/jenkins/check-secrets.sh [SECRETS_DIR]
set -eu
dir=${1:-$(dirname "$0")/secrets}
status=0
for name in jenkins-admin-password github-read-token github-webhook-secret ghcr-token ghcr-pull-token everbit-vm-ssh-key everbit-vm-known-hosts; do
    f=$dir/$name
    if [ ! -f "$f" ]; then
        echo "missing: $f" >&2; status=1; continue
    fi
    if [ ! -s "$f" ]; then
        echo "empty: $f" >&2; status=1; continue
    fi
    set -- $(stat -c '%u %g %a' "$f")
    uid=$1 gid=$2 mode=$3
    other=$((0$mode % 8)) group=$((0$mode / 8 % 8)) owner=$((0$mode / 64 % 8))
    if [ "$other" -ne 0 ]; then
        echo "readable by others (mode $mode): $f; chmod o-rwx" >&2; status=1
    fi
    if ! { [ "$uid" -eq 1000 ] && [ $((owner & 4)) -ne 0 ]; } && ! { [ "$gid" -eq 1000 ] && [ $((group & 4)) -ne 0 ]; }; then
        echo "not readable by uid 1000 (owner $uid, group $gid, mode $mode): $f; chown 1000:1000 and chmod 400" >&2; status=1
    fi
done
[ "$status" -eq 0 ] && echo "secrets in $dir: readable by uid 1000 only"
exit "$status"
