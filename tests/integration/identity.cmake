# SPDX-License-Identifier: GPL-3.0-or-later
# Fail closed on identity (QUALITY.md R1): rotated sshd host keys and a swapped LXD certificate.
# It rotates host keys of testbed targets 31 and 33 (and updates the testbed's known_hosts).
canyon_add_test(tst_identity SOURCES tst_identity.cpp TestbedEnv.h LIBS canyon_models LABELS integration)
set_tests_properties(tst_identity PROPERTIES RUN_SERIAL TRUE TIMEOUT 300)
