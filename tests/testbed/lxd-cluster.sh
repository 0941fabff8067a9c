#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# A real two-member LXD 5.0 CLUSTER on loopback: the member moves of issue 5 (`?target=`).
# Member m1 (DIR/a/lxd) bootstraps the cluster on https 127.0.0.1:PORT_A, member m2 (DIR/b/lxd)
# joins it on 127.0.0.1:PORT_B with a join token. Both run on this one kernel, so there is NO
# managed network (a cluster bridge has one interface name on every member: they would clash);
# instances get no NIC. A `dir` pool "default", a "default" profile with only the root disk, the
# trust password of the other testbed daemons, and the busybox test image (alias "test").
#
#   lxd-cluster.sh start DIR [PORT_A [PORT_B]]   # writes DIR/env.sh; ~3 s
#   lxd-cluster.sh stop DIR                      # stops the containers, then both members
#
# Knobs (environment): CANYON_TESTBED_LXDC_PORT (8445; PORT_B = PORT_A + 1; arguments win),
# CANYON_LXD_TRUST_PASSWORD (canyon-testbed).
# env.sh exports CANYON_LXDC_URL (https://127.0.0.1:PORT_A), CANYON_LXDC_URL_B, CANYON_LXDC_MEMBERS
# ("m1 m2"), CANYON_LXDC_DIR (LXD_DIR of m1: `LXD_DIR=$CANYON_LXDC_DIR lxc ...` sees the cluster).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TRUST_PASSWORD=${CANYON_LXD_TRUST_PASSWORD:-canyon-testbed}
DEAD_PROXY=http://127.0.0.1:9
MEMBERS=(m1 m2)
SUBDIRS=(a b)
T0=$SECONDS

die() { echo "lxd-cluster: ERROR: $*" >&2; exit 1; }
log() { echo "lxd-cluster: [$((SECONDS - T0))s] $*"; }
usage() { echo "usage: $0 start DIR [PORT_A [PORT_B]] | stop DIR" >&2; exit 2; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
member_env() { export LXD_DIR=$1/lxd LXD_CONF=$1/lxc-client; } # $1 = DIR/a or DIR/b

lxd_pid_alive() { # $1 = member dir
    local pid
    [[ -f $1/lxd.pid ]] || return 1
    pid=$(<"$1/lxd.pid")
    [[ -r /proc/$pid/cmdline ]] && { tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null | grep -q '^lxd '
}

pids_of_dir() { # $1 = member dir: monitors and forks of our LXD_DIR only
    local p
    for p in /proc/[0-9]*; do
        { tr '\0' ' ' <"$p/cmdline"; } 2>/dev/null | grep -qF -- "$1/lxd/" && echo "${p#/proc/}"
    done
    return 0
}

run_member() { # $1 = member dir
    local m=$1
    member_env "$m"
    mkdir -p "$LXD_DIR" "$LXD_CONF"
    HTTPS_PROXY=$DEAD_PROXY HTTP_PROXY=$DEAD_PROXY https_proxy=$DEAD_PROXY http_proxy=$DEAD_PROXY \
        NO_PROXY=127.0.0.1,localhost,::1 no_proxy=127.0.0.1,localhost,::1 \
        setsid lxd --group root --logfile "$m/lxd.log" </dev/null >>"$m/lxd.out" 2>&1 &
    echo $! >"$m/lxd.pid"
    timeout 70 lxd waitready --timeout=60 || die "LXD of $m did not become ready (see $m/lxd.log)"
}

stop_member() { # $1 = member dir; after the containers of the whole cluster were stopped
    local m=$1 pid i
    member_env "$m"
    if lxd_pid_alive "$m"; then
        timeout 60 lxd shutdown >/dev/null 2>&1 || echo "lxd-cluster: lxd shutdown of $m failed, killing" >&2
        pid=$(<"$m/lxd.pid")
        for ((i = 0; i < 50; i++)); do lxd_pid_alive "$m" || break; sleep 0.1; done
        if lxd_pid_alive "$m"; then kill -KILL "$pid" 2>/dev/null || true; fi
    fi
    rm -f "$m/lxd.pid"
}

cleanup_member() { # $1 = member dir: leftover processes, mounts, the daemon's dir
    local m=$1 pid i mnt
    for pid in $(pids_of_dir "$m"); do kill -TERM "$pid" 2>/dev/null || true; done
    for ((i = 0; i < 30; i++)); do [[ -z $(pids_of_dir "$m") ]] && break; sleep 0.1; done
    for pid in $(pids_of_dir "$m"); do kill -KILL "$pid" 2>/dev/null || true; done
    while read -r mnt; do
        umount -l "$mnt" 2>/dev/null || true
    done < <(awk -v r="$m/lxd" '$2 == r || index($2, r "/") == 1 { print $2 }' /proc/mounts | sort -r)
    if [[ -d $m/lxd ]]; then
        if awk -v r="$m/lxd/" 'index($2, r) == 1 { f = 1 } END { exit !f }' /proc/mounts; then
            echo "lxd-cluster: WARNING: mounts left under $m/lxd, not deleting it" >&2
        else
            rm -rf --one-file-system "$m/lxd" "$m/lxc-client"
        fi
    fi
}

do_stop() { # $1 = DIR; safe on a half-started or stopped cluster
    local dir=$1 s alive=""
    for s in "${SUBDIRS[@]}"; do lxd_pid_alive "$dir/$s" && alive=$dir/$s && break; done
    if [[ -n $alive ]]; then
        # containers first (of every member: the cluster answers for all of them), or
        # `lxd shutdown` waits up to 5 minutes
        member_env "$alive"
        timeout 60 lxc stop --all --force >/dev/null 2>&1 || echo "lxd-cluster: lxc stop --all failed" >&2
    fi
    # the joining member first, the bootstrap (database leader) last
    for ((s = ${#SUBDIRS[@]} - 1; s >= 0; s--)); do stop_member "$dir/${SUBDIRS[s]}"; done
    for s in "${SUBDIRS[@]}"; do cleanup_member "$dir/$s"; done
    rm -f "$dir/env.sh"
    echo "lxd-cluster: stopped"
}

do_start() { # $1 = DIR, $2 = port A, $3 = port B
    local dir=$1 pa=$2 pb=$3 token a=$1/a b=$1/b
    [[ $(id -u) -eq 0 ]] || die "must run as root"
    [[ $pa =~ ^[0-9]+$ && $pb =~ ^[0-9]+$ && $pa != "$pb" ]] || usage
    for c in lxd lxc curl; do command -v "$c" >/dev/null || die "$c missing: run tests/testbed/install-deps.sh"; done
    ((${#dir} <= 76)) || die "DIR path too long for LXD's unix socket (${#dir} > 76 chars): $dir"
    for s in "${SUBDIRS[@]}"; do lxd_pid_alive "$dir/$s" && die "an LXD of $dir/$s is already running: run '$0 stop $dir' first"; done
    port_open "$pa" && die "port $pa is already in use"
    port_open "$pb" && die "port $pb is already in use"
    mkdir -p "$a" "$b"
    chmod 755 "$dir" "$a" "$b"
    do_stop "$dir" >/dev/null
    trap 'rc=$?; if ((rc != 0)); then echo "lxd-cluster: start failed, cleaning up" >&2; do_stop "$dir" >&2; fi' EXIT
    trap 'exit 130' INT TERM

    # both daemons start at once (~0.6 s), then m1 bootstraps and m2 joins
    run_member "$a" &
    local ja=$!
    run_member "$b" &
    local jb=$!
    wait "$ja" || die "member m1 did not start"
    wait "$jb" || die "member m2 did not start"
    member_env "$a"
    lxd init --preseed >"$dir/init-m1.log" 2>&1 <<PRESEED || { cat "$dir/init-m1.log" >&2; die "bootstrapping m1 failed"; }
config:
  core.https_address: "127.0.0.1:$pa"
  cluster.https_address: "127.0.0.1:$pa"
  core.trust_password: "$TRUST_PASSWORD"
  images.auto_update_interval: "0"
cluster:
  server_name: ${MEMBERS[0]}
  enabled: true
storage_pools:
- name: default
  driver: dir
profiles:
- name: default
  devices:
    root: {path: /, pool: default, type: disk}
PRESEED
    token=$(lxc cluster add "${MEMBERS[1]}" --quiet) || die "no join token for ${MEMBERS[1]}"
    member_env "$b"
    lxd init --preseed >"$dir/init-m2.log" 2>&1 <<PRESEED || { cat "$dir/init-m2.log" >&2; die "joining m2 failed"; }
cluster:
  enabled: true
  server_name: ${MEMBERS[1]}
  server_address: "127.0.0.1:$pb"
  cluster_token: "$token"
  member_config:
  - entity: storage-pool
    name: default
    key: source
    value: ""
PRESEED
    log "cluster up (m1 127.0.0.1:$pa, m2 127.0.0.1:$pb)"
    "$HERE/lxd-image.sh" "$a" >/dev/null || die "the busybox test image was not imported"
    member_env "$a"
    local online
    online=$(lxc cluster list --format csv | grep -c ',ONLINE,' || true)
    ((online == 2)) || die "expected 2 ONLINE members, lxc cluster list says $online"
    curl -sfk --max-time 5 "https://127.0.0.1:$pa/1.0" >/dev/null || die "m1 https on 127.0.0.1:$pa does not answer"
    curl -sfk --max-time 5 "https://127.0.0.1:$pb/1.0" >/dev/null || die "m2 https on 127.0.0.1:$pb does not answer"
    cat >"$dir/env.sh" <<EOF
# generated by tests/testbed/lxd-cluster.sh: source it
export CANYON_LXDC_DIR=$a/lxd
export CANYON_LXDC_URL=https://127.0.0.1:$pa
export CANYON_LXDC_URL_B=https://127.0.0.1:$pb
export CANYON_LXDC_MEMBERS="${MEMBERS[*]}"
EOF
    trap - EXIT INT TERM
    log "LXD cluster up: source $dir/env.sh"
}

[[ $# -ge 2 ]] || usage
DIR=$(realpath -m "$2")
[[ $DIR =~ ^/[A-Za-z0-9_./-]+$ ]] || die "DIR must be a plain path ([A-Za-z0-9_./-]), got '$DIR'"
case $1 in
    start)
        PA=${3:-${CANYON_TESTBED_LXDC_PORT:-8445}}
        [[ $PA =~ ^[0-9]+$ ]] || usage
        do_start "$DIR" "$PA" "${4:-$((PA + 1))}"
        ;;
    stop) do_stop "$DIR" ;;
    *) usage ;;
esac
