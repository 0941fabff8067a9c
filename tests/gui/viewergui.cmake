# SPDX-License-Identifier: GPL-3.0-or-later
# Issue 6 in the main window, offscreen, against the shipped simulator (canyon-fleetsim serve):
# the "Config & logs" tab fetches snap changes/tasks/info/logs over the device's kept session and
# shows hostile output as plain text; secrets: "Remember in the keychain" with a real
# gnome-keyring (run-with-keyring.sh) and disabled, with its reason, when there is none.
canyon_add_test(tst_viewergui SOURCES tst_viewergui.cpp LIBS canyon_views canyon_fleetsim LABELS gui)
set_tests_properties(tst_viewergui PROPERTIES TIMEOUT 180 ENVIRONMENT
    "QT_QPA_PLATFORM=offscreen;DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/canyon-no-bus")
add_test(NAME tst_viewergui_keychain
    COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/../unit/run-with-keyring.sh $<TARGET_FILE:tst_viewergui>
        rememberedSecretReadBeforeRefresh)
set_tests_properties(tst_viewergui_keychain PROPERTIES LABELS gui TIMEOUT 120
    ENVIRONMENT "QT_QPA_PLATFORM=offscreen;CANYON_EXPECT_KEYCHAIN=1")
if(TARGET canyon-fleetsim)
    add_dependencies(tst_viewergui canyon-fleetsim)
endif()
