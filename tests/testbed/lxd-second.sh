#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# A SECOND, independent LXD 5.0 daemon on loopback: the migration target of issue 5's tests.
# It is a plain LXD host (no device inside): own LXD_DIR (DIR/lxd), own bridge, REST API on
# https://127.0.0.1:PORT with the same trust password as the first daemon, a `dir` pool named
# "default", a "default" profile, and the same busybox test image (alias "test").
#
#   lxd-second.sh start DIR [HTTPS_PORT]     # DIR e.g. TESTBED/lxd2; writes DIR/env.sh
#   lxd-second.sh stop DIR                   # stops containers first, then the daemon
#
# Knobs (environment): CANYON_TESTBED_LXD2_HTTPS_PORT (8444; the argument wins),
# CANYON_LXD2_BRIDGE (canyonbr0b), CANYON_LXD2_BRIDGE_CIDR (10.249.0.1/24),
# CANYON_LXD_TRUST_PASSWORD (canyon-testbed).
# env.sh exports CANYON_LXD2_DIR, CANYON_LXD2_HTTPS (127.0.0.1:PORT), CANYON_LXD2_BRIDGE.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BRIDGE=${CANYON_LXD2_BRIDGE:-canyonbr0b}
BRIDGE_CIDR=${CANYON_LXD2_BRIDGE_CIDR:-10.249.0.1/24}
TRUST_PASSWORD=${CANYON_LXD_TRUST_PASSWORD:-canyon-testbed}
DEAD_PROXY=http://127.0.0.1:9
T0=$SECONDS

die() { echo "lxd-second: ERROR: $*" >&2; exit 1; }
log() { echo "lxd-second: [$((SECONDS - T0))s] $*"; }
usage() { echo "usage: $0 start DIR [HTTPS_PORT] | stop DIR" >&2; exit 2; }
# shellcheck source=lxd-common.sh
. "$HERE/lxd-common.sh"
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
lxd_env() { export LXD_DIR=$1/lxd LXD_CONF=$1/lxc-client; }

lxd_pid_alive() { # $1 = DIR
    local pid
    [[ -f $1/lxd.pid ]] || return 1
    pid=$(<"$1/lxd.pid")
    [[ -r /proc/$pid/cmdline ]] && { tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null | grep -q '^lxd '
}

pids_of_dir() { # $1 = DIR: dnsmasq, forkproxy, monitors of our LXD_DIR only
    local p
    for p in /proc/[0-9]*; do
        { tr '\0' ' ' <"$p/cmdline"; } 2>/dev/null | grep -qF -- "$1/lxd/" && echo "${p#/proc/}"
    done
    return 0
}

do_stop() { # $1 = DIR; safe on a half-started or stopped daemon
    local dir=$1 pid i m bridge=$BRIDGE
    [[ -f $dir/bridge ]] && bridge=$(<"$dir/bridge")
    [[ -n $bridge ]] || bridge=$BRIDGE
    lxd_env "$dir"
    if lxd_pid_alive "$dir"; then
        # containers first: `lxd shutdown` with running ones waits up to 5 minutes
        timeout 60 lxc stop --all --force >/dev/null 2>&1 || echo "lxd-second: lxc stop --all failed" >&2
        timeout 60 lxd shutdown >/dev/null 2>&1 || echo "lxd-second: lxd shutdown failed, killing" >&2
        pid=$(<"$dir/lxd.pid")
        for ((i = 0; i < 50; i++)); do lxd_pid_alive "$dir" || break; sleep 0.1; done
        if lxd_pid_alive "$dir"; then kill -KILL "$pid" 2>/dev/null || true; fi
    elif [[ -f $dir/lxd.pid ]]; then
        # a daemon killed on purpose (fault tests) leaves its containers' monitors behind
        :
    fi
    rm -f "$dir/lxd.pid"
    for pid in $(pids_of_dir "$dir"); do kill -TERM "$pid" 2>/dev/null || true; done
    for ((i = 0; i < 30; i++)); do [[ -z $(pids_of_dir "$dir") ]] && break; sleep 0.1; done
    for pid in $(pids_of_dir "$dir"); do kill -KILL "$pid" 2>/dev/null || true; done
    if [[ -f $dir/bridge ]] && ip link show "$bridge" >/dev/null 2>&1; then
        ip link delete "$bridge" 2>/dev/null || true
    fi
    if command -v nft >/dev/null && [[ -f $dir/bridge ]]; then
        local chain
        for chain in $(nft list table inet lxd 2>/dev/null | awk -v b=".$bridge" '$1 == "chain" && substr($2, length($2) - length(b) + 1) == b { print $2 }'); do
            nft delete chain inet lxd "$chain" 2>/dev/null || true
        done
    fi
    if command -v nft >/dev/null && nft list table inet lxd 2>/dev/null | grep -q '^table' &&
        ! nft list table inet lxd 2>/dev/null | grep -q 'chain '; then
        nft delete table inet lxd 2>/dev/null || true
    fi
    rm -f "$dir/bridge" "$dir/env.sh"
    while read -r m; do
        umount -l "$m" 2>/dev/null || true
    done < <(awk -v r="$dir/lxd" '$2 == r || index($2, r "/") == 1 { print $2 }' /proc/mounts | sort -r)
    if [[ -d $dir/lxd ]]; then
        if awk -v r="$dir/lxd/" 'index($2, r) == 1 { f = 1 } END { exit !f }' /proc/mounts; then
            echo "lxd-second: WARNING: mounts left under $dir/lxd, not deleting it" >&2
        else
            rm -rf --one-file-system "$dir/lxd"
        fi
    fi
    echo "lxd-second: stopped"
}

# Starts the daemon of an existing (or fresh) DIR/lxd; used by start and by fault tests that
# killed it (`lxd-second.sh restart DIR`).
run_daemon() { # $1 = DIR
    local dir=$1
    lxd_env "$dir"
    mkdir -p "$LXD_DIR" "$LXD_CONF"
    HTTPS_PROXY=$DEAD_PROXY HTTP_PROXY=$DEAD_PROXY https_proxy=$DEAD_PROXY http_proxy=$DEAD_PROXY \
        NO_PROXY=127.0.0.1,localhost,::1 no_proxy=127.0.0.1,localhost,::1 \
        setsid lxd --group root --logfile "$dir/lxd.log" </dev/null >>"$dir/lxd.out" 2>&1 &
    echo $! >"$dir/lxd.pid"
    timeout 70 lxd waitready --timeout=60 || die "LXD did not become ready (see $dir/lxd.log)"
}

do_start() { # $1 = DIR, $2 = https port
    local dir=$1 https=$2
    [[ $(id -u) -eq 0 ]] || die "must run as root"
    [[ $https =~ ^[0-9]+$ ]] || usage
    for c in lxd lxc nft curl; do command -v "$c" >/dev/null || die "$c missing: run tests/testbed/install-deps.sh"; done
    ((${#dir} <= 80)) || die "DIR path too long for LXD's unix socket (${#dir} > 80 chars): $dir"
    lxd_pid_alive "$dir" && die "an LXD of $dir is already running: run '$0 stop $dir' first"
    port_open "$https" && die "port $https is already in use"
    ip link show "$BRIDGE" >/dev/null 2>&1 && die "bridge $BRIDGE already exists (another testbed?): set CANYON_LXD2_BRIDGE or stop it"
    mkdir -p "$dir"
    chmod 755 "$dir"
    do_stop "$dir" >/dev/null
    trap 'rc=$?; if ((rc != 0)); then echo "lxd-second: start failed, cleaning up" >&2; do_stop "$dir" >&2; fi' EXIT
    trap 'exit 130' INT TERM

    run_daemon "$dir"
    echo "$BRIDGE" >"$dir/bridge"
    lxd_preseed "$dir/lxd-init.log" "$https" "$TRUST_PASSWORD" "$BRIDGE" "$BRIDGE_CIDR"
    log "LXD up (https 127.0.0.1:$https, bridge $BRIDGE $BRIDGE_CIDR)"
    "$HERE/lxd-image.sh" "$dir" >/dev/null || die "the busybox test image was not imported"
    curl -sfk --max-time 5 "https://127.0.0.1:$https/1.0" >/dev/null || die "LXD https on 127.0.0.1:$https does not answer"
    cat >"$dir/env.sh" <<EOF
# generated by tests/testbed/lxd-second.sh: source it
export CANYON_LXD2_DIR=$dir/lxd
export CANYON_LXD2_HTTPS=127.0.0.1:$https
export CANYON_LXD2_BRIDGE=$BRIDGE
EOF
    trap - EXIT INT TERM
    log "second LXD up: source $dir/env.sh"
}

[[ $# -ge 2 ]] || usage
DIR=$(realpath -m "$2")
[[ $DIR =~ ^/[A-Za-z0-9_./-]+$ ]] || die "DIR must be a plain path ([A-Za-z0-9_./-]), got '$DIR'"
case $1 in
    start) do_start "$DIR" "${3:-${CANYON_TESTBED_LXD2_HTTPS_PORT:-8444}}" ;;
    stop) do_stop "$DIR" ;;
    # fault tests: bring a daemon back that was killed (same DIR, same config, same bridge)
    restart) lxd_pid_alive "$DIR" || run_daemon "$DIR" ;;
    *) usage ;;
esac
