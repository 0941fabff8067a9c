#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# QUALITY.md P7: bulk refresh wall time over N devices, Canyon vs Ansible, on the same targets.
# Not a test: it prints one ratio line (and the raw figures) and judges nothing.
#
#   CANYON_BUILD_DIR=build/dev tests/bench/bench_refresh.sh [--smoke] [--keep] [--targets sim|sshd|both]
#   BENCH_N (default 50, smoke 5), BENCH_CHANGE_MS (simulated snapd time of a change for the
#   overhead runs, default 3000)
#
# --targets sim (default): canyon-fleetsim serve. --targets sshd: the REAL OpenSSH targets of a
# running testbed (source DIR/env.sh of tests/testbed/up.sh first): the first N targets that speak
# `snap`. Their state files are saved before and restored after every run (each tool starts from
# the same state); a `sudo` shim (drops -n, runs the command: a simulated device's sudo) is put
# in each target's bin/ for the run and removed after. `both` runs sim, then sshd.
#
# Per target kind, two kinds of lines:
#   P7 ... ratio        canyon vs ansible, changes completing at once (the tools' own cost); once
#                       with a fresh config (first contact) and once with a known fleet (cached)
#   P7 ... overhead     console overhead over the slowest device (goal <= 5%): a canyon run with
#                       changes that take BENCH_CHANGE_MS, like a real snapd change;
#                       overhead = (wall of the job - slowest device's own time) / slowest device's
#                       own time. "wall of the job" is canyonctl's job_ms (start -> last result,
#                       re-read of the touched devices included); the device's own time is its
#                       elapsed_ms (first command sent -> final status seen, poll granularity
#                       included). The process's whole wall (inventory read first) is printed too.
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
smoke=0 keep=0 targets=sim
while [[ $# -gt 0 ]]; do
    case $1 in
    --smoke) smoke=1 ;;
    --keep) keep=1 ;;
    --targets) targets=${2:-}; shift ;;
    --targets=*) targets=${1#--targets=} ;;
    *) echo "usage: $0 [--smoke] [--keep] [--targets sim|sshd|both]" >&2; exit 2 ;;
    esac
    shift
done
case $targets in sim | sshd | both) ;; *) echo "--targets: sim, sshd or both" >&2; exit 2 ;; esac
CHANGE_MS=${BENCH_CHANGE_MS:-3000}
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
REAL_DIRS=() # sshd targets whose state and bin/ we touched: restored on every exit
cleanup() {
    if [[ -n $SIM_PID ]]; then kill "$SIM_PID" 2>/dev/null || true; wait "$SIM_PID" 2>/dev/null || true; fi
    restore_real || true
    if ((keep)); then echo "# kept $TMP" >&2; else rm -rf "$TMP"; fi
}
trap cleanup EXIT

ssh-keygen -q -t ed25519 -N '' -C canyon-bench-host -f "$TMP/host_ed25519"
ssh-keygen -q -t ed25519 -N '' -C canyon-bench-client -f "$TMP/client_ed25519"

now() { date +%s.%N; }
calc() { python3 -c "print(f'{($1):.${2:-2}f}')"; }

# Sets changeDurationMs in every state file given.
set_change_ms() { # $1 = ms, $2... = state files
    python3 - "$@" <<'PY'
import json, pathlib, sys
ms = int(sys.argv[1])
for p in map(pathlib.Path, sys.argv[2:]):
    d = json.loads(p.read_text()); d["changeDurationMs"] = ms; p.write_text(json.dumps(d))
PY
}

# A fresh simulator with N seeded devices whose changes take $2 ms (default 0); sets PORT and
# writes $TMP/$1/targets ("user port" lines).
start_sim() { # $1 = label [$2 = change ms]
    local dir=$TMP/$1 i
    mkdir -p "$dir/state"
    for ((i = 0; i < N; i++)); do
        "$SIM" init-state --out "$dir/state/$(printf 'dev%04d' "$i").json" --dialect snap --index "$i"
    done
    set_change_ms "${2:-0}" "$dir/state"/dev*.json
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
    for ((i = 0; i < N; i++)); do printf 'dev%04d %s\n' "$i" "$PORT"; done >"$dir/targets"
    KEY=$TMP/client_ed25519 KNOWN=$dir/known_hosts STATES=("$dir/state"/dev*.json)
}

# --- real sshd targets (tests/testbed/sshd-targets.sh) ---------------------------------------
# The first N `snap` targets; their state is saved once and put back before every run.
pick_real() {
    [[ -n ${CANYON_SSHD_TARGETS:-} && -f $CANYON_SSHD_TARGETS ]] ||
        { echo "--targets sshd: no testbed (source DIR/env.sh of tests/testbed/up.sh)" >&2; exit 2; }
    local line port i=0 n=0
    REAL_PORTS=()
    while read -r line dialect; do
        port=${line##*:}
        if [[ $dialect == snap && -d $CANYON_SSHD_DIR/dev$i/bin ]]; then
            REAL_PORTS+=("$port:$i")
            n=$((n + 1))
        fi
        i=$((i + 1))
        ((n < N)) || break
    done <"$CANYON_SSHD_TARGETS"
    ((${#REAL_PORTS[@]} == N)) || { echo "the testbed has only ${#REAL_PORTS[@]} snap targets (BENCH_N=$N)" >&2; exit 2; }
    local p d
    for p in "${REAL_PORTS[@]}"; do
        d=$CANYON_SSHD_DIR/dev${p#*:}
        REAL_DIRS+=("$d")
        if [[ ! -f $d/state.json ]]; then
            # never used yet: the wrapper would seed it on first use; seed it the same way now
            "$SIM" init-state --out "$d/state.json" --dialect snap --index "${p#*:}"
            chown "$(stat -c %U "$d")" "$d/state.json" # the wrapper runs as the login user
            touch "$d/state.json.bench-absent"
        fi
        cp -p "$d/state.json" "$d/state.json.bench-saved"
        if [[ ! -e $d/bin/sudo ]]; then
            # shellcheck disable=SC2016 # expanded by the shim, not here
            printf '#!/bin/sh\n# bench_refresh.sh: a simulated device'"'"'s passwordless sudo (removed after the run)\n[ "$1" = -n ] && shift\nexec "$@"\n' >"$d/bin/sudo"
            chmod 755 "$d/bin/sudo"
            touch "$d/bin/.sudo-by-bench"
        fi
    done
}
restore_real() {
    local d
    for d in "${REAL_DIRS[@]+"${REAL_DIRS[@]}"}"; do
        if [[ -f $d/state.json.bench-absent ]]; then
            rm -f "$d/state.json" "$d/state.json.bench-absent" "$d/state.json.bench-saved"
        elif [[ -f $d/state.json.bench-saved ]]; then
            cp -p "$d/state.json.bench-saved" "$d/state.json" && rm -f "$d/state.json.bench-saved"
        fi
        if [[ -f $d/bin/.sudo-by-bench ]]; then rm -f "$d/bin/sudo" "$d/bin/.sudo-by-bench"; fi
    done
    REAL_DIRS=()
}
start_real() { # $1 = label [$2 = change ms]: the saved state again, changes taking $2 ms
    local dir=$TMP/$1 p
    mkdir -p "$dir"
    STATES=()
    : >"$dir/targets"
    for p in "${REAL_PORTS[@]}"; do
        local d=$CANYON_SSHD_DIR/dev${p#*:}
        cp -p "$d/state.json.bench-saved" "$d/state.json"
        STATES+=("$d/state.json")
        echo "${CANYON_SSHD_USER} ${p%%:*} dev${p#*:}" >>"$dir/targets"
    done
    set_change_ms "${2:-0}" "${STATES[@]}"
    KEY=$CANYON_SSHD_KEY KNOWN=$CANYON_SSHD_KNOWN_HOSTS
}
stop_sim() {
    kill "$SIM_PID" 2>/dev/null || true
    wait "$SIM_PID" 2>/dev/null || true
    SIM_PID=
}
# How many devices had a refresh change recorded (the work actually done); $@ = state files.
refreshed() {
    python3 - "$@" <<'PY'
import json, pathlib, sys
n = 0
for p in map(pathlib.Path, sys.argv[1:]):
    d = json.loads(p.read_text())
    n += any(c.get("kind") == "refresh-snap" and c.get("status") == "Done" and "Refresh" in c.get("summary", "")
             and c.get("id", 0) > 0 and not c.get("summary", "").startswith("Auto") for c in d.get("changes", []))
print(n)
PY
}

# --- the runs --------------------------------------------------------------------------------
# canyon: canyonctl refresh over the targets of $TMP/$1/targets; sets C_WALL C_DONE C_JOB C_SLOW
run_canyon() { # $1 = label [$2 = known: the fleet read once before, untimed, as day to day]
    local dir=$TMP/$1 cfg=$TMP/$1/cfg user port name i=0
    local ctlg=(--config "$cfg" --ssh-config none --known-hosts "$KNOWN" --kex "$KEX")
    while read -r user port name; do
        name=${name:-$user}
        "$CTL" "${ctlg[@]}" hosts add "h$i-$name" --ssh "$user@127.0.0.1:$port" --identity "$KEY" --offline >/dev/null
        i=$((i + 1))
    done <"$dir/targets"
    # known: dialect and system facts cached, as for an admin's fleet (the state is not changed)
    [[ ${2:-} == known ]] && { "$CTL" "${ctlg[@]}" inventory --concurrency "$N" >/dev/null 2>&1 || true; }
    local t0 t1
    t0=$(now)
    C_RC=0
    "$CTL" "${ctlg[@]}" refresh --all --concurrency "$N" --batches 100% --max-fail 100 --json >"$dir/canyon.json" \
        2>"$dir/canyon.err" || C_RC=$?
    t1=$(now)
    C_WALL=$(calc "$t1 - $t0" 3)
    read -r C_DONE C_JOB C_SLOW C_SLOWHOST < <(python3 - "$dir/canyon.json" <<'PY' || echo "0 0 0 -"
import json, sys
d = json.load(open(sys.argv[1]))
r = d["results"]
slow = max(r, key=lambda x: x.get("elapsed_ms") or 0)
print(sum(x["status"] == "done" for x in r), d.get("job_ms", 0) / 1000, (slow.get("elapsed_ms") or 0) / 1000, slow["host"])
PY
)
}

# ansible -f N -m raw 'sudo -n snap refresh' over the same targets; sets A_WALL A_OK
run_ansible() { # $1 = label
    local dir=$TMP/$1 inv=$TMP/$1/hosts.ini user port name i=0
    {
        echo "[devices:vars]"
        echo "ansible_ssh_private_key_file=$KEY"
        echo "ansible_ssh_common_args='-F /dev/null -o IdentitiesOnly=yes -o UserKnownHostsFile=$KNOWN -o StrictHostKeyChecking=yes -o KexAlgorithms=$KEX'"
        echo "[devices]"
        while read -r user port name; do
            echo "h$i ansible_host=127.0.0.1 ansible_port=$port ansible_user=$user"
            i=$((i + 1))
        done <"$dir/targets"
    } >"$inv"
    : >"$TMP/ansible.cfg"
    export ANSIBLE_CONFIG=$TMP/ansible.cfg ANSIBLE_HOST_KEY_CHECKING=True ANSIBLE_GATHERING=explicit ANSIBLE_NOCOLOR=1 \
        ANSIBLE_LOCAL_TEMP=$TMP/ansible-tmp ANSIBLE_SSH_CONTROL_PATH_DIR=$dir/ansible-cp ANSIBLE_TIMEOUT=60
    mkdir -p "$TMP/ansible-tmp" "$dir/ansible-cp"
    local t0 t1
    t0=$(now)
    A_RC=0
    ansible all -i "$inv" -f "$N" -m raw -a 'sudo -n snap refresh' -o >"$dir/ansible.out" 2>&1 || A_RC=$?
    t1=$(now)
    # ansible leaves ControlPersist masters behind: end exactly ours
    local s
    for s in "$dir"/ansible-cp/*; do [[ -S $s ]] && ssh -o ControlPath="$s" -O exit dummy 2>/dev/null || true; done
    A_WALL=$(calc "$t1 - $t0" 3)
    A_OK=$(grep -c -E '\| (CHANGED|SUCCESS)' "$dir/ansible.out" || true)
}

overhead_line() { # $1 = kind
    echo "P7 N=$N $1 console overhead (changes of ${CHANGE_MS} ms): job ${C_JOB}s slowest device ${C_SLOW}s ($C_SLOWHOST) overhead $(calc "100 * ($C_JOB - $C_SLOW) / $C_SLOW" 1)% [goal <= 5%]; whole canyonctl process ${C_WALL}s ($(calc "100 * ($C_WALL - $C_SLOW) / $C_SLOW" 1)% over the slowest device, inventory read before the plan included); $C_DONE/$N done"
}

bench_kind() { # $1 = sim|sshd
    local kind=$1 start=start_sim
    [[ $kind == sshd ]] && { start=start_real; pick_real; }
    # 1. ratio: changes complete at once, each tool from the same state
    $start "$kind-canyon" 0
    run_canyon "$kind-canyon"
    [[ $kind == sim ]] && stop_sim
    local c_wall=$C_WALL c_done=$C_DONE c_rc=$C_RC c_work
    c_work=$(refreshed "${STATES[@]}")
    $start "$kind-known" 0
    run_canyon "$kind-known" known
    [[ $kind == sim ]] && stop_sim
    local k_wall=$C_WALL k_done=$C_DONE
    $start "$kind-ansible" 0
    run_ansible "$kind-ansible"
    [[ $kind == sim ]] && stop_sim
    local a_work
    a_work=$(refreshed "${STATES[@]}")
    # 2. overhead: changes that take CHANGE_MS, followed as a real one would be
    $start "$kind-overhead" "$CHANGE_MS"
    run_canyon "$kind-overhead"
    [[ $kind == sim ]] && stop_sim
    [[ $kind == sshd ]] && restore_real

    local what="canyon-fleetsim serve (one port)"
    [[ $kind == sshd ]] && what="real OpenSSH sshd targets of the testbed (one sshd per device, simulated snap behind it)"
    echo "# $kind: $what"
    echo "# $kind canyon: exit $c_rc, $c_done/$N devices done, $c_work devices with a refresh change | ansible: exit $A_RC, $A_OK/$N ok, $a_work devices with a refresh change"
    echo "P7 N=$N $kind bulk refresh: canyon ${c_wall}s ansible ${A_WALL}s ratio $(calc "$c_wall / $A_WALL" 2) [goal <= 0.50; canyon includes its inventory read before and after]"
    echo "P7 N=$N $kind bulk refresh, known fleet: canyon ${k_wall}s ansible ${A_WALL}s ratio $(calc "$k_wall / $A_WALL" 2) ($k_done/$N done; dialect and system facts from canyonctl's cache, as day to day)"
    overhead_line "$kind"
}

echo "# canyon bench_refresh $(date -u +%Y-%m-%dT%H:%M:%SZ) $( ((smoke)) && echo smoke || echo full): $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), kex $KEX, $(ansible --version 2>/dev/null | head -n1 | tr -d '[]'), N=$N, build $BUILD"
case $targets in
sim) bench_kind sim ;;
sshd) bench_kind sshd ;;
both) bench_kind sim; bench_kind sshd ;;
esac
