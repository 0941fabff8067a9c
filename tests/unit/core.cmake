canyon_add_test(tst_core SOURCES tst_core.cpp LIBS canyon_models LABELS unit)
