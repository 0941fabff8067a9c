# SPDX-License-Identifier: GPL-3.0-or-later
# Item models of the LXD GUI (instances table, operations, LXD part of the fleet tree).
canyon_add_test(tst_lxdmodels SOURCES tst_lxdmodels.cpp LIBS canyon_models LABELS unit)
