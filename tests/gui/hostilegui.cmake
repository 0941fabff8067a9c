# SPDX-License-Identifier: GPL-3.0-or-later
# Hostile remote data in the main window, offscreen (issue 7, QUALITY.md R5): devices from the
# shipped simulator (--hostile-share, --hostile-list-rows), LXD hosts from loopback TLS
# responders in the test; plain text everywhere, bounded memory, no GUI stall over 100 ms.
canyon_add_test(tst_hostilegui SOURCES tst_hostilegui.cpp LIBS canyon_views canyon_fleetsim LABELS gui)
set_tests_properties(tst_hostilegui PROPERTIES TIMEOUT 300 RUN_SERIAL TRUE ENVIRONMENT
    "QT_QPA_PLATFORM=offscreen;DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/canyon-no-bus")
if(TARGET canyon-fleetsim)
    add_dependencies(tst_hostilegui canyon-fleetsim)
endif()
