# SPDX-License-Identifier: GPL-3.0-or-later
# The device simulator: output formats, mini shell, state, and the SSH server
# driven in-process by a libssh client.
canyon_add_test(tst_fleetsim SOURCES tst_fleetsim.cpp LIBS canyon_fleetsim PkgConfig::LIBSSH LABELS unit)
target_compile_definitions(tst_fleetsim PRIVATE
    CANYON_FLEETSIM_BIN="$<TARGET_FILE:canyon-fleetsim>" CANYON_SIMSNAP_BIN="$<TARGET_FILE:canyon-simsnap>")
add_dependencies(tst_fleetsim canyon-fleetsim canyon-simsnap)
