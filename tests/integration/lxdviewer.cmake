# SPDX-License-Identifier: GPL-3.0-or-later
# Issue 6 against the REAL LXD 5.0.2 daemon of tests/testbed/up.sh (CANYON_LXD_*): an instance's
# expanded config as YAML (compared with `lxc config show --expanded`), its log list, log files
# streamed byte for byte, pause/cancel, 404 and refused names.
canyon_add_test(tst_lxdviewer SOURCES tst_lxdviewer.cpp TestbedEnv.h LIBS canyon_models LABELS integration)
set_tests_properties(tst_lxdviewer PROPERTIES RUN_SERIAL TRUE)
