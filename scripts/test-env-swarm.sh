# shellcheck shell=bash
# The multi-node part of the sandbox, sourced by scripts/test-env.sh (it uses that script's helpers and lock):
# a Docker Swarm of three managers, each node a dockerd of its own in a network namespace of its own, as three
# VMs behind the operator's Nginx would be.
#
#   node N (N = 1..3): network namespace everbit-swN, entered with nsenter --net= (not "ip netns exec": that
#     remounts /sys and dockerd then fails "Devices cgroup isn't mounted"), host name everbit-swN (unshare --uts),
#     a private mount namespace (its own /etc/resolv.conf naming only 127.0.0.1: the nodes pull from nowhere else).
#     In it: dockerd (state in .sandbox/swarm/nN/), a read-only registry on the node's own 127.0.0.1:5000 over the
#     sandbox registry's storage and password file (so 127.0.0.1:5000/IMAGE names the same image on the test
#     host and on every node, with no TLS), and an sshd on the node's address, port 22, whose sessions talk to the
#     node's daemon (SetEnv DOCKER_HOST=), for the sandbox's VM user and deploy key.
#   the nodes' link: a bridge, everbit-sw, in the root namespace, and a veth pair per node. The addresses are of
#     198.18.0.0/15, the range RFC 2544 sets aside for benchmark networks: never routed, so no address of a real
#     network is ever a target. The bridge's own address lets the test host (the JVM, Nginx) reach the nodes.
#   Nginx on 127.0.0.1:8446, in front of every node's host-mode port 18090: the operator's load balancer.
#
# The routing mesh does not work here (no IPVS on this kernel): services publish their ports in host mode, the
# common production layout behind a load balancer anyway. A running cluster whose checks pass, built by this very
# script (its fingerprint), is left alone; anything less is stopped and built anew (the cluster is throwaway state:
# stop removes the nodes' state, so a start never finds a half-remembered Raft store). Stop leaves no process,
# namespace, link, cgroup or mount.

SW="$SB/swarm"
SW_NODES=3
SW_NET=198.18.0
SW_BRIDGE=everbit-sw
SW_HOST_ADDR="$SW_NET.1"
# Swarm's overlay networks and each node's local networks (docker_gwbridge) take subnets from the same range
SW_SWARM_POOL=198.18.64.0/18
SW_LOCAL_POOL=198.18.128.0/18
SW_APP_PORT=18090
SW_NGINX_PORT=8446

sw_ns() { echo "everbit-sw$1"; }
sw_addr() { echo "$SW_NET.$((10 + $1))"; }
sw_docker() { local n="$1"; shift; docker -H "unix://$SW/n$n/docker.sock" "$@"; }
sw_in() { local n="$1"; shift; nsenter --net="/run/netns/$(sw_ns "$n")" "$@"; }

# sw_prop KEY: a value of the sandbox's env.properties (another checkout's paths when this one adopted it)
sw_prop() {
  local v
  v="$(sed -n "s/^$1=//p" "$SB/env.properties" 2>/dev/null | head -n1)"
  [[ -n "$v" ]] || die "swarm: $SB/env.properties has no $1: run scripts/test-env.sh first"
  echo "$v"
}

# sw_foreign: prints the command line of a process of another checkout inside one of the nodes' namespaces
sw_foreign() {
  local i p c
  for ((i = 1; i <= SW_NODES; i++)); do
    [[ -e "/run/netns/$(sw_ns "$i")" ]] || continue
    for p in $(ip netns pids "$(sw_ns "$i")" 2>/dev/null); do
      c="$(cmdline "$p")"
      if [[ "$c" == *"/.sandbox/swarm/"* && "$c" != *"$SW/"* ]]; then
        echo "$c"
        return 0
      fi
    done
  done
  return 1
}

# ---------------------------------------------------------------------------------------------- probes

sw_node_registry_probe() { # N
  [[ "$(sw_in "$1" curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$SW_REGISTRY_PORT/v2/")" == 401 ]]
}

sw_ssh() { # N COMMAND
  local n="$1"
  shift
  ssh -F none -n -o BatchMode=yes -o StrictHostKeyChecking=yes -o UserKnownHostsFile="$SW/ssh/known_hosts" \
    -o IdentitiesOnly=yes -o ConnectTimeout=5 -o LogLevel=ERROR -i "$(sw_prop ssh.identity)" \
    "$(sw_prop ssh.user)@$(sw_addr "$n")" "$@"
}

sw_nodes_ready() {
  [[ "$(sw_docker 1 node ls --format '{{.Status}} {{.ManagerStatus}}' 2>/dev/null | grep -cE '^Ready (Leader|Reachable)$')" == "$SW_NODES" ]]
}

sw_nginx_probe() { [[ "$(curl -s -o /dev/null -w '%{http_code}' "http://$HOST:$SW_NGINX_PORT/")" != 000 ]]; }

# swarm_probe: every node's daemon and registry answer, its sshd lets the VM user in with that node's daemon socket
# writable, all managers are Ready, Nginx answers
swarm_probe() {
  local i
  SW_REGISTRY_PORT="${SW_REGISTRY_PORT:-$(sw_prop registry.host | sed 's/.*://')}"
  for ((i = 1; i <= SW_NODES; i++)); do
    [[ "$(sw_docker "$i" info --format '{{.Swarm.LocalNodeState}}' 2>/dev/null)" == active ]] || return 1
    sw_node_registry_probe "$i" || return 1
    # shellcheck disable=SC2016 # expanded by the node's shell
    [[ "$(sw_ssh "$i" 'test -w "${DOCKER_HOST#unix://}" && hostname' 2>/dev/null)" == "$(sw_ns "$i")" ]] || return 1
  done
  sw_nodes_ready && sw_nginx_probe
}

# ---------------------------------------------------------------------------------------------- start

# The inputs of the cluster's layout: when they change (this file, the sandbox it serves), it is built anew
sw_fingerprint() {
  { cat "$ROOT/scripts/test-env-swarm.sh"; sw_prop sandbox.dir; sw_prop registry.host; sw_prop ssh.identity; } | sha256sum | cut -c1-16
}

sw_network() {
  local i ns
  if ip route show | grep -qE "^$SW_NET\.0/24 " && ! ip link show "$SW_BRIDGE" >/dev/null 2>&1; then
    die "swarm: this machine already routes $SW_NET.0/24 ($(ip route show | grep -E "^$SW_NET\.0/24 ")): the test cluster needs that range"
  fi
  # the nodes' traffic bypasses the host's firewall (br_netfilter would hand it to a FORWARD chain, which a Docker
  # with iptables on this host would set to DROP)
  ip link add "$SW_BRIDGE" type bridge nf_call_iptables 0 nf_call_ip6tables 0 nf_call_arptables 0
  ip addr add "$SW_HOST_ADDR/24" dev "$SW_BRIDGE"
  ip link set "$SW_BRIDGE" up
  for ((i = 1; i <= SW_NODES; i++)); do
    ns="$(sw_ns "$i")"
    ip netns add "$ns"
    ip link add "$SW_BRIDGE$i" type veth peer name eth0 netns "$ns"
    ip link set "$SW_BRIDGE$i" master "$SW_BRIDGE" up
    ip -n "$ns" addr add "$(sw_addr "$i")/24" dev eth0
    ip -n "$ns" link set eth0 up
    ip -n "$ns" link set lo up
  done
}

sw_start_dockerd() { # N
  local n="$1" d="$SW/n$1"
  mkdir -p "$d"
  printf 'nameserver 127.0.0.1\noptions attempts:1 timeout:1\n' > "$d/resolv.conf"
  setsid nsenter --net="/run/netns/$(sw_ns "$n")" unshare --uts --mount --propagation private \
    sh -c 'hostname "$1" && mount --bind "$2" /etc/resolv.conf && shift 2 && exec "$@"' sh "$(sw_ns "$n")" "$d/resolv.conf" \
      dockerd --bridge=none --iptables=false --ip-masq=false --group docker \
        --data-root "$d/data" --exec-root "$d/exec" -H "unix://$d/docker.sock" --pidfile "$d/dockerd.pid" \
        --cgroup-parent "$(sw_ns "$n")" --default-address-pool "base=$SW_LOCAL_POOL,size=24" \
      >> "$LOGS/swarm-n$n-dockerd.log" 2>&1 < /dev/null 9>&- &
  SW_LAUNCHED[n]=$!
}

sw_start_registry() { # N
  local n="$1"
  setsid nsenter --net="/run/netns/$(sw_ns "$n")" docker-registry serve "$SW/registry.yml" \
    >> "$LOGS/swarm-n$n-registry.log" 2>&1 < /dev/null 9>&- &
  echo "$!" > "$SW/n$n/registry.pid"
}

sw_write_registry_config() {
  local sbdir
  sbdir="$(sw_prop sandbox.dir)"
  cat > "$SW/registry.yml" <<EOF
# generated by scripts/test-env.sh: a node's registry, serving the sandbox registry's storage, read only
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: "$sbdir/registry/data"
  maintenance:
    readonly:
      enabled: true
http:
  addr: 127.0.0.1:$SW_REGISTRY_PORT
auth:
  htpasswd:
    realm: everbit-sandbox
    path: "$sbdir/registry/htpasswd"
EOF
}

sw_write_ssh() {
  local i key user
  user="$(sw_prop ssh.user)"
  key="$(sw_prop ssh.identity)"
  [[ -s "$key.pub" ]] || die "swarm: no public key $key.pub"
  mkdir -p "$SW/ssh"
  chmod 0755 "$SW" "$SW/ssh"
  cp "$key.pub" "$SW/ssh/authorized_keys"
  chmod 0644 "$SW/ssh/authorized_keys"
  : > "$SW/ssh/known_hosts"
  for ((i = 1; i <= SW_NODES; i++)); do
    [[ -s "$SW/ssh/host_key_n$i" ]] || { rm -f "$SW/ssh/host_key_n$i"*; ssh-keygen -q -t ed25519 -N '' -C "everbit sandbox $(sw_ns "$i")" -f "$SW/ssh/host_key_n$i"; }
    chmod 0600 "$SW/ssh/host_key_n$i"
    echo "$(sw_addr "$i") $(cut -d' ' -f1,2 "$SW/ssh/host_key_n$i.pub")" >> "$SW/ssh/known_hosts"
    # each node a machine of its own: its sessions' temporary files (a stack deploy's docker config) stay in its own
    # /tmp, out of the host's, where the suite's other tests look for what they wrote
    mkdir -p "$SW/n$i/tmp"
    chmod 1777 "$SW/n$i/tmp"
    cat > "$SW/n$i/sshd_config" <<EOF
# generated by scripts/test-env.sh: node $i's sshd; a session talks to this node's Docker daemon
ListenAddress $(sw_addr "$i")
Port 22
HostKey "$SW/ssh/host_key_n$i"
PidFile "$SW/n$i/sshd.pid"
AuthorizedKeysFile "$SW/ssh/authorized_keys"
AllowUsers $user
SetEnv DOCKER_HOST=unix://$SW/n$i/docker.sock TMPDIR=$SW/n$i/tmp
$(sshd_policy)
EOF
  done
}

sw_start_sshd() { # N
  local n="$1"
  sw_in "$n" unshare --uts sh -c 'hostname "$1" && shift && exec "$@"' sh "$(sw_ns "$n")" \
    "$(command -v sshd)" -f "$SW/n$n/sshd_config" -E "$LOGS/swarm-n$n-sshd.log" < /dev/null > /dev/null 2>&1 9>&- ||
    fail swarm "$LOGS/swarm-n$n-sshd.log" "node $n: sshd failed to start"
}

sw_start_nginx() {
  local dir="$SW/nginx" i servers=""
  mkdir -p "$dir/tmp"
  for ((i = 1; i <= SW_NODES; i++)); do
    servers+="        server $(sw_addr "$i"):$SW_APP_PORT max_fails=1 fail_timeout=5s;"$'\n'
  done
  cat > "$dir/nginx.conf" <<EOF
# generated by scripts/test-env.sh: the operator's Nginx in front of every node's host-mode port $SW_APP_PORT.
# A node whose port refuses (its task stopped for an update) or does not answer in time is skipped for this
# request (proxy_next_upstream) and for fail_timeout after one failure (max_fails=1): a rolling update that
# stops one node's task at a time, and the next one no sooner than fail_timeout and a second after (README's
# update_config delay: 10s), loses no request. A 5xx of the app is not retried: the user sees it.
worker_processes 1;
pid "$dir/nginx.pid";
error_log "$dir/error.log" warn;
events { worker_connections 512; }
http {
    access_log off;
    client_body_temp_path "$dir/tmp";
    proxy_temp_path "$dir/tmp";
    fastcgi_temp_path "$dir/tmp";
    uwsgi_temp_path "$dir/tmp";
    scgi_temp_path "$dir/tmp";
    proxy_connect_timeout 1s;
    proxy_read_timeout 30s;
    upstream swarm_app {
$servers    }
    server {
        listen $HOST:$SW_NGINX_PORT;
        location / {
            proxy_pass http://swarm_app;
            proxy_next_upstream error timeout;
            proxy_set_header Host \$host;
        }
    }
}
EOF
  claim_port swarm-nginx "$SW_NGINX_PORT" && die "swarm: nginx on :$SW_NGINX_PORT runs without the cluster: stop it (scripts/test-env.sh swarm-stop)"
  nginx -p "$dir/" -c "$dir/nginx.conf" -e "$dir/error.log" < /dev/null >> "$dir/error.log" 2>&1 9>&- ||
    fail swarm "$dir/error.log" "nginx failed to start"
  wait_until swarm 20 "$dir/error.log" "" sw_nginx_probe
}

# The test app's build context as this checkout has it (a checkout that adopted another's sandbox builds the
# cluster's images from its own app, which may bind another address than the sandbox's)
sw_app_context() { "$ROOT/scripts/sandbox-app.sh" "$SW/app" > /dev/null; }

sw_write_env() {
  local i
  {
    echo "# generated by scripts/test-env.sh: the test cluster; read by src/test/java/kr/everbit/deploy/sandbox/SwarmCluster.java"
    echo "swarm.nodes=$SW_NODES"
    echo "swarm.hostAddress=$SW_HOST_ADDR"
    for ((i = 1; i <= SW_NODES; i++)); do
      echo "swarm.node.$i.name=$(sw_ns "$i")"
      echo "swarm.node.$i.address=$(sw_addr "$i")"
      echo "swarm.node.$i.docker=unix://$SW/n$i/docker.sock"
    done
    echo "swarm.ssh.port=22"
    echo "swarm.ssh.knownHosts=$SW/ssh/known_hosts"
    echo "swarm.registry.host=127.0.0.1:$SW_REGISTRY_PORT"
    echo "swarm.nginx.url=http://$HOST:$SW_NGINX_PORT"
    echo "swarm.nginx.appPort=$SW_APP_PORT"
    echo "swarm.app.context=$SW/app"
    echo "swarm.control=$ROOT/scripts/test-env.sh"
  } | put_file "$SW/env.properties" || true
}

start_swarm() {
  local t i other pid manager_token
  local -a SW_LAUNCHED=()
  t=$(ms)
  [[ "$(id -u)" == 0 ]] || die "swarm: network namespaces need root"
  (( ${#SW} < 60 )) || die "swarm: $SW is too long a path for the nodes' sockets (unix sockets take 108 bytes): use a shorter checkout path"
  if other="$(sw_foreign)"; then
    die "swarm: the nodes' namespaces are held by another checkout ($other): run its scripts/test-env.sh swarm-stop"
  fi
  SW_REGISTRY_PORT="$(sw_prop registry.host | sed 's/.*://')"
  [[ "$(sw_prop registry.host)" == "127.0.0.1:$SW_REGISTRY_PORT" ]] || die "swarm: the sandbox registry is not on 127.0.0.1"
  if [[ -s "$SW/fingerprint" && "$(cat "$SW/fingerprint")" == "$(sw_fingerprint)" ]] && swarm_probe; then
    sw_app_context
    sw_write_env
    line swarm up "$t" "running ($SW_NODES managers; nginx http://$HOST:$SW_NGINX_PORT)"
    return
  fi
  stop_swarm quiet
  mkdir -p "$SW"
  sw_network
  for ((i = 1; i <= SW_NODES; i++)); do sw_start_dockerd "$i"; done
  for ((i = 1; i <= SW_NODES; i++)); do
    wait_until swarm 60 "$LOGS/swarm-n$i-dockerd.log" "${SW_LAUNCHED[i]}" sw_docker "$i" info
  done
  sw_docker 1 swarm init --advertise-addr "$(sw_addr 1)" --listen-addr "$(sw_addr 1):2377" \
    --default-addr-pool "$SW_SWARM_POOL" --default-addr-pool-mask-length 24 --dispatcher-heartbeat 2s \
    --task-history-limit 2 > "$LOGS/swarm-init.log" 2>&1 || fail swarm "$LOGS/swarm-init.log" "docker swarm init failed"
  manager_token="$(sw_docker 1 swarm join-token -q manager)"
  # one at a time: a manager joins through the Raft quorum the ones before it formed
  for ((i = 2; i <= SW_NODES; i++)); do
    sw_docker "$i" swarm join --token "$manager_token" --advertise-addr "$(sw_addr "$i")" \
      --listen-addr "$(sw_addr "$i"):2377" "$(sw_addr 1):2377" >> "$LOGS/swarm-init.log" 2>&1 ||
      fail swarm "$LOGS/swarm-init.log" "node $i could not join the swarm"
  done
  sw_write_registry_config
  sw_write_ssh
  for ((i = 1; i <= SW_NODES; i++)); do
    sw_start_registry "$i"
    sw_start_sshd "$i"
  done
  for ((i = 1; i <= SW_NODES; i++)); do
    wait_until swarm 30 "$LOGS/swarm-n$i-registry.log" "$(cat "$SW/n$i/registry.pid")" sw_node_registry_probe "$i"
  done
  wait_until swarm 60 "$LOGS/swarm-init.log" "" sw_nodes_ready
  sw_start_nginx
  wait_until swarm 30 "$LOGS/swarm-n1-sshd.log" "" swarm_probe
  sw_fingerprint > "$SW/fingerprint"
  sw_app_context
  sw_write_env
  pid="$(cat "$SW/n1/dockerd.pid" 2>/dev/null || echo '?')"
  line swarm up "$t" "started ($SW_NODES managers at $SW_NET.11-$((10 + SW_NODES)), node 1 dockerd pid $pid; nginx http://$HOST:$SW_NGINX_PORT)"
}

# swarm_node stop|start N: a node's daemon stops (its containers with it, as when a VM goes down; its registry and
# sshd stay) or starts again on its state and rejoins the cluster, for the tests of a node's loss
swarm_node() {
  local n="${2:-}"
  local -a SW_LAUNCHED=()
  [[ "$n" =~ ^[0-9]+$ ]] && ((n >= 1 && n <= SW_NODES)) || die "usage: scripts/test-env.sh swarm-node stop|start 1..$SW_NODES"
  case "${1:-}" in
    stop) stop_pidfile swarm-dockerd "$SW/n$n/dockerd.pid" 60 || true ;;
    start)
      pid_of "$SW/n$n/dockerd.pid" > /dev/null && return 0
      [[ -d "$SW/n$n/data" ]] || die "swarm: node $n has no state: run scripts/test-env.sh"
      sw_start_dockerd "$n"
      wait_until swarm 60 "$LOGS/swarm-n$n-dockerd.log" "${SW_LAUNCHED[n]}" sw_docker "$n" info
      wait_until swarm 60 "$LOGS/swarm-n$n-dockerd.log" "${SW_LAUNCHED[n]}" sw_node_manager "$n" ;;
    *) die "usage: scripts/test-env.sh swarm-node stop|start 1..$SW_NODES" ;;
  esac
}

# sw_node_manager N: the node is back in the cluster as a manager that reaches the Raft quorum
sw_node_manager() {
  [[ "$(sw_docker "$1" info --format '{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}}' 2>/dev/null)" == "active true" ]] &&
    sw_docker "$1" node ls -q > /dev/null 2>&1
}

# ---------------------------------------------------------------------------------------------- stop

# sw_kill_cgroup NAME: ends every process left in the cgroups a node's daemon made for its containers, removes them
sw_kill_cgroup() {
  local c dir p
  for c in /sys/fs/cgroup/*/ /sys/fs/cgroup/; do
    dir="$c$1"
    [[ -d "$dir" ]] || continue
    find "$dir" -name cgroup.procs -exec cat {} + 2>/dev/null | while read -r p; do
      kill -KILL "$p" 2>/dev/null || true
    done
    find "$dir" -depth -type d -exec rmdir {} + 2>/dev/null || true
  done
}

# sw_present: anything of the cluster exists (a node's state or pid file, a namespace, the bridge)
sw_present() {
  local i
  ip link show "$SW_BRIDGE" >/dev/null 2>&1 && return 0
  for ((i = 1; i <= SW_NODES; i++)); do
    [[ -e "/run/netns/$(sw_ns "$i")" || -d "$SW/n$i" ]] && return 0
  done
  [[ -e "$SW/nginx/nginx.pid" ]]
}

stop_swarm() {
  local t i ns p pid left other quiet="${1:-}" deadline
  t=$(ms)
  sw_present || return 0
  if other="$(sw_foreign)"; then
    die "swarm: the nodes' namespaces are held by another checkout ($other): run its scripts/test-env.sh swarm-stop"
  fi
  stop_pidfile swarm-nginx "$SW/nginx/nginx.pid" 10 || true
  for ((i = 1; i <= SW_NODES; i++)); do
    stop_pidfile swarm-sshd "$SW/n$i/sshd.pid" 10 || true
    stop_pidfile swarm-registry "$SW/n$i/registry.pid" 10 || true
  done
  # all daemons at once: each stops its containers before it exits
  for ((i = 1; i <= SW_NODES; i++)); do
    if pid="$(pid_of "$SW/n$i/dockerd.pid")"; then kill -TERM "$pid" 2>/dev/null || true; fi
  done
  for ((i = 1; i <= SW_NODES; i++)); do stop_pidfile swarm-dockerd "$SW/n$i/dockerd.pid" 60 || true; done
  # what outlived its daemon (a container's shim, a session's shell): everything in the nodes' namespaces is ours
  for ((i = 1; i <= SW_NODES; i++)); do
    ns="$(sw_ns "$i")"
    if [[ -e "/run/netns/$ns" ]]; then
      for p in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$p" 2>/dev/null || true; done
    fi
    sw_kill_cgroup "$ns"
  done
  for ((i = 1; i <= SW_NODES; i++)); do
    ns="$(sw_ns "$i")"
    ip link del "$SW_BRIDGE$i" 2>/dev/null || true
    [[ ! -e "/run/netns/$ns" ]] || ip netns del "$ns" || die "swarm: cannot delete network namespace $ns"
  done
  ip link del "$SW_BRIDGE" 2>/dev/null || true
  # a namespace goes once its last user is gone, a little after "ip netns del"
  deadline=$(( $(ms) + 10000 ))
  while left="$(ip -o link show 2>/dev/null | grep -oE "${SW_BRIDGE}[0-9]*" | sort -u | tr '\n' ' ')" && [[ -n "$left" ]]; do
    (( $(ms) < deadline )) || die "swarm: links still present after 10s: $left"
    sleep 0.1
  done
  grep -qF " $SW/" /proc/self/mountinfo && die "swarm: mounts under $SW are left: $(grep -F " $SW/" /proc/self/mountinfo | head -n3)"
  # the nodes' state is thrown away: the next start builds a new cluster
  for ((i = 1; i <= SW_NODES; i++)); do rm -rf "$SW/n$i"; done
  rm -rf "$SW/nginx" "$SW/app" "$SW/fingerprint" "$SW/env.properties" "$SW/registry.yml"
  [[ -n "$quiet" ]] || line swarm down "$t"
}

swarm_status() {
  if [[ -s "$SB/env.properties" ]] && swarm_probe >/dev/null 2>&1; then echo up; else echo down; fi
}
