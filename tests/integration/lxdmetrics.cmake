# SPDX-License-Identifier: GPL-3.0-or-later
# canyonctl metrics (GET /1.0/metrics) against the REAL LXD 5.0.2 daemon of tests/testbed/up.sh,
# over HTTPS and over SSH; figures checked against LXD's state API; untrusted client refused.
canyon_add_test(tst_lxdmetrics SOURCES tst_lxdmetrics.cpp TestbedEnv.h LIBS canyon_models LABELS integration)
set_tests_properties(tst_lxdmetrics PROPERTIES RUN_SERIAL TRUE)
