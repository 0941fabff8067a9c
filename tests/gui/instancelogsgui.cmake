# SPDX-License-Identifier: GPL-3.0-or-later
# Issue 6 offscreen against the REAL LXD daemon of tests/testbed/up.sh (CANYON_LXD_*): an
# instance's config (YAML) and log files on the "Config & Logs" tab; a 20 MiB log streams in
# without event-loop stalls over 100 ms and ends complete.
canyon_add_test(tst_instancelogsgui SOURCES tst_instancelogsgui.cpp ../integration/TestbedEnv.h
    LIBS canyon_views LABELS gui integration)
target_include_directories(tst_instancelogsgui PRIVATE ${PROJECT_SOURCE_DIR}/tests/integration)
set_tests_properties(tst_instancelogsgui PROPERTIES RUN_SERIAL TRUE TIMEOUT 300)
