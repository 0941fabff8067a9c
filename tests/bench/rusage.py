#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# rusage.py FILE COMMAND...: runs COMMAND and writes "wall user sys" in seconds, to the
# microsecond, for it and every process it waited for, to FILE. Exits with its status.
# /usr/bin/time prints CPU in hundredths of a second: a short command (canyonctl reading 50
# devices spends about 60 ms) would be measured in steps of a sixth of its own cost.
import resource
import subprocess
import sys
import time

out, cmd = sys.argv[1], sys.argv[2:]
# The difference: the counters survive exec, so they may already hold what a launcher that
# started this interpreter waited for.
before = resource.getrusage(resource.RUSAGE_CHILDREN)
start = time.monotonic()
rc = subprocess.call(cmd)
wall = time.monotonic() - start
after = resource.getrusage(resource.RUSAGE_CHILDREN)
user = after.ru_utime - before.ru_utime
system = after.ru_stime - before.ru_stime
with open(out, "w", encoding="ascii") as f:
    f.write(f"{wall:.6f} {user:.6f} {system:.6f}\n")
sys.exit(rc if rc >= 0 else 128 - rc)
