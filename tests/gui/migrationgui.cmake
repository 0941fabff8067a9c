# SPDX-License-Identifier: GPL-3.0-or-later
# Issue 5 in the window, offscreen, against BOTH real LXD daemons of tests/testbed/up.sh
# (CANYON_LXD_*, CANYON_LXD2_*): drag instances onto the other host, confirm the migration
# dialog, check with LXD where they are; a name clash, a running container, refused drops.
canyon_add_test(tst_migrationgui SOURCES tst_migrationgui.cpp ../integration/TestbedEnv.h LIBS canyon_views LABELS gui integration)
target_include_directories(tst_migrationgui PRIVATE ${PROJECT_SOURCE_DIR}/tests/integration)
# No session bus: the window's keychain probe is not what this test is about.
set_tests_properties(tst_migrationgui PROPERTIES RUN_SERIAL TRUE TIMEOUT 600 ENVIRONMENT
    "QT_QPA_PLATFORM=offscreen;DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/canyon-no-bus")
