#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# check-runpath.sh PROGRAM...: fails when a program's RPATH or RUNPATH holds an entry the loader
# resolves against the current directory (an empty entry, or a relative path). Such an entry
# loads whatever libssh.so.4 or libQt6Core.so.6 lies where the program happens to be started.
set -euo pipefail
bad=0
for prog in "$@"; do
    [[ -x $prog ]] || { echo "check-runpath: $prog is not a program" >&2; exit 2; }
    paths=$(readelf -d "$prog" | sed -n 's/.*(R\(UN\)\{0,1\}PATH).*\[\(.*\)\]$/\2/p')
    echo "check-runpath: $prog: ${paths:-no RPATH/RUNPATH}"
    while IFS= read -r line; do
        [[ -n $line ]] || continue
        if [[ $line == :* || $line == *: || $line == *::* ]]; then
            echo "check-runpath: $prog: [$line] has empty entries, searched as the current directory" >&2
            bad=1
        fi
        IFS=: read -r -a entries <<<"$line"
        for e in "${entries[@]}"; do
            if [[ -n $e && $e != /* && $e != '$ORIGIN'* ]]; then
                echo "check-runpath: $prog: [$line] has the relative entry '$e'" >&2
                bad=1
            fi
        done
    done <<<"$paths"
done
exit "$bad"
