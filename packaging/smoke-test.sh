#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The packaging smoke test shared by the AppImage recipe and the AppDir check: runs a packaged
# canyon offscreen with --smoke (main window over an empty temporary config, shown, then quit)
# and --version, in a throwaway HOME, with a deadline.
#
#   packaging/smoke-test.sh PATH/TO/canyon-or-AppRun
set -euo pipefail
app=${1:?usage: smoke-test.sh PATH/TO/canyon-or-AppRun}
home=$(mktemp -d /tmp/canyon-smoke.XXXXXX)
trap 'rm -rf "$home"' EXIT
mkdir -m 700 "$home/runtime"

run() {
    env HOME="$home" XDG_CONFIG_HOME="$home/config" XDG_STATE_HOME="$home/state" \
        XDG_RUNTIME_DIR="$home/runtime" QT_QPA_PLATFORM=offscreen timeout 60 "$app" "$@"
}
version=$(run --version)
echo "smoke: $version"
[[ $version == canyon\ * ]] || { echo "smoke: unexpected --version output" >&2; exit 1; }
run --smoke
echo "smoke: $app opened its main window offscreen and quit cleanly"
