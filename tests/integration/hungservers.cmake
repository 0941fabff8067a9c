# SPDX-License-Identifier: GPL-3.0-or-later
# Slow and hung servers (QUALITY.md R6): own loopback responders + the simulator's 199 devices.
canyon_add_test(tst_hungservers SOURCES tst_hungservers.cpp TestbedEnv.h
    LIBS canyon_models canyon_fleetsim OpenSSL::SSL LABELS integration)
add_dependencies(tst_hungservers canyon-fleetsim)
set_tests_properties(tst_hungservers PROPERTIES RUN_SERIAL TRUE TIMEOUT 300)
