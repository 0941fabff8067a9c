# SPDX-License-Identifier: GPL-3.0-or-later
# LXD over SSH (issue 3): the REAL LXD daemon's unix socket through a REAL sshd target of
# tests/testbed/up.sh: hosts add --lxd-ssh, list, start/stop, polling, a changed host key.
canyon_add_test(tst_lxdssh SOURCES tst_lxdssh.cpp TestbedEnv.h LIBS canyon_models LABELS integration)
set_tests_properties(tst_lxdssh PROPERTIES RUN_SERIAL TRUE)
