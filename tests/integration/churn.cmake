# SPDX-License-Identifier: GPL-3.0-or-later
# No leaks under churn (QUALITY.md R7): real sshd targets and the real LXD daemon.
canyon_add_test(tst_churn SOURCES tst_churn.cpp TestbedEnv.h LIBS canyon_models LABELS integration)
set_tests_properties(tst_churn PROPERTIES RUN_SERIAL TRUE TIMEOUT 300)
