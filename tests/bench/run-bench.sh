#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Speed benchmarks P1-P3 (QUALITY.md): Canyon's inventory side by side with parallel-ssh and
# ansible on the same targets, in one run, one ratio per line. Not a test: it judges nothing
# and is not run by ctest. CI runs only `--smoke` (tiny N) to prove the harness works.
#
#   CANYON_BUILD_DIR=build/ci tests/bench/run-bench.sh [--smoke] [--out FILE] [--keep]
#
# Needs root (the sshd targets create a test user), and from Debian: openssh-server, pssh
# (parallel-ssh), ansible, python3; linux-perf for exact server CPU (optional).
# It builds nothing: it takes canyonctl, canyon-fleetsim and canyon-bench-inventory from
# $CANYON_BUILD_DIR (default: build/ci, else build/release, else build/bench), built with
# -DCANYON_BUILD_TESTS=ON (the harness lives in tests/bench).
#
# What it does, on loopback only, with curve25519-sha256 pinned on every client:
#   P1  N real sshd targets (tests/testbed/sshd-targets.sh; full: N=50 and 200, smoke: 5), C=N:
#       Canyon's harness (FleetService refresh, cold), `canyonctl inventory` (a fresh process),
#       `parallel-ssh -p C`, `ansible -f C`. Every tool reaches all N targets and does the same
#       remote work as Canyon: on snap devices `snap version`, `snap list --all`,
#       `snap refresh --list`; on snappy devices `snappy info`, `snappy versions -a`. The last
#       target has neither and fails in every tool (reported). A bare `snap list` by pssh is
#       printed for reference (it fails on the snappy targets). The harness also measures a
#       console restart (new sessions, dialect and system facts known from the cache), and
#       canyonctl runs as it does day to day, knowing the fleet from its cache.
#   P2  the warm round: Canyon's second refresh over its kept sessions vs cold pssh, and vs
#       pssh through OpenSSH ControlMaster/ControlPersist (first run opens the masters, the
#       next runs are measured; the masters' CPU counts as pssh's client CPU).
#   P3  canyon-fleetsim with 1,000 devices on one port (smoke: 20): harness vs pssh.
#   BOUND  beside the ratios: the CPU the servers burnt per device (sshd fork+auth measured with
#       pssh running `true`), hence the fastest possible wall time on this machine's cores.
# Client CPU: getrusage inside the harness (the refresh only), rusage.py (getrusage, to the µs) for processes
# (children included). Server CPU: `perf stat -e task-clock -p` on the sshd listeners (or the
# simulator), which follows every child they fork; without perf (apt-get install linux-perf) a
# /proc estimate that under-counts short-lived processes, flagged "approx" in the output.
# Each measurement is repeated (full: 3, smoke: 1) and the median printed; ansible runs once.
# Exit status: non-zero when a tool failed to run at all or measured nothing.
set -euo pipefail
export LC_ALL=C.UTF-8 # ansible refuses any other encoding

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
KEX=curve25519-sha256

smoke=0
keep=0
outfile=
while [[ $# -gt 0 ]]; do
    case $1 in
        --smoke) smoke=1; shift ;;
        --out) [[ $# -ge 2 ]] || { echo "--out needs a file" >&2; exit 2; }; outfile=$2; shift 2 ;;
        --keep) keep=1; shift ;;
        -h | --help) sed -n '2,30p' "$0"; exit 0 ;;
        *) echo "usage: $0 [--smoke] [--out FILE] [--keep]" >&2; exit 2 ;;
    esac
done

if ((smoke)); then
    SIZES=${BENCH_SIZES:-5}
    SIM_N=${BENCH_SIM_DEVICES:-20}
    REPEAT=${BENCH_REPEAT:-1}
else
    SIZES=${BENCH_SIZES:-"50 200"}
    SIM_N=${BENCH_SIM_DEVICES:-1000}
    REPEAT=${BENCH_REPEAT:-3}
fi
SIM_C=${BENCH_SIM_CONCURRENCY:-200} # pssh polls all its ssh pipes; ~200 at once is its comfort zone
TOOL_TIMEOUT=${BENCH_TOOL_TIMEOUT:-600} # seconds, a backstop around every tool run
CORES=$(nproc)

die() { echo "run-bench: ERROR: $*" >&2; exit 1; }
note() { echo "run-bench: $*" >&2; }
result() { # a result line: stdout and --out
    echo "$*"
    [[ -z $outfile ]] || echo "$*" >>"$outfile"
}

# --- tools -------------------------------------------------------------------------------------
[[ $(id -u) -eq 0 ]] || die "run as root (the sshd targets need a test user)"
for t in parallel-ssh ansible ssh ssh-keygen /usr/sbin/sshd python3 timeout ss; do
    command -v "$t" >/dev/null || die "$t is missing: apt-get install -y pssh ansible openssh-server python3"
done

if [[ -n ${CANYON_BUILD_DIR:-} ]]; then
    BUILD=$(realpath -m "$CANYON_BUILD_DIR")
else
    BUILD=
    for b in build/ci build/release build/bench; do
        if [[ -x $REPO/$b/app/canyonctl ]]; then BUILD=$REPO/$b; break; fi
    done
    [[ -n $BUILD ]] || die "no build found: set CANYON_BUILD_DIR (configure with -DCANYON_BUILD_TESTS=ON)"
fi
CTL=$BUILD/app/canyonctl
SIM=$BUILD/app/fleetsim/canyon-fleetsim
HARNESS=${CANYON_BENCH_HARNESS:-$BUILD/tests/bench/canyon-bench-inventory}
if [[ ! -x $HARNESS ]]; then
    HARNESS=$(find "$BUILD" -name canyon-bench-inventory -type f -perm -u+x 2>/dev/null | head -n1)
fi
for b in "$CTL" "$SIM" "$HARNESS"; do
    [[ -n $b && -x $b ]] || die "missing binary ${b:-canyon-bench-inventory} in $BUILD: build canyonctl canyon-fleetsim canyon-bench-inventory (CANYON_BUILD_TESTS=ON)"
done
export CANYON_FLEETSIM=$SIM
unset SSH_AUTH_SOCK # no agent for any tool: every one uses the same key file

# --- cleanup: everything started here, by pid or by our own control sockets ---------------------
TMP=$(mktemp -d /tmp/canyon-bench.XXXXXX)
chmod 755 "$TMP" # the test user reaches its device dirs below
TARGET_DIRS=()
SIM_PID=
METER_PID=
HARNESS_PID=
cleanup() {
    local rc=$? d
    set +e
    if [[ -n $METER_PID ]]; then kill -INT "$METER_PID" 2>/dev/null; wait "$METER_PID" 2>/dev/null; fi
    if [[ -n $HARNESS_PID ]]; then kill -TERM "$HARNESS_PID" 2>/dev/null; wait "$HARNESS_PID" 2>/dev/null; fi
    close_masters "$TMP/cm"
    close_masters "$TMP/ansible-cp"
    if [[ -n $SIM_PID ]] && kill -0 "$SIM_PID" 2>/dev/null; then
        kill -TERM "$SIM_PID" 2>/dev/null
        for ((i = 0; i < 50; i++)); do kill -0 "$SIM_PID" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$SIM_PID" 2>/dev/null
    fi
    for d in "${TARGET_DIRS[@]+"${TARGET_DIRS[@]}"}"; do
        "$REPO/tests/testbed/sshd-targets.sh" stop "$d" >/dev/null 2>&1
    done
    if ((keep)); then
        note "kept $TMP (logs, outputs)"
    else
        rm -rf "$TMP"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Pids of the ssh ControlMaster processes whose control sockets live in $1 (ours only).
master_pids() {
    local dir=$1 p title
    [[ -d $dir ]] || return 0
    for p in /proc/[0-9]*; do
        # a master retitles itself "ssh: CONTROLPATH [mux]"; bash builtins only, so that no
        # process of this scan matches itself
        title=
        { IFS= read -r -d '' title <"$p/cmdline"; } 2>/dev/null || true
        [[ $title == "ssh: $dir/"* ]] && echo "${p#/proc/}"
    done
    return 0
}

close_masters() {
    local dir=$1 s pid i
    [[ -d $dir ]] || return 0
    for s in "$dir"/*; do
        [[ -S $s ]] || continue
        timeout 5 ssh -F /dev/null -o ControlPath="$s" -O exit canyon-bench >/dev/null 2>&1 || true
    done
    for ((i = 0; i < 30; i++)); do
        [[ -z $(master_pids "$dir") ]] && return 0
        sleep 0.1
    done
    for pid in $(master_pids "$dir"); do kill -TERM "$pid" 2>/dev/null || true; done
}

# CPU seconds (utime+stime) of the given live pids.
pids_cpu() {
    local tck total=0 pid
    tck=$(getconf CLK_TCK)
    for pid in "$@"; do
        [[ -r /proc/$pid/stat ]] || continue
        total=$((total + $(sed 's/.*) //' "/proc/$pid/stat" | awk '{ print $12 + $13 }')))
    done
    awk -v t="$total" -v k="$tck" 'BEGIN { printf "%.3f", t / k }'
}

# --- numbers -------------------------------------------------------------------------------------
calc() { awk "BEGIN { x = $1; printf \"%.${2:-3}f\", x }"; }
# Ratios to three places, from unrounded values: a goal of 0.1 is not judged on 0.10 that was 0.104.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.3f", a / b; else printf "n/a" }'; }
ms() { calc "$1" 2; }  # a per-device figure, for display
sec() { calc "$1" 2; } # a time in seconds, for display
median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { if (NR == 0) print 0; else if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
declare -A R # R[key] = the values of all repeats, space-separated
add() { R[$1]="${R[$1]:-} $2"; }
med() {
    # shellcheck disable=SC2086
    median ${R[$1]:-0}
}
field() { # field KEY LINE: the value of KEY=... in a key=value line
    sed -n "s/.*[[:space:]]$1=\\([^[:space:]]*\\).*/\\1/p" <<<" $2" | head -n1
}

server_cpu() { # $1 = pids file -> "cpu_s children"
    local line
    line=$("$HARNESS" --sample-server-cpu "$1") || die "cannot sample the servers' CPU ($1)"
    echo "$(field cpu_s "$line") $(field children "$line")"
}

# The servers' CPU around one measurement: meter_start PIDFILE; ...; meter_stop settle|nosettle
# sets METER_S (seconds). "settle" first waits (bounded) until the servers have no live
# children left (every connection closed and reaped); "nosettle" when sessions stay open.
tree_pids() { # $1 = pids file: those pids and all their live descendants, comma-separated
    ps -e -o pid=,ppid= | awk -v roots="$(paste -sd' ' "$1")" '
        BEGIN { n = split(roots, r, " "); for (i = 1; i <= n; i++) { want[r[i]] = 1; order[++k] = r[i] } }
        { kids[$2] = kids[$2] " " $1 }
        END {
            for (i = 1; i <= k; i++) {
                m = split(kids[order[i]], c, " ")
                for (j = 1; j <= m; j++) if (!(c[j] in want)) { want[c[j]] = 1; order[++k] = c[j] }
            }
            for (i = 1; i <= k; i++) printf "%s%s", (i > 1 ? "," : ""), order[i]
        }'
}

HAVE_PERF=0
SRV_METER="/proc(approx)"
if command -v perf >/dev/null && perf stat -e task-clock -x, -o /dev/null -- true >/dev/null 2>&1; then
    HAVE_PERF=1
    SRV_METER=perf
fi
METER_SEQ=0
meter_start() {
    METER_PIDS=$1
    if ((HAVE_PERF)); then
        local try
        for ((try = 0; try < 3; try++)); do # a child that ended meanwhile makes perf refuse: again
            METER_SEQ=$((METER_SEQ + 1))
            METER_OUT=$TMP/meter.$METER_SEQ
            # the servers and their live children (kept sessions); perf follows what they fork
            perf stat -e task-clock -x, -o "$METER_OUT" -p "$(tree_pids "$1")" >/dev/null 2>&1 &
            METER_PID=$!
            sleep 0.5 # attached to every process before the tool starts
            kill -0 "$METER_PID" 2>/dev/null && return 0
            wait "$METER_PID" 2>/dev/null || true
        done
        METER_PID=
        die "perf stat did not start: $(cat "$METER_OUT" 2>/dev/null)"
    else
        local s
        s=$(server_cpu "$1")
        METER_BASE=${s% *}
    fi
}
meter_stop() {
    local i s
    if [[ $1 == settle ]]; then
        for ((i = 0; i < 100; i++)); do
            s=$(server_cpu "$METER_PIDS")
            ((${s#* } == 0)) && break
            sleep 0.1
        done
    fi
    sleep 0.3 # the last commands' processes are reaped, threads of a threaded server end
    if ((HAVE_PERF)); then
        kill -INT "$METER_PID" 2>/dev/null || true
        wait "$METER_PID" 2>/dev/null || true
        METER_PID=
        METER_S=$(awk -F, '$3 == "task-clock" { printf "%.3f", $1 / 1000; f = 1 } END { if (!f) print "nan" }' "$METER_OUT")
        [[ $METER_S != nan ]] || die "perf stat measured nothing: $(cat "$METER_OUT")"
    else
        s=$(server_cpu "$METER_PIDS")
        METER_S=$(calc "${s% *} - $METER_BASE")
    fi
}

# Runs a command under rusage.py; sets T_WALL T_CPU T_RC; output to $1.
timed() {
    local out=$1
    shift
    set +e
    python3 "$REPO/tests/bench/rusage.py" "$out.time" timeout --kill-after=10 "$TOOL_TIMEOUT" "$@" >"$out" 2>&1
    T_RC=$?
    set -e
    local t
    t=$(tail -n1 "$out.time")
    T_WALL=$(awk '{ print $1 }' <<<"$t")
    T_CPU=$(awk '{ printf "%.6f", $2 + $3 }' <<<"$t")
    ((T_RC != 124 && T_RC != 137)) || die "$* did not finish within ${TOOL_TIMEOUT}s (see $out)"
}

# --- remote work ---------------------------------------------------------------------------------
# The same commands Canyon runs (models/snap/DeviceProbe.cpp), in one shell round trip.
PEER_SCRIPT='export LC_ALL=C.UTF-8; if command -v snap >/dev/null 2>&1; then snap version && snap list --all && { snap refresh --list 2>&1; true; }; elif command -v snappy >/dev/null 2>&1; then snappy info && snappy versions -a; else echo "neither snap nor snappy" >&2; exit 127; fi'
# The simulator's shell has no if/else; its devices all speak the snap dialect (--snappy-share 0).
SIM_PEER_SCRIPT='export LC_ALL=C.UTF-8; snap version; snap refresh --list 2>&1; snap list --all'

SSH_O=() # -O options for parallel-ssh; set per target set
pssh_opts() { # $1 = key, $2 = known_hosts
    SSH_O=(-x "-F /dev/null" -O BatchMode=yes -O IdentitiesOnly=yes -O "IdentityFile=$1"
        -O "UserKnownHostsFile=$2" -O GlobalKnownHostsFile=/dev/null -O StrictHostKeyChecking=yes
        -O "KexAlgorithms=$KEX" -O ConnectTimeout=30 -O LogLevel=ERROR)
}

# parallel-ssh run: $1 label, $2 hosts, $3 C, $4 pids file, $5 remote command, rest: more -O.
# Sets P_WALL P_CPU P_OK P_SRV.
run_pssh() {
    local label=$1 hosts=$2 c=$3 pids=$4 cmd=$5 out=$TMP/$1.out settle=settle
    shift 5
    [[ $label != *-cm-* ]] || settle=nosettle # the masters keep their sessions
    meter_start "$pids"
    timed "$out" parallel-ssh -h "$hosts" -p "$c" -t 120 "${SSH_O[@]}" "$@" "$cmd"
    meter_stop "$settle"
    P_WALL=$T_WALL
    P_CPU=$T_CPU
    P_OK=$(grep -c '\[SUCCESS\]' "$out" || true)
    P_SRV=$METER_S
    case $T_RC in 0 | 4 | 5) ;; *) die "parallel-ssh ($label) failed to run (exit $T_RC): $(head -c 600 "$out")" ;; esac
    ((P_OK > 0)) || die "parallel-ssh ($label) reached no device: $(grep -m3 FAILURE "$out")"
}

# Canyon's harness: cold + warm round, each metered on the servers on its own (--step), and
# the sessions' teardown when it exits. Sets H_*.
run_harness() { # $1 label, $2 targets, $3 key, $4 known_hosts, $5 C, $6 pids file
    local out=$TMP/$1.out fin=$TMP/$1.in fout=$TMP/$1.pipe line1 line2 line3 hw hr
    : >"$out"
    mkfifo "$fin" "$fout"
    "$HARNESS" --targets "$2" --identity "$3" --known-hosts "$4" --concurrency "$5" --rounds 3 --restart \
        --kex "$KEX" --timeout 120 --step <"$fin" >"$fout" 2>"$out.err" &
    HARNESS_PID=$!
    exec {hw}>"$fin" {hr}<"$fout" # the same order the child opens them
    hstep() { # copies the harness's lines to $out up to its next "step=" line
        local l
        while IFS= read -r -t "$TOOL_TIMEOUT" l <&"$hr"; do
            echo "$l" >>"$out"
            [[ $l == "bench-inventory step="* ]] && return 0
        done
        die "canyon-bench-inventory stopped early: $(tail -c 600 "$out.err") $(tail -n3 "$out")"
    }
    hstep # round1
    meter_start "$6"
    echo go >&"$hw"
    hstep # round2
    meter_stop nosettle
    H_COLD_SRV=$METER_S
    meter_start "$6"
    echo go >&"$hw"
    hstep # round3
    meter_stop nosettle
    H_RESTART_SRV=$METER_S
    meter_start "$6"
    echo go >&"$hw"
    hstep # exit
    meter_stop nosettle
    H_WARM_SRV=$METER_S
    meter_start "$6"
    echo go >&"$hw"
    local rc=0
    wait "$HARNESS_PID" || rc=$?
    HARNESS_PID=
    meter_stop settle
    H_DOWN_SRV=$METER_S
    exec {hw}>&- {hr}<&-
    rm -f "$fin" "$fout"
    ((rc == 0)) || die "canyon-bench-inventory failed (exit $rc): $(tail -c 600 "$out.err")"
    line1=$(grep -m1 '^bench-inventory round=1 ' "$out") || die "harness printed no cold round: $out"
    line2=$(grep -m1 '^bench-inventory round=3 ' "$out") || die "harness printed no warm round: $out"
    line3=$(grep -m1 '^bench-inventory round=2 ' "$out") || die "harness printed no restart round: $out"
    H_RESTART_WALL=$(field wall_s "$line3")
    H_RESTART_CPU=$(field cpu_s "$line3")
    H_RESTART_OK=$(field ok "$line3")
    H_COLD_WALL=$(field wall_s "$line1")
    H_COLD_CPU=$(field cpu_s "$line1")
    H_COLD_OK=$(field ok "$line1")
    H_COLD_FAILS=$(field failed_by_status "$line1")
    H_WARM_WALL=$(field wall_s "$line2")
    H_WARM_CPU=$(field cpu_s "$line2")
    H_WARM_OK=$(field ok "$line2")
    H_RSS=$(field rss_max_kb "$(grep -m1 '^bench-inventory setup_s=' "$out")")
    ((H_COLD_OK > 0)) || die "Canyon reached no device: $(grep -m3 bench-inventory-failure "$out")"
}

# --- one target set ------------------------------------------------------------------------------
port_free_range() { # $1 base, $2 count: true when nothing listens on 127.0.0.1 there
    local used
    used=$(ss -Htln | awk '{ n = split($4, a, ":"); print a[n] }' | sort -un)
    awk -v b="$1" -v n="$2" 'BEGIN { bad = 0 } { if ($1 >= b && $1 < b + n) bad = 1 } END { exit bad }' <<<"$used"
}

pick_base() { # $1 count: a free port range below the ephemeral range
    local n=$1 lo=20000 hi i base
    hi=$(awk '{ print $1 }' /proc/sys/net/ipv4/ip_local_port_range)
    for ((i = 0; i < 50; i++)); do
        base=$((lo + (RANDOM * 32768 + RANDOM) % (hi - lo - n)))
        if port_free_range "$base" "$n"; then echo "$base"; return 0; fi
    done
    die "no free range of $n ports between $lo and $hi"
}

bench_sshd() { # $1 = N
    local n=$1 c=$1 dir=$TMP/t$1 base tries
    for ((tries = 0; ; tries++)); do
        base=$(pick_base "$n")
        TARGET_DIRS+=("$dir")
        if "$REPO/tests/testbed/sshd-targets.sh" start "$dir" "$n" "$base" >"$TMP/t$n-start.log" 2>&1; then break; fi
        ((tries < 2)) || die "sshd targets did not start: $(tail -n5 "$TMP/t$n-start.log")"
        note "sshd targets did not start on $base (a port taken meanwhile?), retrying"
    done
    { cat "$dir"/dev*/sshd.pid; cat "$dir/simd.pid" 2>/dev/null || true; } >"$dir/server.pids" # the devices' commands run in simd
    local key=$dir/client_ed25519 kh=$dir/known_hosts i
    pssh_opts "$key" "$kh"
    local snappy=0 none=0
    snappy=$(grep -c ' snappy$' "$dir/targets.txt" || true)
    none=$(grep -c ' none$' "$dir/targets.txt" || true)
    note "N=$n: $n sshd on 127.0.0.1:$base-$((base + n - 1)) ($snappy snappy-only, $none without snap/snappy)"

    # canyonctl's own config with the same hosts (untimed setup)
    local cfg=$TMP/ctl$n
    local ctlg=(--config "$cfg" --ssh-config none --known-hosts "$kh" --kex "$KEX")
    i=0
    while read -r target _; do
        "$CTL" "${ctlg[@]}" hosts add "t$i" --ssh "$target" --identity "$key" --offline >/dev/null ||
            die "canyonctl hosts add t$i failed"
        i=$((i + 1))
    done <"$dir/targets.txt"

    # ansible: the inventory the testbed wrote, nothing from ~ or /etc
    : >"$TMP/ansible.cfg"
    export ANSIBLE_CONFIG=$TMP/ansible.cfg ANSIBLE_HOST_KEY_CHECKING=True ANSIBLE_GATHERING=explicit \
        ANSIBLE_PYTHON_INTERPRETER=/usr/bin/python3 ANSIBLE_LOCAL_TEMP=$TMP/ansible-tmp \
        ANSIBLE_SSH_CONTROL_PATH_DIR=$TMP/ansible-cp ANSIBLE_NOCOLOR=1 ANSIBLE_TIMEOUT=60 \
        ANSIBLE_RETRY_FILES_ENABLED=False ANSIBLE_DEPRECATION_WARNINGS=False

    # warm-up (untimed): device state files, page cache, first-run costs — for no tool in particular
    run_pssh "t$n-warmup" "$dir/pssh-hosts.txt" "$c" "$dir/server.pids" "$PEER_SCRIPT"
    local expect_ok=$P_OK

    # canyonctl is measured as it runs day to day: knowing the fleet from its cache (one untimed
    # first-contact run makes it); the harness measures first contact and a restart apart.
    "$CTL" "${ctlg[@]}" inventory --json --concurrency "$c" --timeout 120 >/dev/null 2>&1 || true
    local rep
    for ((rep = 1; rep <= REPEAT; rep++)); do
        run_harness "t$n-canyon-$rep" "$dir/targets.txt" "$key" "$kh" "$c" "$dir/server.pids"
        add "$n.h.cold.wall" "$H_COLD_WALL"; add "$n.h.cold.cpu" "$H_COLD_CPU"; add "$n.h.cold.srv" "$H_COLD_SRV"
        add "$n.h.warm.wall" "$H_WARM_WALL"; add "$n.h.warm.cpu" "$H_WARM_CPU"; add "$n.h.warm.srv" "$H_WARM_SRV"
        add "$n.h.down.srv" "$H_DOWN_SRV"
        add "$n.h.restart.wall" "$H_RESTART_WALL"; add "$n.h.restart.cpu" "$H_RESTART_CPU"
        add "$n.h.restart.srv" "$H_RESTART_SRV"; add "$n.h.restartok" "$H_RESTART_OK"
        add "$n.h.ok" "$H_COLD_OK"; add "$n.h.warmok" "$H_WARM_OK"
        H_FAILS=$H_COLD_FAILS

        local out=$TMP/t$n-ctl-$rep.out
        meter_start "$dir/server.pids"
        timed "$out" "$CTL" "${ctlg[@]}" inventory --json --concurrency "$c" --timeout 120
        meter_stop settle
        case $T_RC in 0 | 1) ;; *) die "canyonctl inventory failed to run (exit $T_RC): $(tail -c 600 "$out")" ;; esac
        local ctl_failed=0
        if ((T_RC == 1)); then
            ctl_failed=$(sed -n 's/^canyonctl: \([0-9]*\) of [0-9]* hosts failed.*/\1/p' "$out" | tail -n1)
            [[ -n $ctl_failed ]] || die "canyonctl exit 1 without a failure count: $(tail -c 600 "$out")"
        fi
        ((n - ctl_failed > 0)) || die "canyonctl reached no device"
        add "$n.ctl.wall" "$T_WALL"; add "$n.ctl.cpu" "$T_CPU"; add "$n.ctl.ok" "$((n - ctl_failed))"
        add "$n.ctl.srv" "$METER_S"

        run_pssh "t$n-pssh-$rep" "$dir/pssh-hosts.txt" "$c" "$dir/server.pids" "$PEER_SCRIPT"
        add "$n.p.wall" "$P_WALL"; add "$n.p.cpu" "$P_CPU"; add "$n.p.ok" "$P_OK"; add "$n.p.srv" "$P_SRV"

        run_pssh "t$n-psshlist-$rep" "$dir/pssh-hosts.txt" "$c" "$dir/server.pids" 'snap list'
        add "$n.pl.wall" "$P_WALL"; add "$n.pl.cpu" "$P_CPU"; add "$n.pl.ok" "$P_OK"

        run_pssh "t$n-pssh-true-$rep" "$dir/pssh-hosts.txt" "$c" "$dir/server.pids" true
        add "$n.pt.wall" "$P_WALL"; add "$n.pt.srv" "$P_SRV"; add "$n.pt.ok" "$P_OK"
    done

    # P2 peer: pssh through ControlMaster/ControlPersist. First run opens the masters.
    local cm=$TMP/cm cmo
    mkdir -p "$cm"
    cmo=(-O ControlMaster=auto -O "ControlPath=$cm/%C" -O ControlPersist=600)
    run_pssh "t$n-cm-open" "$dir/pssh-hosts.txt" "$c" "$dir/server.pids" "$PEER_SCRIPT" "${cmo[@]}"
    add "$n.cmopen.wall" "$P_WALL"
    local masters m0 m1
    mapfile -t masters < <(master_pids "$cm")
    ((${#masters[@]} > 0)) || die "pssh with ControlPersist left no master running"
    for ((rep = 1; rep <= REPEAT; rep++)); do
        m0=$(pids_cpu "${masters[@]}")
        run_pssh "t$n-cm-$rep" "$dir/pssh-hosts.txt" "$c" "$dir/server.pids" "$PEER_SCRIPT" "${cmo[@]}"
        m1=$(pids_cpu "${masters[@]}")
        add "$n.cm.wall" "$P_WALL"; add "$n.cm.cpu" "$(calc "$P_CPU + $m1 - $m0")"; add "$n.cm.ok" "$P_OK"
        add "$n.cm.srv" "$P_SRV"
    done
    close_masters "$cm"
    CM_MASTERS=${#masters[@]}

    # ansible once (it is slow): same remote work; -m shell because `command` cannot do the
    # snap/snappy fallback (shell is the command module with a shell). Its ControlPersist
    # masters' CPU counts as its client CPU.
    local aout=$TMP/t$n-ansible.out am
    mkdir -p "$TMP/ansible-cp" "$TMP/ansible-tmp"
    meter_start "$dir/server.pids"
    timed "$aout" ansible all -i "$dir/ansible-hosts.ini" -f "$c" -m shell -a "$PEER_SCRIPT" -o
    A_WALL=$T_WALL A_CPU=$T_CPU A_RC=$T_RC
    case $A_RC in 0 | 2 | 4) ;; *) die "ansible failed to run (exit $A_RC): $(head -c 600 "$aout")" ;; esac
    mapfile -t masters < <(master_pids "$TMP/ansible-cp")
    am=0
    ((${#masters[@]} == 0)) || am=$(pids_cpu "${masters[@]}")
    A_CPU=$(calc "$A_CPU + $am")
    close_masters "$TMP/ansible-cp"
    meter_stop settle
    A_OK=$(grep -cE '\| (CHANGED|SUCCESS) \|' "$aout" || true)
    A_SRV=$METER_S
    ((A_OK > 0)) || die "ansible reached no device: $(head -c 600 "$aout")"

    "$REPO/tests/testbed/sshd-targets.sh" stop "$dir" >/dev/null

    # --- report N ---
    local hw hwr hc pw pc
    hwr=$(med "$n.h.cold.wall"); hw=$(calc "$hwr" 2); hc=$(calc "$(med "$n.h.cold.cpu") * 1000 / $n" 6)
    pw=$(med "$n.p.wall"); pc=$(calc "$(med "$n.p.cpu") * 1000 / $n" 6)
    local okline
    okline="ok canyon $(med "$n.h.ok")/$n pssh $(med "$n.p.ok")/$n"
    result "P1 cold N=$n C=$c: canyon ${hw}s pssh $(sec "$pw")s ratio $(ratio "$hwr" "$pw") | cpu canyon $(ms "$hc")ms/dev pssh $(ms "$pc")ms/dev ratio $(ratio "$hc" "$pc") | $okline [goal ≤0.70 / ≤0.10]"
    local rw rwr rc
    rwr=$(med "$n.h.restart.wall"); rw=$(calc "$rwr" 2); rc=$(calc "$(med "$n.h.restart.cpu") * 1000 / $n" 6)
    result "P1 restart N=$n C=$c: canyon ${rw}s pssh $(sec "$pw")s ratio $(ratio "$rwr" "$pw") | cpu canyon $(ms "$rc")ms/dev pssh $(ms "$pc")ms/dev ratio $(ratio "$rc" "$pc") | server $(calc "$(med "$n.h.restart.srv") * 1000 / $n" 1)ms/dev (cold round $(calc "$(med "$n.h.cold.srv") * 1000 / $n" 1)) | ok canyon $(med "$n.h.restartok")/$n (new sessions; dialect and system facts known from the cache) [goal ≤0.70 / ≤0.10]"
    local cw cc
    cw=$(med "$n.ctl.wall"); cc=$(calc "$(med "$n.ctl.cpu") * 1000 / $n" 6)
    result "P1 canyonctl N=$n C=$c: canyonctl $(sec "$cw")s pssh $(sec "$pw")s ratio $(ratio "$cw" "$pw") | cpu canyonctl $(ms "$cc")ms/dev pssh $(ms "$pc")ms/dev ratio $(ratio "$cc" "$pc") | ok canyonctl $(med "$n.ctl.ok")/$n (fresh process knowing the fleet from its cache: Qt start, config, JSON out)"
    local ac
    ac=$(calc "$A_CPU * 1000 / $n" 6)
    result "P1 ansible N=$n C=$c: canyon ${hw}s ansible $(sec "$A_WALL")s ratio $(ratio "$hwr" "$A_WALL") | cpu canyon $(ms "$hc")ms/dev ansible $(ms "$ac")ms/dev ratio $(ratio "$hc" "$ac") | ok ansible $A_OK/$n (one run)"
    local lw lc
    lw=$(med "$n.pl.wall"); lc=$(calc "$(med "$n.pl.cpu") * 1000 / $n" 1)
    result "P1 reference N=$n C=$c: pssh bare 'snap list' $(sec "$lw")s cpu ${lc}ms/dev ok $(med "$n.pl.ok")/$n | canyon/that ratio $(ratio "$hwr" "$lw") (less remote work than Canyon; fails on snappy-only targets)"
    local ww wwr wc cmw cmc
    wwr=$(med "$n.h.warm.wall"); ww=$(calc "$wwr" 2); wc=$(calc "$(med "$n.h.warm.cpu") * 1000 / $n" 2)
    cmw=$(med "$n.cm.wall"); cmc=$(calc "$(med "$n.cm.cpu") * 1000 / $n" 1)
    result "P2 warm N=$n C=$c: canyon ${ww}s pssh-cold $(sec "$pw")s ratio $(ratio "$wwr" "$pw") | pssh+ControlMaster $(sec "$cmw")s ratio $(ratio "$wwr" "$cmw") | cpu canyon ${wc}ms/dev pssh+CM ${cmc}ms/dev ratio $(ratio "$wc" "$cmc") | ok canyon $(med "$n.h.warmok")/$n pssh+CM $(med "$n.cm.ok")/$n [goal ≤0.10 of cold pssh]"

    # bounds: the CPU every party burnt (servers and clients share this machine's cores)
    local per="* 1000 / $n" sshd_ms bound_sshd pssh_srv pssh_bound bound_cold bound_warm
    sshd_ms=$(calc "$(med "$n.pt.srv") $per" 1)
    bound_sshd=$(calc "$(med "$n.pt.srv") / $CORES" 2)
    pssh_srv=$(calc "$(med "$n.p.srv") $per" 1)
    pssh_bound=$(calc "($(med "$n.p.srv") + $(med "$n.p.cpu")) / $CORES" 2)
    bound_cold=$(calc "($(med "$n.h.cold.srv") + $(med "$n.h.cold.cpu")) / $CORES" 2)
    bound_warm=$(calc "($(med "$n.h.warm.srv") + $(med "$n.h.warm.cpu")) / $CORES" 2)
    result "BOUND cold N=$n cores=$CORES server-cpu=$SRV_METER: sshd fork+auth+exit alone ${sshd_ms}ms/conn (pssh 'true', $(sec "$(med "$n.pt.wall")")s) -> wall >= ${bound_sshd}s = $(ratio "$bound_sshd" "$pw")x pssh | with the inventory commands: server ${pssh_srv}ms/dev under pssh, $(calc "$(med "$n.h.cold.srv") $per" 1) under canyon's cold round (+$(calc "$(med "$n.h.down.srv") $per" 1) at teardown), $(calc "$(med "$n.ctl.srv") $per" 1) canyonctl, $(calc "$A_SRV $per" 1) ansible | (server+client)/cores: canyon >= ${bound_cold}s, wall ${hw}s = $(ratio "$hwr" "$bound_cold")x it; pssh >= ${pssh_bound}s, wall $(sec "$pw")s = $(ratio "$pw" "$pssh_bound")x it | client handshake crypto ~0.2ms/dev (x25519+ed25519), canyon $(ms "$hc")ms/dev"
    result "BOUND warm N=$n: server $(calc "$(med "$n.h.warm.srv") $per" 1)ms/dev + client ${wc}ms/dev -> >= ${bound_warm}s + 1 round trip, a floor of $(ratio "$bound_warm" "$pw")x cold pssh (P2's goal is 0.10x); canyon warm ${ww}s = $(ratio "$wwr" "$bound_warm")x it | pssh+CM server $(calc "$(med "$n.cm.srv") $per" 1)ms/dev over $CM_MASTERS masters"
    [[ $(med "$n.h.ok") == "$expect_ok" && $(med "$n.p.ok") == "$expect_ok" && $A_OK == "$expect_ok" && $(med "$n.ctl.ok") == "$expect_ok" ]] ||
        result "WARNING N=$n: tools disagree on reachable devices: warm-up pssh $expect_ok, canyon $(med "$n.h.ok"), canyonctl $(med "$n.ctl.ok"), pssh $(med "$n.p.ok"), ansible $A_OK (canyon failures: $H_FAILS)"
    result "# N=$n failures in every tool: canyon ${H_FAILS} | pssh $((n - $(med "$n.p.ok"))) | ansible $((n - A_OK))"
}

# --- P3: the simulator ---------------------------------------------------------------------------
bench_sim() {
    local n=$1 c=$SIM_C dir=$TMP/sim port i
    ((c <= n)) || c=$n
    mkdir -p "$dir"
    ssh-keygen -q -t ed25519 -N '' -C canyon-bench-sim-host -f "$dir/host_ed25519"
    ssh-keygen -q -t ed25519 -N '' -C canyon-bench-client -f "$dir/client_ed25519"
    port=$(pick_base 1)
    # every simulated device speaks the snap CLI here (--snappy-share 0): the simulator's shell has
    # no if/else for a peer's snap/snappy fallback, and P3 is about scale
    "$SIM" serve --port "$port" --listen 127.0.0.1 --devices "$n" --snappy-share 0 --host-key "$dir/host_ed25519" \
        --authorized-key "$dir/client_ed25519.pub" >"$dir/sim.out" 2>"$dir/sim.err" &
    SIM_PID=$!
    for ((i = 0; i < 300; i++)); do
        grep -q '^READY ' "$dir/sim.out" 2>/dev/null && break
        kill -0 "$SIM_PID" 2>/dev/null || die "canyon-fleetsim serve exited: $(tail -c 600 "$dir/sim.err")"
        sleep 0.1
    done
    grep -q '^READY ' "$dir/sim.out" || die "canyon-fleetsim serve not READY after 30 s"
    port=$(awk '/^READY / { print $2; exit }' "$dir/sim.out")
    echo "$SIM_PID" >"$dir/server.pids"
    echo "[127.0.0.1]:$port $(cut -d' ' -f1,2 "$dir/host_ed25519.pub")" >"$dir/known_hosts"
    : >"$dir/targets.txt"
    : >"$dir/pssh-hosts.txt"
    for ((i = 0; i < n; i++)); do
        printf 'dev%04d@127.0.0.1:%s\n' "$i" "$port" >>"$dir/targets.txt"
        printf '127.0.0.1:%s dev%04d\n' "$port" "$i" >>"$dir/pssh-hosts.txt"
    done
    note "P3: canyon-fleetsim with $n devices on 127.0.0.1:$port, C=$c"
    pssh_opts "$dir/client_ed25519" "$dir/known_hosts"

    run_pssh "sim-warmup" "$dir/pssh-hosts.txt" "$c" "$dir/server.pids" "$SIM_PEER_SCRIPT"
    local rep
    for ((rep = 1; rep <= REPEAT; rep++)); do
        run_harness "sim-canyon-$rep" "$dir/targets.txt" "$dir/client_ed25519" "$dir/known_hosts" "$c" "$dir/server.pids"
        add sim.h.wall "$H_COLD_WALL"; add sim.h.cpu "$H_COLD_CPU"; add sim.h.ok "$H_COLD_OK"; add sim.h.srv "$H_COLD_SRV"
        add sim.h.warm "$H_WARM_WALL"; add sim.h.rss "$H_RSS"
        run_pssh "sim-pssh-$rep" "$dir/pssh-hosts.txt" "$c" "$dir/server.pids" "$SIM_PEER_SCRIPT"
        add sim.p.wall "$P_WALL"; add sim.p.cpu "$P_CPU"; add sim.p.ok "$P_OK"; add sim.p.srv "$P_SRV"
    done
    kill -TERM "$SIM_PID" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do kill -0 "$SIM_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$SIM_PID" 2>/dev/null || true
    SIM_PID=

    local hw hwr hc pw pc
    hwr=$(med sim.h.wall); hw=$(calc "$hwr" 2); hc=$(calc "$(med sim.h.cpu) * 1000 / $n" 6)
    pw=$(med sim.p.wall); pc=$(calc "$(med sim.p.cpu) * 1000 / $n" 6)
    result "P3 N=$n C=$c fleetsim: canyon ${hw}s pssh $(sec "$pw")s ratio $(ratio "$hwr" "$pw") | cpu canyon $(ms "$hc")ms/dev pssh $(ms "$pc")ms/dev ratio $(ratio "$hc" "$pc") | ok canyon $(med sim.h.ok)/$n pssh $(med sim.p.ok)/$n | warm canyon $(calc "$(med sim.h.warm)" 2)s | rss $(calc "$(med sim.h.rss) / 1024" 0)MB [goal ≤0.30, ≤1ms/dev]"
    result "BOUND P3 N=$n cores=$CORES server-cpu=$SRV_METER: simulator $(calc "$(med sim.h.srv) * 1000 / $n" 2)ms/dev under canyon's cold round, $(calc "$(med sim.p.srv) * 1000 / $n" 2)ms/dev under pssh -> (server+client)/cores: canyon >= $(calc "($(med sim.h.srv) + $(med sim.h.cpu)) / $CORES" 2)s, wall ${hw}s = $(ratio "$hwr" "$(calc "($(med sim.h.srv) + $(med sim.h.cpu)) / $CORES" 3)")x it; pssh >= $(calc "($(med sim.p.srv) + $(med sim.p.cpu)) / $CORES" 2)s"
}

# --- main ----------------------------------------------------------------------------------------
[[ -z $outfile ]] || : >"$outfile"
result "# canyon bench $(date -u +%Y-%m-%dT%H:%M:%SZ) $( ((smoke)) && echo smoke || echo full): $(uname -r), $CORES cores, load $(cut -d' ' -f1-3 /proc/loadavg), kex $KEX, $(parallel-ssh --version 2>&1 | head -n1 | sed 's/^/pssh /'), $(ansible --version 2>/dev/null | head -n1 | tr -d '[]'), $(ssh -V 2>&1 | cut -d, -f1), build $BUILD, repeats $REPEAT (medians)"
result "# work: every tool reaches the same targets and runs what Canyon runs (snap: version, list --all, refresh --list; snappy: info, versions -a; one round trip for peers); the target without snap/snappy fails in every tool"
t0=$SECONDS
for n in $SIZES; do bench_sshd "$n"; done
bench_sim "$SIM_N"
result "# done in $((SECONDS - t0)) s, load $(cut -d' ' -f1-3 /proc/loadavg)"
