#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# QUALITY.md P7: bulk refresh wall time over N devices, Canyon vs Ansible, on the same targets.
# Not a test: it prints one ratio line (and the raw figures) and judges nothing.
#
#   CANYON_BUILD_DIR=build/dev tests/bench/bench_refresh.sh [--smoke] [--keep]
#   BENCH_N (default 50, smoke 5)
#
# Targets: canyon-fleetsim serve with N snap devices on one loopback port. Every tool gets a FRESH
# simulator with identical seeded state (a device has 1-3 snaps with updates), so each one does the
# same refreshes. The simulator's --no-wait changes normally stay "Doing" for 3 s while a waited
# `snap refresh` is over at once; that would bill Canyon (which submits --no-wait and follows the
# change, to journal its id: R2) for 3 s that Ansible never waits. The seeded state is therefore
# written with changeDurationMs = 0 for every tool, so the figure is the tools' own cost.
#   canyon : canyonctl refresh --all --concurrency N --batches 100% --max-fail 100 --json
#            (includes what the product does around the writes: the inventory read that the plan
#            is made from, the journal, following each change, and re-reading every device after)
#   ansible: ansible all -f N -m raw -a 'sudo -n snap refresh'   (raw: the simulator has no
#            Python, which -m shell needs; raw is also ansible's cheapest way to run a command)
# Both pin curve25519-sha256, the same key and known_hosts, no user ssh config.
set -euo pipefail
export LC_ALL=C.UTF-8

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
smoke=0 keep=0
for a in "$@"; do
    case $a in
    --smoke) smoke=1 ;;
    --keep) keep=1 ;;
    *) echo "usage: $0 [--smoke] [--keep]" >&2; exit 2 ;;
    esac
done
N=${BENCH_N:-$( ((smoke)) && echo 5 || echo 50)}
KEX=curve25519-sha256

BUILD=${CANYON_BUILD_DIR:-}
if [[ -z $BUILD ]]; then
    for b in "$REPO"/build/*; do
        if [[ -x $b/app/canyonctl && -x $b/app/fleetsim/canyon-fleetsim ]]; then BUILD=$b; break; fi
    done
fi
[[ $BUILD == /* ]] || BUILD=$REPO/$BUILD
CTL=$BUILD/app/canyonctl
SIM=$BUILD/app/fleetsim/canyon-fleetsim
for b in "$CTL" "$SIM"; do [[ -x $b ]] || { echo "missing $b: build canyonctl canyon-fleetsim" >&2; exit 2; }; done
for t in ansible ssh-keygen python3; do command -v "$t" >/dev/null || { echo "$t is missing" >&2; exit 2; }; done

TMP=$(mktemp -d /tmp/canyon-bench-refresh.XXXXXX)
SIM_PID=
cleanup() {
    if [[ -n $SIM_PID ]]; then kill "$SIM_PID" 2>/dev/null || true; wait "$SIM_PID" 2>/dev/null || true; fi
    if ((keep)); then echo "# kept $TMP" >&2; else rm -rf "$TMP"; fi
}
trap cleanup EXIT

ssh-keygen -q -t ed25519 -N '' -C canyon-bench-host -f "$TMP/host_ed25519"
ssh-keygen -q -t ed25519 -N '' -C canyon-bench-client -f "$TMP/client_ed25519"

now() { date +%s.%N; }
calc() { python3 -c "print(f'{($1):.${2:-2}f}')"; }

# A fresh simulator with N seeded devices whose changes complete at once; sets PORT.
start_sim() { # $1 = label
    local dir=$TMP/$1 i
    mkdir -p "$dir/state"
    for ((i = 0; i < N; i++)); do
        "$SIM" init-state --out "$dir/state/$(printf 'dev%04d' "$i").json" --dialect snap --index "$i"
    done
    python3 - "$dir/state" <<'PY'
import json, pathlib, sys
for p in pathlib.Path(sys.argv[1]).glob("dev*.json"):
    d = json.loads(p.read_text()); d["changeDurationMs"] = 0; p.write_text(json.dumps(d))
PY
    "$SIM" serve --port 0 --listen 127.0.0.1 --devices "$N" --snappy-share 0 --state-dir "$dir/state" \
        --host-key "$TMP/host_ed25519" --authorized-key "$TMP/client_ed25519.pub" >"$dir/sim.out" 2>"$dir/sim.err" &
    SIM_PID=$!
    for ((i = 0; i < 300; i++)); do
        grep -q '^READY ' "$dir/sim.out" 2>/dev/null && break
        sleep 0.1
    done
    PORT=$(awk '/^READY / { print $2; exit }' "$dir/sim.out")
    [[ -n $PORT ]] || { echo "simulator not READY: $(tail -c 400 "$dir/sim.err")" >&2; exit 1; }
    echo "[127.0.0.1]:$PORT $(cut -d' ' -f1,2 "$TMP/host_ed25519.pub")" >"$dir/known_hosts"
}
stop_sim() {
    kill "$SIM_PID" 2>/dev/null || true
    wait "$SIM_PID" 2>/dev/null || true
    SIM_PID=
}
# How many devices had a refresh change recorded (the work actually done).
refreshed() { # $1 = label
    python3 - "$TMP/$1/state" <<'PY'
import json, pathlib, sys
n = 0
for p in pathlib.Path(sys.argv[1]).glob("dev*.json"):
    d = json.loads(p.read_text())
    n += any(c.get("kind") == "refresh-snap" and c.get("status") == "Done" and "Refresh" in c.get("summary", "")
             and c.get("id", 0) > 0 and not c.get("summary", "").startswith("Auto") for c in d.get("changes", []))
print(n)
PY
}

# --- canyon ---------------------------------------------------------------------------------
start_sim canyon
cfg=$TMP/canyon/cfg
ctlg=(--config "$cfg" --ssh-config none --known-hosts "$TMP/canyon/known_hosts" --kex "$KEX")
for ((i = 0; i < N; i++)); do
    u=$(printf 'dev%04d' "$i")
    "$CTL" "${ctlg[@]}" hosts add "$u" --ssh "$u@127.0.0.1:$PORT" --identity "$TMP/client_ed25519" --offline >/dev/null
done
t0=$(now)
rc=0
"$CTL" "${ctlg[@]}" refresh --all --concurrency "$N" --batches 100% --max-fail 100 --json >"$TMP/canyon.json" \
    2>"$TMP/canyon.err" || rc=$?
t1=$(now)
stop_sim
C_WALL=$(calc "$t1 - $t0" 3)
C_DONE=$(python3 -c "import json,sys; d=json.load(open('$TMP/canyon.json')); print(sum(r['status']=='done' for r in d['results']))" 2>/dev/null || echo 0)
C_WORK=$(refreshed canyon)

# --- ansible --------------------------------------------------------------------------------
start_sim ansible
inv=$TMP/ansible/hosts.ini
{
    echo "[devices:vars]"
    echo "ansible_ssh_private_key_file=$TMP/client_ed25519"
    echo "ansible_ssh_common_args='-F /dev/null -o IdentitiesOnly=yes -o UserKnownHostsFile=$TMP/ansible/known_hosts -o StrictHostKeyChecking=yes -o KexAlgorithms=$KEX'"
    echo "[devices]"
    for ((i = 0; i < N; i++)); do
        u=$(printf 'dev%04d' "$i")
        echo "$u ansible_host=127.0.0.1 ansible_port=$PORT ansible_user=$u"
    done
} >"$inv"
: >"$TMP/ansible.cfg"
export ANSIBLE_CONFIG=$TMP/ansible.cfg ANSIBLE_HOST_KEY_CHECKING=True ANSIBLE_GATHERING=explicit ANSIBLE_NOCOLOR=1 \
    ANSIBLE_LOCAL_TEMP=$TMP/ansible-tmp ANSIBLE_SSH_CONTROL_PATH_DIR=$TMP/ansible-cp ANSIBLE_TIMEOUT=60
mkdir -p "$TMP/ansible-tmp" "$TMP/ansible-cp"
t0=$(now)
arc=0
ansible all -i "$inv" -f "$N" -m raw -a 'sudo -n snap refresh' -o >"$TMP/ansible.out" 2>&1 || arc=$?
t1=$(now)
# ansible leaves ControlPersist masters behind: end exactly ours
for s in "$TMP"/ansible-cp/*; do [[ -S $s ]] && ssh -o ControlPath="$s" -O exit dummy 2>/dev/null || true; done
stop_sim
A_WALL=$(calc "$t1 - $t0" 3)
A_OK=$(grep -c -E '\| (CHANGED|SUCCESS)' "$TMP/ansible.out" || true)
A_WORK=$(refreshed ansible)

echo "# canyon bench_refresh $(date -u +%Y-%m-%dT%H:%M:%SZ) $( ((smoke)) && echo smoke || echo full): $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), kex $KEX, $(ansible --version 2>/dev/null | head -n1 | tr -d '[]'), canyon-fleetsim N=$N (changes complete at once), build $BUILD"
echo "# canyon: exit $rc, $C_DONE/$N devices done, $C_WORK devices with a refresh change | ansible: exit $arc, $A_OK/$N ok, $A_WORK devices with a refresh change"
echo "P7 N=$N bulk refresh: canyon ${C_WALL}s ansible ${A_WALL}s ratio $(calc "$C_WALL / $A_WALL" 2) [goal <= 0.50; canyon includes its inventory read before and after]"
