# SPDX-License-Identifier: GPL-3.0-or-later
# Offscreen widget tests. tst_mainwindow's end-to-end case starts the real simulator
# (app/fleetsim/canyon-fleetsim) and skips itself when that binary is not built.
canyon_add_test(tst_mainwindow SOURCES tst_mainwindow.cpp LIBS canyon_views LABELS gui)
if(TARGET canyon-fleetsim)
    add_dependencies(tst_mainwindow canyon-fleetsim)
endif()
