# SPDX-License-Identifier: GPL-3.0-or-later
# Against the REAL LXD 5.0.2 daemon of tests/testbed/up.sh (CANYON_LXD_*): trust, pinning, list,
# state, lifecycle with events, refusal of a wrong certificate, unreachable daemon.
canyon_add_test(tst_lxdhost SOURCES tst_lxdhost.cpp TestbedEnv.h LIBS canyon_models LABELS integration)
set_tests_properties(tst_lxdhost PROPERTIES RUN_SERIAL TRUE)
