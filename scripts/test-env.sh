#!/usr/bin/env bash
# The loopback test environment ("sandbox") that everbit-deploy's tests run against:
# a Docker daemon, a registry, an sshd standing in for the production VM, nginx with TLS and Prometheus,
# all bound to 127.0.0.1, all state under .sandbox/ at the repository root.
#
#   scripts/test-env.sh [start]   start what is not running, check everything, write .sandbox/env.properties
#   scripts/test-env.sh stop      stop what this checkout's sandbox started
#   scripts/test-env.sh status    one line per service
#   scripts/test-env.sh swarm-start|swarm-stop   only the test cluster (scripts/test-env-swarm.sh), for a checkout
#                                 that adopted a sandbox running without one
#   scripts/test-env.sh swarm-node stop|start N  one node of the cluster goes down or comes back (tests of its loss)
#
# Start is idempotent and safe to call concurrently (a lock serializes callers): a service that already
# answers its readiness probe is left alone. There is one sandbox per machine (fixed ports, one everbit
# user): when another checkout's sandbox holds the ports and answers, start adopts it (copies its
# env.properties here; its own stop stops it). A port held by anything else (a system service, say) is an
# error naming the holder. Missing Debian packages are installed first (as root).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
SB="$ROOT/.sandbox"
RUN="$SB/run"
LOGS="$SB/logs"
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

HOST=127.0.0.1
SSH_PORT=2222
REGISTRY_PORT=5000
NGINX_PORT=8443
NGINX_EXPIRED_PORT=8444
NGINX_OTHER_CA_PORT=8445
PROMETHEUS_PORT=9090
APP_PORT=18080
SB_USER=everbit

# ---------------------------------------------------------------------------------------------- helpers

ms() { date +%s%3N; }

# line NAME STATE START_MS [DETAIL]: the one line printed per service
line() {
  local e=$(( $(ms) - $3 ))
  printf 'test-env: %-11s %-5s %3d.%02ds  %s\n' "$1" "$2" $((e / 1000)) $(((e % 1000) / 10)) "${4:-}"
}

die() {
  printf 'test-env: ERROR: %s\n' "$*" >&2
  exit 1
}

# fail NAME LOG MESSAGE: a clear error and the tail of the service's log
fail() {
  printf 'test-env: ERROR: %s: %s\n' "$1" "$3" >&2
  if [[ -n "$2" && -s "$2" ]]; then
    printf 'test-env: last lines of %s:\n' "$2" >&2
    tail -n 30 "$2" | sed 's/^/    /' >&2
  fi
  exit 1
}

port_open() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

cmdline() { tr '\0' ' ' < "/proc/$1/cmdline" 2>/dev/null | cut -c1-300; }

# ours PID: the process (or its parent, for nginx workers) was started with this sandbox's paths
ours() {
  local pid="$1" ppid
  cmdline "$pid" | grep -qF -- "$SB/" && return 0
  ppid="$(ps -o ppid= -p "$pid" 2>/dev/null | tr -d ' ')"
  [[ -n "$ppid" && "$ppid" != 1 ]] && cmdline "$ppid" | grep -qF -- "$SB/"
}

# alive PID: running and not a zombie waiting to be reaped
alive() {
  kill -0 "$1" 2>/dev/null || return 1
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
  stat="${stat##*) }"
  [[ "${stat%% *}" != Z ]]
}

# pid_of PIDFILE: prints the pid if that process is alive and belongs to this sandbox
pid_of() {
  local p
  [[ -s "$1" ]] || return 1
  p="$(tr -dc '0-9' < "$1")"
  [[ -n "$p" ]] && alive "$p" && ours "$p" && echo "$p"
}

port_holders() { ss -Hltnp "sport = :$1" 2>/dev/null | grep -o 'pid=[0-9]*' | cut -d= -f2 | sort -u; }

# claim_port NAME PORT: 0 if this sandbox already serves the port, 1 if it is free; dies if anything else
# holds it (say, another checkout's sandbox or a system service).
claim_port() {
  local name="$1" port="$2" pids p
  pids="$(port_holders "$port")"
  if [[ -z "$pids" ]]; then
    port_open "$port" && die "$name: $HOST:$port answers but no process could be found for it"
    return 1
  fi
  for p in $pids; do
    if ours "$p"; then return 0; fi
  done
  p="$(head -n1 <<<"$pids")"
  die "$name: port $HOST:$port is held by pid $p ($(cmdline "$p")); stop it (for another checkout's sandbox: its scripts/test-env.sh stop) and run again"
}

# wait_until NAME TIMEOUT_S LOG PID COMMAND...: polls COMMAND until it succeeds; fails early if PID dies
wait_until() {
  local name="$1" timeout="$2" log="$3" pid="$4"
  shift 4
  local deadline=$(( $(ms) + timeout * 1000 ))
  until "$@" >/dev/null 2>&1; do
    if [[ -n "$pid" ]] && ! alive "$pid"; then
      fail "$name" "$log" "exited during start-up"
    fi
    (( $(ms) < deadline )) || fail "$name" "$log" "not ready after ${timeout}s (probe: $*)"
    sleep 0.1
  done
}

# stop_pidfile NAME PIDFILE [TIMEOUT_S]: TERM, then KILL after the timeout; only our own processes
stop_pidfile() {
  local name="$1" pidfile="$2" timeout="${3:-15}" pid i
  if ! pid="$(pid_of "$pidfile")"; then
    rm -f "$pidfile"
    return 1
  fi
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < timeout * 10; i++)); do
    alive "$pid" || break
    sleep 0.1
  done
  if alive "$pid"; then
    echo "test-env: $name (pid $pid) did not stop in ${timeout}s: killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
}

# put_file DEST: writes stdin to DEST; status 0 if the content changed (or is new), 1 if unchanged
put_file() {
  local dest="$1"
  cat > "$dest.new"
  if [[ -f "$dest" ]] && cmp -s "$dest.new" "$dest"; then
    rm -f "$dest.new"
    return 1
  fi
  mv -f "$dest.new" "$dest"
}

# ---------------------------------------------------------------------------------------------- packages

ensure_packages() {
  local t missing=() c pkg
  t=$(ms)
  # command:package
  for c in dockerd:docker.io docker:docker.io containerd:containerd runc:runc docker-compose:docker-compose \
           docker-registry:docker-registry sshd:openssh-server ssh:openssh-client ssh-keygen:openssh-client \
           htpasswd:apache2-utils nginx:nginx prometheus:prometheus openssl:openssl curl:curl wget:wget \
           flock:util-linux runuser:util-linux setsid:util-linux unshare:util-linux nsenter:util-linux mount:mount \
           ss:iproute2 ip:iproute2 ps:procps shellcheck:shellcheck; do
    command -v "${c%%:*}" >/dev/null 2>&1 || missing+=("${c#*:}")
  done
  # packages found by name, not by a command: the static busybox (the image is FROM scratch needs it, not the
  # dynamically linked one) and njs, which the webhook snippet of deploy/jenkins/nginx uses
  for pkg in busybox-static libnginx-mod-http-js; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  if ((${#missing[@]} == 0)); then
    return 0
  fi
  mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
  [[ "$(id -u)" == 0 ]] || die "missing packages (${missing[*]}): run as root or install them"
  mkdir -p "$LOGS"
  # Installing docker.io, docker-registry, nginx or prometheus must not start their system services
  # (they would take the sandbox's ports and create a bridge): deny service starts for the install.
  local policy guard=""
  policy="$(dirname "$(command -v invoke-rc.d || echo /usr/sbin/invoke-rc.d)")/policy-rc.d"
  if [[ ! -e "$policy" ]]; then
    printf '#!/bin/sh\nexit 101\n' > "$policy"
    chmod 0755 "$policy"
    guard="$policy"
  fi
  echo "test-env: installing ${missing[*]} (log: $LOGS/apt.log)"
  local rc=0
  {
    DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  } >> "$LOGS/apt.log" 2>&1 < /dev/null || rc=$?
  [[ -z "$guard" ]] || rm -f "$guard"
  ((rc == 0)) || fail packages "$LOGS/apt.log" "apt-get failed with status $rc"
  line packages ok "$t" "installed ${missing[*]}"
}

# ---------------------------------------------------------------------------------------------- dockerd

start_dockerd() {
  local t pid="" detail
  t=$(ms)
  getent group docker >/dev/null || groupadd --system docker
  if docker info >/dev/null 2>&1; then
    if pid="$(pid_of "$RUN/dockerd.pid")"; then detail="running (pid $pid)"; else detail="using the Docker daemon already running on this machine"; fi
    line dockerd up "$t" "$detail"
    return
  fi
  if ! pid="$(pid_of "$RUN/dockerd.pid")"; then
    rm -f "$RUN/dockerd.pid"
    mkdir -p "$SB/docker"
    # Keep the daemon on loopback even when a test names an image of another registry (a docker.io
    # name, say): the proxy variables point at a closed loopback port, so such a pull fails at once, and
    # the daemon runs in its own mount namespace where the resolver file names only 127.0.0.1 (it looks
    # registry host names up before it pulls). Containers (host network) get that resolver file too.
    printf 'nameserver 127.0.0.1\noptions attempts:1 timeout:1\n' > "$RUN/resolv.conf"
    HTTP_PROXY="http://$HOST:9" HTTPS_PROXY="http://$HOST:9" NO_PROXY="localhost,127.0.0.0/8" \
      setsid unshare --mount --propagation private \
        sh -c 'mount --bind "$1" /etc/resolv.conf && shift && exec "$@"' sh "$RUN/resolv.conf" \
        dockerd --bridge=none --iptables=false --ip-masq=false \
          --data-root "$SB/docker" --pidfile "$RUN/dockerd.pid" \
        >> "$LOGS/dockerd.log" 2>&1 < /dev/null 9>&- &
    pid=$!
    detail="started (pid $pid)"
  else
    detail="was starting (pid $pid)"
  fi
  wait_until dockerd 60 "$LOGS/dockerd.log" "$pid" docker info
  line dockerd up "$t" "$detail"
}

# ---------------------------------------------------------------------------------------------- registry

registry_probe() {
  [[ "$(curl -s -o /dev/null -w '%{http_code}' "http://$HOST:$REGISTRY_PORT/v2/")" == 401 ]] &&
    [[ "$(curl -s -o /dev/null -w '%{http_code}' -u "$SB_USER:$(cat "$SB/registry/token")" "http://$HOST:$REGISTRY_PORT/v2/")" == 200 ]]
}

start_registry() {
  local t dir="$SB/registry" changed=0 pid="" detail
  t=$(ms)
  mkdir -p "$dir/data"
  if [[ ! -s "$dir/token" ]]; then
    (umask 077 && openssl rand -hex 24 > "$dir/token")
  fi
  chmod 0600 "$dir/token"
  if [[ ! -s "$dir/htpasswd" ]] || ! htpasswd -vb "$dir/htpasswd" "$SB_USER" "$(cat "$dir/token")" >/dev/null 2>&1; then
    htpasswd -Bbc "$dir/htpasswd" "$SB_USER" "$(cat "$dir/token")" 2>/dev/null
    changed=1
  fi
  put_file "$dir/config.yml" <<EOF && changed=1
# generated by scripts/test-env.sh
version: 0.1
log:
  level: info
storage:
  filesystem:
    rootdirectory: "$dir/data"
  delete:
    enabled: true
  cache:
    blobdescriptor: inmemory
http:
  addr: $HOST:$REGISTRY_PORT
  headers:
    X-Content-Type-Options: [nosniff]
auth:
  htpasswd:
    realm: everbit-sandbox
    path: "$dir/htpasswd"
EOF
  if claim_port registry "$REGISTRY_PORT"; then
    if ((changed == 0)) && registry_probe; then
      line registry up "$t" "running (pid $(pid_of "$RUN/registry.pid" || echo '?'))"
      return
    fi
    stop_pidfile registry "$RUN/registry.pid" || die "registry: its configuration changed but its pid file is gone; stop the process on :$REGISTRY_PORT"
    detail="restarted (configuration changed)"
  else
    detail="started"
  fi
  setsid docker-registry serve "$dir/config.yml" >> "$LOGS/registry.log" 2>&1 < /dev/null 9>&- &
  pid=$!
  echo "$pid" > "$RUN/registry.pid"
  wait_until registry 30 "$LOGS/registry.log" "$pid" registry_probe
  # the daemon treats 127.0.0.0/8 registries as insecure (plain HTTP) by default: check a real login
  local cfg="$RUN/login-check"
  rm -rf "$cfg" && mkdir -p "$cfg"
  if ! DOCKER_CONFIG="$cfg" docker login "$HOST:$REGISTRY_PORT" -u "$SB_USER" --password-stdin \
       < "$dir/token" > "$LOGS/registry-login.log" 2>&1; then
    rm -rf "$cfg"
    fail registry "$LOGS/registry-login.log" "docker login $HOST:$REGISTRY_PORT failed"
  fi
  rm -rf "$cfg"
  line registry up "$t" "$detail (pid $pid, docker login ok)"
}

# ---------------------------------------------------------------------------------------------- sshd

# The VM user logs in with keys kept in the checkout and deploys into it: it must be able to pass through every
# directory above the repository. A clone made in a private temporary folder is not; grant passage (o+x), never
# reading, and say so.
grant_traverse() {
  local p="$ROOT"
  while :; do
    if ! runuser -u "$SB_USER" -- test -x "$p"; then
      chmod o+x "$p"
      echo "test-env: made $p traversable (o+x) for $SB_USER"
    fi
    [[ "$p" != / ]] || break
    p="$(dirname "$p")"
  done
}

setup_user() {
  local home="$SB/home/$SB_USER" pw
  if ! id -u "$SB_USER" >/dev/null 2>&1; then
    useradd --home-dir "$home" --no-create-home --shell /bin/bash --user-group --groups docker "$SB_USER"
  else
    if [[ "$(getent passwd "$SB_USER" | cut -d: -f6)" != "$home" ]] && ! usermod --home "$home" "$SB_USER" 2>"$LOGS/usermod.log"; then
      die "user $SB_USER: cannot move its home to $home ($(head -n1 "$LOGS/usermod.log")); end its processes (pgrep -u $SB_USER) and run again"
    fi
    [[ "$(getent passwd "$SB_USER" | cut -d: -f7)" == /bin/bash ]] || usermod --shell /bin/bash "$SB_USER"
    id -nG "$SB_USER" | tr ' ' '\n' | grep -qx docker || usermod -aG docker "$SB_USER"
  fi
  # A locked password ("!") makes sshd refuse even key logins when PAM is off: "*" means no password.
  pw="$(getent shadow "$SB_USER" | cut -d: -f2)"
  [[ "$pw" != '!'* ]] || usermod -p '*' "$SB_USER"
  mkdir -p "$home" "$SB/vm"
  chmod 0755 "$SB" "$SB/home"
  chown "$SB_USER:$SB_USER" "$home" "$SB/vm"
  chmod 0755 "$home" "$SB/vm"
  grant_traverse
  runuser -u "$SB_USER" -- test -w "$SB/vm" ||
    die "user $SB_USER cannot reach $SB/vm: every directory above the repository must be traversable by others (chmod o+x)"
}

# sshd_policy: how a VM's sshd lets the VM user in, the same for the sandbox VM and the test cluster's nodes
sshd_policy() {
  cat <<'EOF'
PermitRootLogin no
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
# the keys live in the checkout, whose parent directories sshd does not vouch for
StrictModes no
PrintMotd no
PrintLastLog no
X11Forwarding no
# local forwarding only, and only to loopback (tunnels to the VM's internal services)
AllowTcpForwarding local
PermitOpen 127.0.0.1:* localhost:*
AllowStreamLocalForwarding no
PermitTunnel no
# tests open many sessions at once
MaxStartups 200:30:400
MaxSessions 100
LoginGraceTime 20
Subsystem sftp internal-sftp
LogLevel VERBOSE
EOF
}

ssh_probe() {
  ssh -F none -n -o BatchMode=yes -o StrictHostKeyChecking=yes -o UserKnownHostsFile="$SB/ssh/known_hosts" \
    -o IdentitiesOnly=yes -o ConnectTimeout=5 -o LogLevel=ERROR -i "$SB/ssh/deploy_key" -p "$SSH_PORT" \
    "$SB_USER@$HOST" \
    "set -e; command -v docker docker-compose flock; command -v curl || command -v wget; sleep 0.2; test -w '$SB/vm'; docker ps"
}

start_sshd() {
  local t dir="$SB/ssh" changed=0 detail sshd pid out
  t=$(ms)
  setup_user
  mkdir -p "$dir"
  chmod 0755 "$dir"
  [[ -s "$dir/ssh_host_ed25519_key" ]] || { rm -f "$dir/ssh_host_ed25519_key"*; ssh-keygen -q -t ed25519 -N '' -C 'everbit sandbox host' -f "$dir/ssh_host_ed25519_key"; changed=1; }
  [[ -s "$dir/wrong_host_ed25519_key" ]] || { rm -f "$dir/wrong_host_ed25519_key"*; ssh-keygen -q -t ed25519 -N '' -C 'not the sandbox host' -f "$dir/wrong_host_ed25519_key"; }
  [[ -s "$dir/deploy_key" ]] || { rm -f "$dir/deploy_key"*; ssh-keygen -q -t ed25519 -N '' -C 'everbit sandbox deploy key' -f "$dir/deploy_key"; }
  # a second key whose login never answers (a forced command), for the tests of a VM shell that hangs
  [[ -s "$dir/stuck_key" ]] || { rm -f "$dir/stuck_key"*; ssh-keygen -q -t ed25519 -N '' -C 'everbit sandbox stuck key' -f "$dir/stuck_key"; }
  chmod 0600 "$dir/ssh_host_ed25519_key" "$dir/wrong_host_ed25519_key" "$dir/deploy_key" "$dir/stuck_key"
  { cat "$dir/deploy_key.pub"; printf 'command="sleep 600" %s\n' "$(cat "$dir/stuck_key.pub")"; } | put_file "$dir/authorized_keys" || true
  chmod 0644 "$dir/authorized_keys"
  echo "[$HOST]:$SSH_PORT $(cut -d' ' -f1,2 "$dir/ssh_host_ed25519_key.pub")" | put_file "$dir/known_hosts" || true
  echo "[$HOST]:$SSH_PORT $(cut -d' ' -f1,2 "$dir/wrong_host_ed25519_key.pub")" | put_file "$dir/known_hosts.wrong" || true
  put_file "$dir/sshd_config" <<EOF && changed=1
# generated by scripts/test-env.sh: the sandbox's stand-in for the production VM's sshd
Port $SSH_PORT
ListenAddress $HOST
HostKey "$dir/ssh_host_ed25519_key"
PidFile "$RUN/sshd.pid"
AuthorizedKeysFile "$dir/authorized_keys"
AllowUsers $SB_USER
$(sshd_policy)
EOF
  sshd="$(command -v sshd)"
  # sshd needs its compiled-in privilege separation directory; it names it when missing
  if out="$("$sshd" -t -f "$dir/sshd_config" 2>&1)"; then :; else
    if [[ "$out" =~ Missing\ privilege\ separation\ directory:\ ([^[:space:]]+) ]]; then
      mkdir -p "${BASH_REMATCH[1]}" && chmod 0755 "${BASH_REMATCH[1]}"
      out="$("$sshd" -t -f "$dir/sshd_config" 2>&1)" || die "sshd: configuration test failed: $out"
    else
      die "sshd: configuration test failed: $out"
    fi
  fi
  if claim_port sshd "$SSH_PORT"; then
    if ((changed == 0)) && ssh_probe > "$LOGS/ssh-probe.log" 2>&1; then
      line sshd up "$t" "running (pid $(pid_of "$RUN/sshd.pid" || echo '?'))"
      return
    fi
    stop_pidfile sshd "$RUN/sshd.pid" || die "sshd: needs a restart but its pid file is gone; stop the process on :$SSH_PORT"
    detail="restarted"
  else
    detail="started"
  fi
  "$sshd" -f "$dir/sshd_config" -E "$LOGS/sshd.log" < /dev/null > /dev/null 2>&1 9>&- ||
    fail sshd "$LOGS/sshd.log" "sshd failed to start"
  wait_until sshd 10 "$LOGS/sshd.log" "" test -s "$RUN/sshd.pid"
  pid="$(tr -dc '0-9' < "$RUN/sshd.pid")"
  wait_until sshd 30 "$LOGS/sshd.log" "$pid" port_open "$SSH_PORT"
  if ! ssh_probe > "$LOGS/ssh-probe.log" 2>&1; then
    cat "$LOGS/ssh-probe.log" >> "$LOGS/sshd.log"
    fail sshd "$LOGS/sshd.log" "ssh $SB_USER@$HOST -p $SSH_PORT 'docker ps' failed (probe output at the end)"
  fi
  line sshd up "$t" "$detail (pid $pid, ssh $SB_USER 'docker ps' ok)"
}

# ---------------------------------------------------------------------------------------------- app context

prepare_app() {
  local t
  t=$(ms)
  "$ROOT/scripts/sandbox-app.sh" "$SB/app/context" > /dev/null
  line app-context ok "$t" "$SB/app/context"
}

# ---------------------------------------------------------------------------------------------- TLS

# issue NAME CA_NAME DAYS|expired: a server certificate for 127.0.0.1 and localhost
issue_cert() {
  local dir="$SB/tls" name="$1" ca="$2" validity="$3"
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$dir/$name.key" \
    -out "$dir/$name.csr" -subj "/O=everbit sandbox/CN=127.0.0.1" 2>/dev/null
  cat > "$dir/$name.ext" <<EOF
[ server ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1,DNS:localhost
EOF
  if [[ "$validity" == expired ]]; then
    # openssl x509 cannot set a validity in the past; openssl ca can
    rm -rf "$dir/ca-db" && mkdir -p "$dir/ca-db" && : > "$dir/ca-db/index.txt"
    openssl rand -hex 8 > "$dir/ca-db/serial"
    cat > "$dir/ca-db/ca.cnf" <<EOF
[ ca ]
default_ca = sandbox
[ sandbox ]
database = $dir/ca-db/index.txt
new_certs_dir = $dir/ca-db
serial = $dir/ca-db/serial
certificate = $dir/$ca.crt
private_key = $dir/$ca.key
default_md = sha256
policy = anything
unique_subject = no
[ anything ]
organizationName = optional
commonName = supplied
EOF
    openssl ca -batch -notext -config "$dir/ca-db/ca.cnf" -startdate 20200101000000Z -enddate 20200201000000Z \
      -extfile "$dir/$name.ext" -extensions server -in "$dir/$name.csr" -out "$dir/$name.crt" >/dev/null 2>&1 ||
      die "tls: openssl ca could not issue the expired certificate"
    rm -rf "$dir/ca-db"
  else
    openssl x509 -req -in "$dir/$name.csr" -CA "$dir/$ca.crt" -CAkey "$dir/$ca.key" -set_serial "0x$(openssl rand -hex 8)" \
      -days "$validity" -sha256 -extfile "$dir/$name.ext" -extensions server -out "$dir/$name.crt" 2>/dev/null
  fi
  rm -f "$dir/$name.csr" "$dir/$name.ext"
  chmod 0600 "$dir/$name.key"
}

new_ca() {
  local dir="$SB/tls" name="$1" cn="$2"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$dir/$name.key" \
    -out "$dir/$name.crt" -days 3650 -sha256 -subj "/O=everbit sandbox/CN=$cn" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
  chmod 0600 "$dir/$name.key"
}

# valid_for NAME CA: the certificate exists, chains to CA and is good for at least two more days
valid_for() {
  local dir="$SB/tls"
  [[ -s "$dir/$1.crt" && -s "$dir/$1.key" ]] &&
    openssl verify -CAfile "$dir/$2.crt" "$dir/$1.crt" >/dev/null 2>&1 &&
    openssl x509 -checkend 172800 -noout -in "$dir/$1.crt" >/dev/null 2>&1
}

prepare_tls() {
  local t dir="$SB/tls" made=()
  t=$(ms)
  mkdir -p "$dir"
  chmod 0755 "$dir"
  if [[ ! -s "$dir/ca.crt" || ! -s "$dir/ca.key" ]]; then new_ca ca "everbit sandbox test CA"; made+=(ca); fi
  if [[ ! -s "$dir/other-ca.crt" || ! -s "$dir/other-ca.key" ]]; then new_ca other-ca "everbit sandbox OTHER CA (not trusted)"; made+=(other-ca); fi
  valid_for server ca || { issue_cert server ca 30; made+=(server); }
  valid_for other-ca-server other-ca || { issue_cert other-ca-server other-ca 30; made+=(other-ca-server); }
  if [[ ! -s "$dir/expired.crt" ]] || ! openssl verify -no_check_time -CAfile "$dir/ca.crt" "$dir/expired.crt" >/dev/null 2>&1; then
    issue_cert expired ca expired
    made+=(expired)
  fi
  if ((${#made[@]})); then line tls ok "$t" "issued ${made[*]}"; else line tls ok "$t" "certificates valid"; fi
}

# ---------------------------------------------------------------------------------------------- nginx

nginx_probe() {
  # any HTTP status counts (502 while no app runs): the TLS handshake must verify against the test CA
  [[ "$(curl -s -o /dev/null -w '%{http_code}' --cacert "$SB/tls/ca.crt" "https://$HOST:$NGINX_PORT/")" != 000 ]] &&
    [[ "$(curl -sk -o /dev/null -w '%{http_code}' "https://$HOST:$NGINX_EXPIRED_PORT/")" != 000 ]] &&
    [[ "$(curl -sk -o /dev/null -w '%{http_code}' "https://$HOST:$NGINX_OTHER_CA_PORT/")" != 000 ]]
}

nginx_server() { # PORT CERT_NAME
  cat <<EOF
    server {
        listen $HOST:$1 ssl;
        server_name 127.0.0.1 localhost;
        ssl_certificate "$SB/tls/$2.crt";
        ssl_certificate_key "$SB/tls/$2.key";
        location / {
            proxy_pass http://app;
            proxy_set_header Host \$host;
            proxy_set_header X-Forwarded-Proto https;
            proxy_set_header X-Forwarded-For \$remote_addr;
        }
    }
EOF
}

start_nginx() {
  local t dir="$SB/nginx" changed=0 pid detail nginx
  t=$(ms)
  mkdir -p "$dir/logs" "$dir/tmp"
  put_file "$dir/nginx.conf" <<EOF && changed=1
# generated by scripts/test-env.sh: TLS in front of the sandbox app (not the system nginx configuration)
worker_processes 1;
pid "$dir/nginx.pid";
error_log "$dir/logs/error.log" info;
events { worker_connections 512; }
http {
    default_type application/octet-stream;
    access_log "$dir/logs/access.log";
    client_body_temp_path "$dir/tmp/client_body";
    proxy_temp_path "$dir/tmp/proxy";
    fastcgi_temp_path "$dir/tmp/fastcgi";
    uwsgi_temp_path "$dir/tmp/uwsgi";
    scgi_temp_path "$dir/tmp/scgi";
    proxy_connect_timeout 2s;
    proxy_read_timeout 30s;
    upstream app { server $HOST:$APP_PORT; }
    # the good one: a certificate from tls/ca.crt for 127.0.0.1 and localhost
$(nginx_server "$NGINX_PORT" server)
    # an expired certificate from the same CA
$(nginx_server "$NGINX_EXPIRED_PORT" expired)
    # a valid certificate from a CA the tests do not trust
$(nginx_server "$NGINX_OTHER_CA_PORT" other-ca-server)
}
EOF
  # certificates issued this run (renewal) need a restart too
  [[ "$dir/nginx.pid" -nt "$SB/tls/server.crt" && "$dir/nginx.pid" -nt "$SB/tls/other-ca-server.crt" && "$dir/nginx.pid" -nt "$SB/tls/expired.crt" ]] || changed=1
  nginx="$(command -v nginx)"
  local args=(-p "$dir/" -c "$dir/nginx.conf" -e "$dir/logs/error.log")
  "$nginx" -t -q "${args[@]}" > "$LOGS/nginx-test.log" 2>&1 || fail nginx "$LOGS/nginx-test.log" "nginx -t rejected $dir/nginx.conf"
  if claim_port nginx "$NGINX_PORT"; then
    if ((changed == 0)) && nginx_probe; then
      line nginx up "$t" "running (pid $(pid_of "$dir/nginx.pid" || echo '?'))"
      return
    fi
    stop_pidfile nginx "$dir/nginx.pid" || die "nginx: needs a restart but its pid file is gone; stop the process on :$NGINX_PORT"
    detail="restarted"
  else
    claim_port nginx "$NGINX_EXPIRED_PORT" && die "nginx: :$NGINX_EXPIRED_PORT is served by this sandbox but :$NGINX_PORT is not"
    claim_port nginx "$NGINX_OTHER_CA_PORT" && die "nginx: :$NGINX_OTHER_CA_PORT is served by this sandbox but :$NGINX_PORT is not"
    detail="started"
  fi
  rm -f "$dir/nginx.pid"
  "$nginx" "${args[@]}" < /dev/null >> "$dir/logs/error.log" 2>&1 9>&- || fail nginx "$dir/logs/error.log" "nginx failed to start"
  wait_until nginx 10 "$dir/logs/error.log" "" test -s "$dir/nginx.pid"
  pid="$(tr -dc '0-9' < "$dir/nginx.pid")"
  wait_until nginx 20 "$dir/logs/error.log" "$pid" nginx_probe
  line nginx up "$t" "$detail (pid $pid, https://$HOST:$NGINX_PORT expired:$NGINX_EXPIRED_PORT other-ca:$NGINX_OTHER_CA_PORT)"
}

# ---------------------------------------------------------------------------------------------- prometheus

prometheus_probe() { curl -sf -o /dev/null "http://$HOST:$PROMETHEUS_PORT/-/ready"; }

start_prometheus() {
  local t dir="$SB/prometheus" changed=0 pid detail
  t=$(ms)
  mkdir -p "$dir/data"
  put_file "$dir/prometheus.yml" <<EOF && changed=1
# generated by scripts/test-env.sh
global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: app
    metrics_path: /metrics
    static_configs:
      - targets: ['$HOST:$APP_PORT']
EOF
  if claim_port prometheus "$PROMETHEUS_PORT"; then
    if ((changed == 0)) && prometheus_probe; then
      line prometheus up "$t" "running (pid $(pid_of "$RUN/prometheus.pid" || echo '?'))"
      return
    fi
    stop_pidfile prometheus "$RUN/prometheus.pid" || die "prometheus: needs a restart but its pid file is gone; stop the process on :$PROMETHEUS_PORT"
    detail="restarted"
  else
    detail="started"
  fi
  (
    cd "$dir"
    exec setsid prometheus --config.file="$dir/prometheus.yml" --storage.tsdb.path="$dir/data" \
      --storage.tsdb.retention.time=2d --web.listen-address="$HOST:$PROMETHEUS_PORT" --web.enable-lifecycle \
      >> "$LOGS/prometheus.log" 2>&1 < /dev/null 9>&-
  ) &
  pid=$!
  echo "$pid" > "$RUN/prometheus.pid"
  wait_until prometheus 60 "$LOGS/prometheus.log" "$pid" prometheus_probe
  line prometheus up "$t" "$detail (pid $pid, scraping $HOST:$APP_PORT/metrics every 1s)"
}

# ---------------------------------------------------------------------------------------------- env.properties

write_env() {
  put_file "$SB/env.properties" <<EOF || true
# generated by scripts/test-env.sh; read by src/test/java/kr/everbit/deploy/sandbox/Sandbox.java
sandbox.dir=$SB
ssh.host=$HOST
ssh.port=$SSH_PORT
ssh.user=$SB_USER
ssh.identity=$SB/ssh/deploy_key
ssh.knownHosts=$SB/ssh/known_hosts
ssh.knownHostsWrong=$SB/ssh/known_hosts.wrong
vm.root=$SB/vm
registry.host=$HOST:$REGISTRY_PORT
registry.user=$SB_USER
registry.tokenFile=$SB/registry/token
app.context=$SB/app/context
app.port=$APP_PORT
nginx.url=https://$HOST:$NGINX_PORT
nginx.expiredUrl=https://$HOST:$NGINX_EXPIRED_PORT
nginx.otherCaUrl=https://$HOST:$NGINX_OTHER_CA_PORT
tls.caFile=$SB/tls/ca.crt
prometheus.url=http://$HOST:$PROMETHEUS_PORT
swarm.env=$SB/swarm/env.properties
EOF
}

# ---------------------------------------------------------------------------------------------- swarm

# shellcheck source=scripts/test-env-swarm.sh
source "$ROOT/scripts/test-env-swarm.sh"

# ---------------------------------------------------------------------------------------------- commands

lock() {
  mkdir -p "$RUN" "$LOGS"
  exec 9> "$RUN/lock"
  flock -w 900 9 || die "another scripts/test-env.sh held $RUN/lock for 15 minutes"
}

# foreign_sandbox: prints the .sandbox directory of another checkout whose sandbox holds our ports
foreign_sandbox() {
  local port pid c
  for port in "$REGISTRY_PORT" "$SSH_PORT" "$NGINX_PORT" "$PROMETHEUS_PORT"; do
    for pid in $(port_holders "$port"); do
      c="$(cmdline "$pid")"
      [[ "$c" != *"$SB/"* ]] || continue
      if [[ "$c" =~ ([^[:space:]]*/\.sandbox)/(registry/config\.yml|ssh/sshd_config|nginx/|prometheus/prometheus\.yml) ]]; then
        echo "${BASH_REMATCH[1]}"
        return 0
      fi
    done
  done
  return 1
}

# adopt OTHER_SB: another checkout's sandbox is running; check it answers and point env.properties at it
adopt() {
  local t other="$1" mine="$SB"
  t=$(ms)
  [[ -d "$other/run" ]] || die "the sandbox ports are held by $other, which has no run/ directory"
  # wait for a start in progress over there
  exec 8> "$other/run/lock"
  flock -w 900 8 || die "$other/run/lock stayed locked for 15 minutes"
  [[ -s "$other/env.properties" ]] ||
    die "the sandbox ports are held by the sandbox of $(dirname "$other"), which has no env.properties: run its scripts/test-env.sh (or stop it)"
  SB="$other"
  docker info >/dev/null 2>&1 || die "the sandbox of $(dirname "$other") holds the ports, but its Docker daemon does not answer"
  registry_probe || die "the sandbox of $(dirname "$other") holds the ports, but its registry does not answer"
  ssh_probe > "$LOGS/ssh-probe.log" 2>&1 || fail sshd "$LOGS/ssh-probe.log" "the sandbox of $(dirname "$other") holds the ports, but ssh to it fails"
  nginx_probe || die "the sandbox of $(dirname "$other") holds the ports, but its nginx does not answer"
  prometheus_probe || die "the sandbox of $(dirname "$other") holds the ports, but its Prometheus does not answer"
  SB="$mine"
  { echo "# the sandbox of $(dirname "$other"), adopted by scripts/test-env.sh: its scripts/test-env.sh stop stops it"
    cat "$other/env.properties"; } | put_file "$SB/env.properties" || true
  exec 8>&-
  line sandbox up "$t" "adopted the sandbox already running from $(dirname "$other") -> $SB/env.properties"
}

cmd_start() {
  local t0 other
  t0=$(ms)
  lock
  ensure_packages
  chmod 0755 "$SB"
  # one sandbox per machine (fixed ports, one everbit user): use another checkout's if it runs
  if other="$(foreign_sandbox)"; then
    adopt "$other"
    return
  fi
  start_dockerd
  start_registry
  start_sshd
  prepare_app
  prepare_tls
  start_nginx
  start_prometheus
  write_env
  start_swarm
  line sandbox up "$t0" "$SB/env.properties"
}

cmd_stop() {
  local t
  t=$(ms)
  if [[ ! -d "$SB" ]]; then
    echo "test-env: nothing to stop"
    return
  fi
  lock
  if [[ -s "$SB/env.properties" ]] && grep -q '^# the sandbox of .*, adopted' "$SB/env.properties"; then
    # The services, the cluster and the VM user's processes belong to the checkout that started them (other runs
    # may be using them): only this checkout's pointer to them goes.
    echo "test-env: $(sed -n '1s/^# //p' "$SB/env.properties")"
    rm -f "$SB/env.properties"
    line sandbox down "$t" "left running for its checkout; this one no longer points at it"
    return
  fi
  rm -f "$SB/env.properties"
  stop_pidfile nginx "$SB/nginx/nginx.pid" && line nginx down "$t" || true
  t=$(ms); stop_pidfile prometheus "$RUN/prometheus.pid" && line prometheus down "$t" || true
  stop_swarm
  t=$(ms); stop_pidfile registry "$RUN/registry.pid" && line registry down "$t" || true
  t=$(ms); stop_pidfile sshd "$RUN/sshd.pid" && line sshd down "$t" || true
  # what the VM user left running (a test's own nginx, a warm release's retirement timer) ends with the VM
  t=$(ms)
  if pkill -TERM -u "$SB_USER" 2>/dev/null; then
    sleep 1
    pkill -KILL -u "$SB_USER" 2>/dev/null || true
    line vm-user down "$t" "processes of $SB_USER ended"
  fi
  # dockerd stops the containers it runs before it exits
  t=$(ms); stop_pidfile dockerd "$RUN/dockerd.pid" 60 && line dockerd down "$t" || true
}

cmd_status() {
  local s other
  if other="$(foreign_sandbox)"; then
    echo "test-env: the ports are held by the sandbox of $(dirname "$other")"
    SB="$other"
  fi
  s() { if "$@" >/dev/null 2>&1; then echo up; else echo down; fi; }
  printf 'test-env: %-11s %s\n' dockerd "$(s docker info)" registry "$(s registry_probe)" \
    sshd "$(s ssh_probe)" nginx "$(s nginx_probe)" prometheus "$(s prometheus_probe)" swarm "$(swarm_status)"
  [[ -s "$SB/env.properties" ]] && echo "test-env: $SB/env.properties" || echo "test-env: no env.properties"
}

case "${1:-start}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  swarm-start) lock && start_swarm ;;
  swarm-stop) lock && stop_swarm ;;
  swarm-node) lock && swarm_node "${2:-}" "${3:-}" ;;
  *) die "usage: scripts/test-env.sh [start|stop|status|swarm-start|swarm-stop|swarm-node stop|start N]" ;;
esac
