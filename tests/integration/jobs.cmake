# SPDX-License-Identifier: GPL-3.0-or-later
# Fleet update and rollback (issue 4): the simulator with fault knobs, and the real snapd device.
canyon_add_test(tst_jobsfleet SOURCES tst_jobsfleet.cpp TestbedEnv.h LIBS canyon_models canyon_fleetsim LABELS integration)
add_dependencies(tst_jobsfleet canyon-fleetsim canyonctl)
set_tests_properties(tst_jobsfleet PROPERTIES RUN_SERIAL TRUE TIMEOUT 600)
