# SPDX-License-Identifier: GPL-3.0-or-later
# The LXD GUI offscreen against the REAL LXD daemon of tests/testbed/up.sh (CANYON_LXD_*):
# add the host through the dialog, see instances, start/stop from the Instances tab, charts.
canyon_add_test(tst_lxdgui SOURCES tst_lxdgui.cpp ../integration/TestbedEnv.h LIBS canyon_views LABELS gui integration)
target_include_directories(tst_lxdgui PRIVATE ${PROJECT_SOURCE_DIR}/tests/integration)
set_tests_properties(tst_lxdgui PROPERTIES RUN_SERIAL TRUE)
