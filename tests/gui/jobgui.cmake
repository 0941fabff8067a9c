# SPDX-License-Identifier: GPL-3.0-or-later
# Update / Roll Back end to end, offscreen, against the real simulator (issue 4).
canyon_add_test(tst_jobgui SOURCES tst_jobgui.cpp LIBS canyon_views LABELS gui)
add_dependencies(tst_jobgui canyon-fleetsim)
set_tests_properties(tst_jobgui PROPERTIES TIMEOUT 300)
