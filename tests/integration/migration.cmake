# SPDX-License-Identifier: GPL-3.0-or-later
# Migration between the testbed's TWO real LXD 5.0.2 daemons (issue 5, QUALITY.md R4): modes,
# plan refusals, faults (target daemon killed, console killed, source delete refused). Runs
# canyonctl as a process for the kill tests, and restarts the second daemon it kills.
canyon_add_test(tst_migration SOURCES tst_migration.cpp TestbedEnv.h LIBS canyon_models LABELS integration)
add_dependencies(tst_migration canyonctl)
set_tests_properties(tst_migration PROPERTIES RUN_SERIAL TRUE TIMEOUT 900)
