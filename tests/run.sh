#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The test command (README, .ci/run): installs what the tests need from Debian, builds with
# warnings as errors, starts the real test servers on loopback, runs every test, stops the servers.
#
#   tests/run.sh [--no-install] [--keep-testbed] [ctest args...]
#
# Environment: CANYON_TESTBED_DIR (default a fresh temp dir).
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"

install=1
keep=0
while [[ $# -gt 0 ]]; do
    case $1 in
        --no-install) install=0; shift ;;
        --keep-testbed) keep=1; shift ;;
        *) break ;;
    esac
done

step() { printf '\n=== %s (%ss)\n' "$*" "$SECONDS"; }

if [[ $install == 1 ]]; then
    step "installing dependencies"
    if [[ $(id -u) -eq 0 ]]; then
        tests/testbed/install-deps.sh
    else
        sudo tests/testbed/install-deps.sh
    fi
fi

BUILD=build/ci # the ci preset's binaryDir
# cache hits across clones in other folders: paths relative to the clone, and the build dir
# left out of the hash (it only lands in the debug info)
export CCACHE_BASEDIR="$REPO" CCACHE_NOHASHDIR=1
step "configuring and building ($BUILD, -Werror)"
cmake --preset ci >/dev/null
cmake --build "$BUILD" -j"$(nproc)"

# Fuzzing (QUALITY.md R5): a clang ASan+UBSan build of canyon_models and the fuzz targets only,
# the regression inputs through them, then a few seconds per target (a longer run:
# tests/fuzz/run-fuzz.sh 3600). Bounded: ~1 min of fuzzing plus the build (ccache).
step "fuzzing the parsers (build/fuzz, clang)"
CC=clang CXX=clang++ cmake --preset fuzz >/dev/null
cmake --build build/fuzz -j"$(nproc)" --target canyon_fuzz_targets
ctest --test-dir build/fuzz -L fuzz --output-on-failure --no-tests=error
timeout 300 tests/fuzz/run-fuzz.sh "${CANYON_FUZZ_SECONDS:-6}"

# The unit tests (parsers, models under QAbstractItemModelTester, jobs, journal, YAML, ...) once
# more in a gcc ASan+UBSan build (preset asan, ccache): any report fails the run.
step "unit tests under ASan+UBSan (build/asan)"
cmake --preset asan >/dev/null
cmake --build build/asan -j"$(nproc)" --target canyon_unit_tests
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir build/asan -L unit --output-on-failure --no-tests=error

TB=${CANYON_TESTBED_DIR:-$(mktemp -d /tmp/canyon-testbed.XXXXXX)}
cleanup() {
    if [[ $keep == 0 ]]; then
        step "stopping the testbed"
        tests/testbed/down.sh "$TB" || true
    else
        echo "testbed left running in $TB (stop it with tests/testbed/down.sh $TB)"
    fi
}
trap cleanup EXIT
step "starting the testbed in $TB"
CANYON_FLEETSIM="$REPO/$BUILD/app/fleetsim/canyon-fleetsim" tests/testbed/up.sh "$TB"
# shellcheck disable=SC1091
source "$TB/env.sh"
export CANYON_REQUIRE_TESTBED=1

# Benchmarks are not timed tests: this tiny run only proves the harness and its peers work
# (the full run is `tests/bench/run-bench.sh`, see tests/bench/README.md).
step "benchmark harness smoke run"
CANYON_BUILD_DIR=$BUILD tests/bench/run-bench.sh --smoke

step "running the tests"
ctest --test-dir "$BUILD" --output-on-failure --no-tests=error "$@"
