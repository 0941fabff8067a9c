#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs every libFuzzer target (QUALITY.md R5) for a fixed time each, seeded from tests/data
# (seeds.txt) plus tests/data/fuzz-regressions/, and prints one line of figures per target.
#
#   tests/fuzz/run-fuzz.sh [SECONDS] [TARGET...]     # default 10 s each, every target
#
# Needs the fuzz build (clang):
#   CCACHE_BASEDIR=$PWD cmake --preset fuzz && cmake --build build/fuzz -j2 --target canyon_fuzz_targets
# CI runs `tests/fuzz/run-fuzz.sh 8` (tests/run.sh). A longer hunt, e.g. an hour per target,
# keeping the grown corpus between runs:
#   CANYON_FUZZ_CORPUS=$HOME/.cache/canyon-fuzz tests/fuzz/run-fuzz.sh 3600
# A crash leaves its input in $CANYON_FUZZ_ARTIFACTS (default build/fuzz/artifacts/TARGET/);
# reproduce it with build/fuzz/tests/fuzz/fuzz_TARGET FILE, fix the parser, and copy the file to
# tests/data/fuzz-regressions/TARGET/ (tst_fuzzregressions then runs it in every build).
#
# Environment: CANYON_FUZZ_BUILD (default build/fuzz), CANYON_FUZZ_CORPUS (working corpus;
# default a temporary directory that is removed), CANYON_FUZZ_ARTIFACTS.
# Exit status: 0 when no target crashed, leaked, timed out or ran out of memory; 1 otherwise.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$REPO"

secs=${1:-10}
[[ $secs =~ ^[0-9]+$ ]] || { echo "usage: $0 [SECONDS] [TARGET...]" >&2; exit 2; }
shift || true
BUILD=${CANYON_FUZZ_BUILD:-build/fuzz}
ARTIFACTS=${CANYON_FUZZ_ARTIFACTS:-$BUILD/artifacts}

declare -A SEEDS=()
order=()
while read -r target paths; do
    [[ -z $target || $target == \#* ]] && continue
    SEEDS[$target]=$paths
    order+=("$target")
done < tests/fuzz/seeds.txt
if [[ $# -gt 0 ]]; then order=("$@"); fi

if [[ -n ${CANYON_FUZZ_CORPUS:-} ]]; then
    CORPUS=$CANYON_FUZZ_CORPUS
    mkdir -p "$CORPUS"
else
    CORPUS=$(mktemp -d /tmp/canyon-fuzz.XXXXXX)
    trap 'rm -rf "$CORPUS"' EXIT
fi

# Copies a target's seeds into its working corpus; a .jsonl file also gives one file per line.
seed() {
    local target=$1 dir=$2 p f n
    for p in ${SEEDS[$target]}; do
        for f in "$p" "$p"/*; do
            [[ -f $f ]] || continue
            cp "$f" "$dir/seed-$(basename "$f")"
            if [[ $f == *.jsonl ]]; then
                n=0
                while IFS= read -r line; do
                    n=$((n + 1))
                    printf '%s' "$line" > "$dir/seed-$(basename "$f")-$n"
                done < "$f"
            fi
        done
    done
}

failed=0
printf '%-12s %8s %10s %8s %8s %8s  %s\n' target seconds inputs execs/s corpus rss_mb result
for target in "${order[@]}"; do
    bin=$BUILD/tests/fuzz/fuzz_$target
    if [[ ! -x $bin || -z ${SEEDS[$target]:-} ]]; then
        echo "run-fuzz: no fuzz target $target ($bin; build the fuzz preset first)" >&2
        failed=1
        continue
    fi
    work=$CORPUS/$target
    mkdir -p "$work" "$ARTIFACTS/$target"
    seed "$target" "$work"
    log=$ARTIFACTS/$target/last-run.log
    status=0
    # -timeout: one input taking 10 s is a hang (a stall in the console); rss_limit: memory bound.
    "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
        -print_final_stats=1 -artifact_prefix="$ARTIFACTS/$target/" \
        "$work" "tests/data/fuzz-regressions/$target" > "$log" 2>&1 || status=$?
    stat() { sed -n "s/^stat::$1: *//p" "$log" | tail -n1; }
    result=ok
    if [[ $status != 0 ]]; then
        result="FAILED (exit $status): $(grep -m1 -E '^==[0-9]+==ERROR|^SUMMARY|fuzz invariant|ALARM|out-of-memory|deadly signal' "$log" || echo see "$log")"
        failed=1
    fi
    printf '%-12s %8s %10s %8s %8s %8s  %s\n' "$target" "$secs" "$(stat number_of_executed_units)" \
        "$(stat average_exec_per_sec)" "$(find "$work" -type f | wc -l)" "$(stat peak_rss_mb)" "$result"
    if [[ $status != 0 ]]; then
        tail -n 40 "$log" >&2
        ls "$ARTIFACTS/$target"/crash-* "$ARTIFACTS/$target"/timeout-* "$ARTIFACTS/$target"/oom-* \
            "$ARTIFACTS/$target"/leak-* 2>/dev/null >&2 || true
    fi
done
exit $failed
