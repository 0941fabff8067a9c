# Integration tests against real servers started by tests/testbed/up.sh (see README).
canyon_add_test(tst_sshfleet SOURCES tst_sshfleet.cpp TestbedEnv.h LIBS canyon_models PkgConfig::LIBSSH LABELS integration)
canyon_add_test(tst_snapddevice SOURCES tst_snapddevice.cpp TestbedEnv.h LIBS canyon_models LABELS integration)
canyon_add_test(tst_fleetsimscale SOURCES tst_fleetsimscale.cpp TestbedEnv.h LIBS canyon_models canyon_fleetsim LABELS integration)
add_dependencies(tst_fleetsimscale canyon-fleetsim)
set_tests_properties(tst_sshfleet tst_snapddevice tst_fleetsimscale PROPERTIES RUN_SERIAL TRUE)
add_dependencies(tst_sshfleet canyonctl canyon-fleetsim)
