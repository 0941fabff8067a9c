# SPDX-License-Identifier: GPL-3.0-or-later
# Secrets (QUALITY.md R8) over a real gnome-keyring in a private D-Bus session, and with no
# Secret Service at all. Both also search the files written meanwhile for the secret.
add_executable(tst_secrets tst_secrets.cpp)
target_link_libraries(tst_secrets PRIVATE Qt6::Test canyon_secrets canyon_flags)
add_test(NAME tst_secrets_keyring
    COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/run-with-keyring.sh $<TARGET_FILE:tst_secrets>
        storeReadRemove secretNeverOnDisk)
add_test(NAME tst_secrets_unavailable
    COMMAND $<TARGET_FILE:tst_secrets> unavailableWithoutSecretService secretNeverOnDisk)
set_tests_properties(tst_secrets_keyring tst_secrets_unavailable PROPERTIES LABELS unit TIMEOUT 120)
set_tests_properties(tst_secrets_unavailable PROPERTIES
    ENVIRONMENT "DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/canyon-no-bus;CANYON_EXPECT_NO_KEYCHAIN=1")
add_dependencies(canyon_unit_tests tst_secrets) # not made by canyon_add_test: built for the ASan run too
