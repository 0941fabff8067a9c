# SPDX-License-Identifier: GPL-3.0-or-later
# Bad input from LXD servers (issue 3, QUALITY.md R5/R6): own loopback TLS responders (fault
# injection, pinned like real hosts) through LxdService/LxdConsole into the models and the view.
canyon_add_test(tst_lxdbadinput SOURCES tst_lxdbadinput.cpp LIBS canyon_views LABELS integration)
set_tests_properties(tst_lxdbadinput PROPERTIES RUN_SERIAL TRUE TIMEOUT 180)
