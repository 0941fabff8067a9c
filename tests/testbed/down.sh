#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Stop everything tests/testbed/up.sh DIR started (also a half-started testbed). Each part is
# stopped even when another fails; the exit status says whether all of them stopped cleanly.
# The snapd device's image cache (/var/cache/canyon-testbed) is kept on purpose.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
[[ $# -eq 1 ]] || { echo "usage: $0 DIR" >&2; exit 2; }
DIR=$(realpath -m "$1")
rc=0
if [[ -d $DIR/lxdc ]]; then
    "$HERE/lxd-cluster.sh" stop "$DIR/lxdc" || { echo "down.sh: stopping the LXD cluster failed" >&2; rc=1; }
fi
if [[ -d $DIR/lxd2 ]]; then
    "$HERE/lxd-second.sh" stop "$DIR/lxd2" || { echo "down.sh: stopping the second LXD daemon failed" >&2; rc=1; }
fi
if [[ -d $DIR/snapd ]]; then
    "$HERE/snapd-device.sh" stop "$DIR/snapd" || { echo "down.sh: stopping the snapd device failed" >&2; rc=1; }
fi
if [[ -d $DIR/sshd ]]; then
    "$HERE/sshd-targets.sh" stop "$DIR/sshd" || { echo "down.sh: stopping the sshd targets failed" >&2; rc=1; }
fi
rm -f "$DIR/env.sh"
exit "$rc"
