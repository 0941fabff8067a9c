# SPDX-License-Identifier: GPL-3.0-or-later
# shellcheck shell=bash
# Sourced by the testbed scripts that run LXD daemons (snapd-device.sh, lxd-second.sh,
# lxd-cluster.sh): a daemon's start, stop and cleanup, and its first configuration.
# A daemon's files live in D/lxd (LXD_DIR) and D/lxc-client (LXD_CONF) of its dir D, its pid in
# D/lxd.pid. Needs die() from the caller; messages start with the caller's name (LXD_TAG).

LXD_TAG=${LXD_TAG:-$(basename "$0" .sh)}
# Everything the daemon or its helpers might fetch from the internet goes to a dead loopback port.
DEAD_PROXY=http://127.0.0.1:9

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

lxd_env() { # the daemon and client of D for every lxd/lxc call that follows; $1 = D
    export LXD_DIR=$1/lxd LXD_CONF=$1/lxc-client
}

lxd_pid_alive() { # $1 = D
    local pid
    [[ -f $1/lxd.pid ]] || return 1
    pid=$(<"$1/lxd.pid")
    [[ -r /proc/$pid/cmdline ]] && { tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null | grep -q '^lxd '
}

# Pids of every process whose command line names our LXD_DIR (dnsmasq, forkproxy, monitors...).
pids_of_dir() { # $1 = D
    local p
    for p in /proc/[0-9]*; do
        { tr '\0' ' ' <"$p/cmdline"; } 2>/dev/null | grep -qF -- "$1/lxd/" && echo "${p#/proc/}"
    done
    return 0
}

# Starts the daemon of D (a fresh or an existing D/lxd) and waits until it is ready.
# $1 = D, $2 = the group of its unix socket (root unless the test user must reach it).
lxd_run() {
    local dir=$1 group=${2:-root}
    lxd_env "$dir"
    mkdir -p "$LXD_DIR" "$LXD_CONF"
    # Only the daemon gets the dead proxy (it fetches instance types etc. at start).
    HTTPS_PROXY=$DEAD_PROXY HTTP_PROXY=$DEAD_PROXY https_proxy=$DEAD_PROXY http_proxy=$DEAD_PROXY \
        NO_PROXY=127.0.0.1,localhost,::1 no_proxy=127.0.0.1,localhost,::1 \
        setsid lxd --group "$group" --logfile "$dir/lxd.log" </dev/null >>"$dir/lxd.out" 2>&1 &
    echo $! >"$dir/lxd.pid"
    timeout 70 lxd waitready --timeout=60 || die "LXD of $dir did not become ready (see $dir/lxd.log)"
}

# Stops every container the daemon of D answers for (a cluster member: those of all members),
# if it runs: `lxd shutdown` with running ones waits up to 5 minutes. $1 = D
lxd_stop_containers() {
    lxd_pid_alive "$1" || return 0
    lxd_env "$1"
    timeout 60 lxc stop --all --force >/dev/null 2>&1 || echo "$LXD_TAG: lxc stop --all failed" >&2
}

# Stops the daemon of D (killing it when it does not stop in time); safe when it is not running.
lxd_shutdown() { # $1 = D
    local dir=$1 pid i
    lxd_env "$dir"
    if lxd_pid_alive "$dir"; then
        timeout 60 lxd shutdown >/dev/null 2>&1 || echo "$LXD_TAG: lxd shutdown of $dir failed, killing" >&2
        pid=$(<"$dir/lxd.pid")
        for ((i = 0; i < 50; i++)); do lxd_pid_alive "$dir" || break; sleep 0.1; done
        if lxd_pid_alive "$dir"; then kill -KILL "$pid" 2>/dev/null || true; fi
    fi
    # (a daemon killed on purpose by fault tests leaves its containers' monitors: lxd_cleanup)
    rm -f "$dir/lxd.pid"
}

# Removes what a stopped daemon of D left: processes of its LXD_DIR, its mounts (shmounts,
# devlxd, storage), then D/lxd and the further paths given. $1 = D, $2... = more to delete.
lxd_cleanup() {
    local dir=$1 pid i m
    shift
    for pid in $(pids_of_dir "$dir"); do kill -TERM "$pid" 2>/dev/null || true; done
    for ((i = 0; i < 30; i++)); do [[ -z $(pids_of_dir "$dir") ]] && break; sleep 0.1; done
    for pid in $(pids_of_dir "$dir"); do kill -KILL "$pid" 2>/dev/null || true; done
    while read -r m; do
        umount -l "$m" 2>/dev/null || true
    done < <(awk -v r="$dir/lxd" '$2 == r || index($2, r "/") == 1 { print $2 }' /proc/mounts | sort -r)
    if [[ -d $dir/lxd ]]; then
        if awk -v r="$dir/lxd/" 'index($2, r) == 1 { f = 1 } END { exit !f }' /proc/mounts; then
            echo "$LXD_TAG: WARNING: mounts left under $dir/lxd, not deleting it" >&2
        else
            rm -rf --one-file-system "$dir/lxd" "$@"
        fi
    fi
}

# Removes a daemon's bridge $1 (none when empty) and the per-bridge nftables chains LXD leaves
# behind (ours only: another daemon may share the table), then the table itself once no daemon
# has chains in it any more.
lxd_drop_bridge() {
    local bridge=$1 chain
    if [[ -n $bridge ]]; then
        if ip link show "$bridge" >/dev/null 2>&1; then ip link delete "$bridge" 2>/dev/null || true; fi
        if command -v nft >/dev/null; then
            for chain in $(nft list table inet lxd 2>/dev/null | awk -v b=".$bridge" '$1 == "chain" && substr($2, length($2) - length(b) + 1) == b { print $2 }'); do
                nft delete chain inet lxd "$chain" 2>/dev/null || true
            done
        fi
    fi
    if command -v nft >/dev/null && nft list table inet lxd 2>/dev/null | grep -q '^table' &&
        ! nft list table inet lxd 2>/dev/null | grep -q 'chain '; then
        nft delete table inet lxd 2>/dev/null || true
    fi
}

# Initialises a fresh daemon for the tests: https on loopback only, the trust password, no image
# auto-update (offline), a dir pool, and a default profile with the root disk. With a bridge, a
# network without NAT or upstream DNS and a NIC on it in the default profile; with a member
# name, the daemon bootstraps a cluster as that member (cluster address = the https address).
# $1 = log file, $2 = https port, $3 = trust password, $4 = bridge ("" for none), $5 = bridge
# CIDR, $6 = cluster member name (optional). Needs LXD_DIR exported (the daemon to talk to).
lxd_preseed() {
    local logf=$1 https=$2 trust=$3 bridge=$4 cidr=$5 member=${6:-} cluster="" networks="" nic=""
    if [[ -n $member ]]; then
        cluster="  cluster.https_address: \"127.0.0.1:$https\"
cluster:
  server_name: $member
  enabled: true"
    fi
    if [[ -n $bridge ]]; then
        networks="networks:
- name: $bridge
  type: bridge
  config:
    ipv4.address: $cidr
    ipv4.nat: \"false\"
    ipv4.routing: \"false\"
    ipv6.address: none
    raw.dnsmasq: no-resolv"
        nic="    eth0: {name: eth0, network: $bridge, type: nic}"
    fi
    # (empty fragments leave empty lines, which YAML ignores)
    lxd init --preseed >"$logf" 2>&1 <<PRESEED || { cat "$logf" >&2; die "lxd init --preseed failed"; }
config:
  core.https_address: "127.0.0.1:$https"
  core.trust_password: "$trust"
  images.auto_update_interval: "0"
$cluster
$networks
storage_pools:
- name: default
  driver: dir
profiles:
- name: default
  devices:
    root: {path: /, pool: default, type: disk}
$nic
PRESEED
}
