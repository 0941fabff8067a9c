#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# P8 (QUALITY.md): migration wall time and throughput, `canyonctl migrate` vs `lxc move`
# between the SAME two real LXD daemons of the testbed, for a stopped container holding ~200 MB
# of incompressible data (busybox image + /data.bin from /dev/urandom). Not a test: it prints.
#
#   tests/testbed/up.sh DIR && source DIR/env.sh
#   CANYON_BUILD_DIR=build/ci tests/bench/bench_migrate.sh [--smoke] [--mb N] [--rounds R] [--mode pull|push|relay]
#
# Each round moves the container A->B and back B->A with each tool (both directions measured
# for both tools, in alternating order); the median per tool and direction is printed, then
# the throughput ratio Canyon/lxc = lxc wall / Canyon wall (goal >= 0.95); in relay mode also the
# most the console buffered at once (flow control). --smoke: 5 MB, one
# round (a few seconds): proves the harness only. Exit status non-zero when a move failed.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
MB=200
ROUNDS=3
MODE=pull
while [[ $# -gt 0 ]]; do
    case $1 in
        --smoke) MB=5; ROUNDS=1; shift ;;
        --mb) MB=$2; shift 2 ;;
        --rounds) ROUNDS=$2; shift 2 ;;
        --mode) MODE=$2; shift 2 ;;
        -h | --help) sed -n '2,15p' "$0"; exit 0 ;;
        *) echo "usage: $0 [--smoke] [--mb N] [--rounds R] [--mode pull|push|relay]" >&2; exit 2 ;;
    esac
done
for v in CANYON_LXD_HTTPS CANYON_LXD2_HTTPS CANYON_LXD_DIR CANYON_LXD2_DIR CANYON_LXD_TRUST_PASSWORD; do
    [[ -n ${!v:-} ]] || { echo "bench_migrate: $v not set: source the testbed's env.sh (tests/testbed/up.sh)" >&2; exit 2; }
done
BUILD=${CANYON_BUILD_DIR:-}
if [[ -z $BUILD ]]; then
    for b in build/ci build/release build/bench build/g1; do [[ -x $REPO/$b/app/canyonctl ]] && { BUILD=$REPO/$b; break; }; done
fi
CTL=$BUILD/app/canyonctl
[[ -x $CTL ]] || { echo "bench_migrate: no canyonctl in \$CANYON_BUILD_DIR ($BUILD)" >&2; exit 2; }

W=$(mktemp -d)
NAME=bench-mig-$$
cleanup() {
    for d in "$CANYON_LXD_DIR" "$CANYON_LXD2_DIR"; do LXD_DIR=$d lxc delete -f "$NAME" >/dev/null 2>&1 || true; done
    rm -rf "$W"
}
trap cleanup EXIT
pin() { openssl x509 -in "$1/server.crt" -noout -fingerprint -sha256 | cut -d= -f2 | tr -d : | tr 'A-F' 'a-f'; }
PW=$CANYON_LXD_TRUST_PASSWORD
"$CTL" --config "$W/cfg" hosts add a --lxd "https://$CANYON_LXD_HTTPS" --trust-password "$PW" --accept-certificate "$(pin "$CANYON_LXD_DIR")" >/dev/null
"$CTL" --config "$W/cfg" hosts add b --lxd "https://$CANYON_LXD2_HTTPS" --trust-password "$PW" --accept-certificate "$(pin "$CANYON_LXD2_DIR")" >/dev/null
# lxc's own client, with both daemons as remotes (its own config dir, its own certificate)
export LXD_CONF=$W/lxc
lxc remote add a "https://$CANYON_LXD_HTTPS" --password "$PW" --accept-certificate -q >/dev/null 2>&1
lxc remote add b "https://$CANYON_LXD2_HTTPS" --password "$PW" --accept-certificate -q >/dev/null 2>&1

lxc launch -q "a:${CANYON_LXD_IMAGE:-test}" "a:$NAME"
lxc exec "a:$NAME" -- dd if=/dev/urandom of=/data.bin bs=1M count="$MB" 2>/dev/null
lxc stop -f "a:$NAME"
BYTES=$(du -sb "$CANYON_LXD_DIR/storage-pools/default/containers/$NAME" 2>/dev/null | cut -f1 || echo 0)

now() { date +%s.%N; }
declare -A T
PEAKS=""
move_ctl() { # $1 -> $2
    local t0 t1
    t0=$(now)
    "$CTL" --config "$W/cfg" migrate "$1/$NAME" "$2" --mode "$MODE" --json >"$W/out.json" || { echo "bench_migrate: canyonctl migrate $1 -> $2 failed" >&2; cat "$W/out.json" >&2; exit 1; }
    t1=$(now)
    # relay mode: the most the console held at once (flow control bounds it, QUALITY R4/P8)
    local peak
    peak=$(grep -o '"relay_peak_buffered_bytes": *[0-9]*' "$W/out.json" | grep -o '[0-9]*$' || true)
    [[ -n $peak ]] && PEAKS+="$peak "
    T[ctl-$1$2]+="$(echo "$t1 - $t0" | bc) "
}
move_lxc() {
    local t0 t1
    t0=$(now)
    lxc move "$1:$NAME" "$2:$NAME" --mode "$MODE" >/dev/null || { echo "bench_migrate: lxc move $1 -> $2 failed" >&2; exit 1; }
    t1=$(now)
    T[lxc-$1$2]+="$(echo "$t1 - $t0" | bc) "
}
for ((r = 0; r < ROUNDS; r++)); do
    if ((r % 2 == 0)); then
        move_ctl a b; move_lxc b a; move_lxc a b; move_ctl b a
    else
        move_lxc a b; move_ctl b a; move_ctl a b; move_lxc b a
    fi
done
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
echo "P8 migration, mode $MODE, container on disk $((BYTES / 1000000)) MB (/data.bin $MB MB random), $ROUNDS round(s), median wall:"
for dir in ab ba; do
    c=$(echo "${T[ctl-$dir]}" | median)
    l=$(echo "${T[lxc-$dir]}" | median)
    printf '  %s  canyonctl migrate %6.2f s (%6.1f MB/s)   lxc move %6.2f s (%6.1f MB/s)   ratio canyon/lxc throughput %.2f\n' \
        "${dir:0:1}->${dir:1:1}" "$c" "$(echo "$BYTES / 1000000 / $c" | bc -l)" "$l" "$(echo "$BYTES / 1000000 / $l" | bc -l)" \
        "$(echo "$l / $c" | bc -l)"
done
if [[ -n $PEAKS ]]; then
    max=$(echo "$PEAKS" | tr ' ' '\n' | grep -v '^$' | sort -g | tail -1)
    echo "  relay: peak bytes buffered in the console $max ($(echo "$max / 1048576" | bc -l | cut -c1-5) MiB) for $((BYTES / 1000000)) MB moved"
fi
