# SPDX-License-Identifier: GPL-3.0-or-later
# Member moves inside the testbed's REAL two-member LXD 5.0.2 cluster (tests/testbed/lxd-cluster.sh,
# issue 5: `?target=`), refusals (already there, no such member, no cluster), and moves between
# the cluster and the independent second daemon (pull, and placement on a member).
canyon_add_test(tst_clustermove SOURCES tst_clustermove.cpp TestbedEnv.h LIBS canyon_models LABELS integration)
set_tests_properties(tst_clustermove PROPERTIES RUN_SERIAL TRUE TIMEOUT 600)
